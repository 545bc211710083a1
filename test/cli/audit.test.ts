/**
 * `risk-review audit` as a process: the audit report of the sample instrument and of a score already in
 * use (COMPAS deciles), in Markdown, HTML and PDF (A4 and Letter), read back as a reader's tools would
 * (an HTML parser, pdftotext, pdfinfo), and its bad usage.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'parse5';
import { runCli } from '../helpers/cli';

const SAMPLE = join(__dirname, '..', '..', 'samples', 'juvenile');
const COMPAS = join(__dirname, '..', '..', '..', 'shared', 'data', 'external', 'compas', 'compas-scores-two-years-deid.csv');
const d = mkdtempSync(join(tmpdir(), 'rr-cli-audit-'));
const project = ['--project', join(SAMPLE, 'juvenile.riskreview.json')];

function audit(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = runCli(['audit', ...args], { env });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

function pdf(file: string): { text: string; size: string; pages: number } {
  const t = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  assert.equal(t.status, 0, t.stderr);
  const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout;
  return { text: t.stdout.replace(/\s+/g, ' '), size: /Page size:\s+(.*)/.exec(info)![1], pages: Number(/Pages:\s+(\d+)/.exec(info)![1]) };
}

test('the sample instrument: findings, every grouping with its intersection, drivers and rules, in Markdown', () => {
  const md = audit([...project, '--format', 'md']);
  assert.match(md, /^# Audit of Juvenile reoffending/);
  for (const heading of ['Findings', 'By sex', 'By race_ethnicity', 'By sex × race_ethnicity', 'Rules that imitate the score', 'Provenance']) assert.ok(md.includes(`\n## ${heading}\n`), heading);
  // The planted truths: Hispanic youth's scores understate what happened; girls' family conflict weighs more.
  assert.match(md, /- The scores understate what happened for Hispanic \(race_ethnicity\) by 1[0-4]\.\d percentage points on average\./);
  assert.match(md, /Family conflict moves the scores of Female by \d+\.\d percentage points more on average than those of Male/);
  assert.match(md, /no score can satisfy both at once/);
  assert.match(md, /\| Group \| Score − outcome \(percentage points\) \| Outcome at equal scores \(percentage points\) \| AUC \|/);
  assert.match(md, /Male × White, the reference group/);
  assert.match(md, /\*Every rule: if a case meets all the conditions, the rule gives this score\*/);
});

test('HTML: one self-contained page whose charts have text alternatives; PDF on A4 and on Letter', () => {
  const html = join(d, 'audit.html');
  audit([...project, '--out', html]);
  const page = readFileSync(html, 'utf8');
  assert.doesNotMatch(page, /<script|<link|src="http/);
  assert.ok(parse(page).childNodes.length > 0);
  const svgs = page.match(/<svg [^>]*role="img" aria-labelledby=/g) ?? [];
  assert.equal(svgs.length, 3, 'a small-multiples chart per grouping, each with its title and description');
  for (const paper of ['a4', 'letter']) {
    const file = join(d, `audit-${paper}.pdf`);
    audit([...project, '--out', file, '--paper', paper], { SOURCE_DATE_EPOCH: '1700000000' });
    const p = pdf(file);
    assert.match(p.size, paper === 'a4' ? /595\.\d* x 841\.\d* pts \(A4\)/ : /612 x 792 pts \(letter\)/);
    assert.match(p.text, /The scores understate what happened for Hispanic \(race_ethnicity\) by 1[0-4]\.\d percentage points/);
    assert.match(p.text, /Generated 2023-11-14 22:13:20 UTC/);
  }
});

test('a score already in use (COMPAS deciles, no model): error-rate gaps named, attributions said to be unavailable', () => {
  const md = audit(['--score-column', 'decile_score', '--data', COMPAS, '--id-column', 'case_id', '--outcome', 'two_year_recid', '--threshold', '5', '--group', 'race', '--group', 'sex']);
  assert.match(md, /What was audited:\*\* a score already in use: column "decile_score"/);
  assert.match(md, /Flagged:\*\* at a score of 5 or more/);
  assert.match(md, /Caucasian \(race\)'s false positive rate is 21\.4 percentage points lower than African-American's/);
  assert.match(md, /Not available: what drives each group's scores: this review audits a score already in use/);
  assert.match(md, /## By race × sex/);
  assert.doesNotMatch(md, /Brier \|/, 'no figure that reads a decile as a probability');
});

test('bad usage: exit 2 with one line', () => {
  for (const args of [[...project, '--format', 'md', '--paper', 'letter'], [...project, '--paper', 'a5', '--format', 'pdf'], ['--model', join(SAMPLE, 'xgboost.json'), '--data', join(SAMPLE, 'cases.csv'), '--id-column', 'case_id']]) {
    const r = runCli(['audit', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^risk-review: .*\nUsage: risk-review audit /);
  }
});
