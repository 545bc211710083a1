/**
 * `risk-review decisions` and `risk-review log verify` as processes, on the review log of the sample made
 * by test/oracles/decisions_fixtures.py (known override patterns per group, chained by that script's own
 * implementation of the chain): every count against pandas, every rate's Wilson interval against
 * statsmodels' proportion_confint and every gap's Newcombe interval against confint_proportions_2indep, to
 * 1e-12; the chain found intact, and a tampered, re-sealed, cut and torn copy each reported at its line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { assertCleanFailure, runCli } from '../helpers/cli';

const FIXTURE = join(__dirname, '..', 'fixtures', 'decisions');
const SAMPLE_PROJECT = join(__dirname, '..', '..', 'samples', 'juvenile', 'juvenile.riskreview.json');
const LOG = join(FIXTURE, 'reviews.jsonl');
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8'));
const TOLERANCE = 1e-12;

/** `actual` has every field of `expected`, numbers within the tolerance, everything else equal. */
function assertMatches(actual: unknown, want: unknown, path: string): void {
  if (typeof want === 'number' && typeof actual === 'number') {
    assert.ok(Math.abs(actual - want) <= TOLERANCE, `${path}: ${actual}, expected ${want}`);
    return;
  }
  if (want === null || typeof want !== 'object') {
    assert.equal(actual, want, path);
    return;
  }
  assert.ok(actual !== null && typeof actual === 'object', `${path}: ${JSON.stringify(actual)}`);
  if (Array.isArray(want)) {
    assert.ok(Array.isArray(actual) && actual.length === want.length, `${path}: length ${(actual as unknown[]).length}, expected ${want.length}`);
  }
  for (const [k, v] of Object.entries(want)) assertMatches((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
}

function decisions(project: string, ...args: string[]) {
  const r = runCli(['decisions', '--project', project, '--review-log', LOG, ...args]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '', 'an intact log gives no warning');
  return r.stdout;
}

for (const [name, project] of [
  ['juvenile', SAMPLE_PROJECT],
  ['threshold-40', join(FIXTURE, 'threshold-40.riskreview.json')],
] as const) {
  test(`decisions by group match pandas and statsmodels (${name})`, () => {
    const want = expected.projects[name];
    const out = JSON.parse(decisions(project, '--format', 'json'));
    assert.equal(out.entries, expected.entries);
    assert.equal(out.otherReviews, expected.otherReviews);
    assert.equal(out.reviewedCases, want.rows);
    assert.deepEqual(out.bands.map((b: { flag: string }) => b.flag), want.bandFlags);
    assertMatches(out.everyone, want.everyone, 'everyone');
    assert.deepEqual(out.byGroup.map((t: { column: string }) => t.column), want.byGroup.map((t: { column: string }) => t.column));
    for (const [k, table] of want.byGroup.entries()) assertMatches(out.byGroup[k], table, table.column);
    assert.deepEqual(out.intervalMethods, { rates: 'Wilson score interval', gaps: "Newcombe's hybrid score interval (method 10) for a difference of proportions" });
    assert.equal(out.verification.intact, true);
    assert.equal(out.verification.head, expected.head);
  });
}

test('the CSV holds the same figures, one line per group, everyone first', () => {
  const json = JSON.parse(decisions(SAMPLE_PROJECT, '--format', 'json'));
  const rows = parse(decisions(SAMPLE_PROJECT, '--format', 'csv'), { columns: true }) as Record<string, string>[];
  assert.equal(rows.length, 1 + json.byGroup.reduce((n: number, t: { rows: unknown[] }) => n + t.rows.length, 0));
  assert.equal(rows[0].group, 'Everyone');
  assert.equal(Number(rows[0].overrideUp_rate), json.everyone.overrideUp.value);
  const black = rows.find((r) => r.column === 'race_ethnicity' && r.group === 'Black')!;
  const want = json.byGroup[1].rows.find((r: { group: string }) => r.group === 'Black');
  assert.equal(black.reference, 'White');
  for (const [cell, v] of [
    ['reviewed', want.reviewed],
    ['overrideUp_low', want.overrideUp.ciLow],
    ['overrideUp_gap', want.gaps.overrideUp.value],
    ['overrideUp_gap_high', want.gaps.overrideUp.ciHigh],
    ['adjustedAccuracy_rate', want.outcomes.adjustedAccuracy.value],
    ['towardOutcome', want.outcomes.towardOutcome.count],
  ] as const)
    assert.equal(Number(black[cell]), v, cell);
  const white = rows.find((r) => r.column === 'race_ethnicity' && r.group === 'White')!;
  assert.equal(white.overrideUp_gap, '', 'the reference has no gap to itself');
  assert.ok(rows.some((r) => r.column === 'sex × race_ethnicity' && r.group === 'Female × Black'));
});

test('Markdown: the audit report\'s section, with the gaps whose interval excludes 0 in sentences', () => {
  const md = decisions(SAMPLE_PROJECT, '--format', 'md');
  assert.match(md, /^# Reviewers' decisions\n/);
  assert.match(md, /## Reviewers' decisions by group/);
  assert.match(md, /Black \(race_ethnicity\): moved to a higher band 7\.5 percentage points more often than White \(95% interval 5\.0 to 10\.0 points\)\./);
  assert.match(md, /\| Black \(race_ethnicity\) \| 728 \| 83\.9% \(81\.1%–86\.4%\) \| 9\.3% \(7\.4%–11\.7%\) \|/);
  assert.match(md, /only 27 reviewed cases \(fewer than 50\): every figure here is very uncertain/);
  assert.match(md, /The review log reviews\.jsonl is intact: its 2,145 decisions form an unbroken chain/);
  assert.match(md, /25 decisions in it are about another model or case file and are not counted here/);
});

test('--per-case lists the latest decision on each case, newest first', () => {
  const rows = JSON.parse(decisions(SAMPLE_PROJECT, '--per-case'));
  assert.equal(rows.length, expected.projects.juvenile.rows);
  const times = rows.map((r: { time: string }) => r.time);
  assert.deepEqual(times, [...times].sort().reverse());
  const lines = readFileSync(LOG, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const twice = rows.find((r: { decisions: number }) => r.decisions === 2);
  const last = lines.filter((l) => l.caseId === twice.caseId && l.modelSha256 !== 'c'.repeat(64)).pop();
  assert.equal(twice.verdict, last.verdict);
  assert.equal(twice.time, last.time);
  assert.equal(twice.blind, last.blind);
  const csv = parse(decisions(SAMPLE_PROJECT, '--per-case', '--format', 'csv'), { columns: true }) as Record<string, string>[];
  assert.equal(csv.length, rows.length);
  assert.deepEqual(Object.keys(csv[0]).slice(-3), ['sex', 'race_ethnicity', 'sex × race_ethnicity']);
});

test('log verify: the log the oracle chained is intact, and its head hash is the SHA-256 of its last line', () => {
  const r = runCli(['log', 'verify', LOG]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`is intact: its 2,145 decisions form an unbroken chain \\(head hash ${expected.head.slice(0, 12)}\\)`));
  assert.match(r.stdout, new RegExp(`Head hash: ${expected.head}\\n$`));
  const json = JSON.parse(runCli(['log', 'verify', LOG, '--format', 'json']).stdout);
  assert.deepEqual({ intact: json.intact, entries: json.entries, lines: json.lines, problems: json.problems }, { intact: true, entries: 2145, lines: 2145, problems: [] });
});

for (const [file, message] of [
  ['tampered.jsonl', /line 100 was changed after it was written: its text no longer matches its hash/],
  ['resealed.jsonl', /the chain breaks at line 101: it does not follow line 100 \(a line was removed, inserted or moved between them, or line 100 was rewritten\)/],
  ['deleted.jsonl', /the chain breaks at line 50: it does not follow line 49/],
  ['torn.jsonl', /line 121, the last, is cut short: a write was interrupted/],
] as const) {
  test(`log verify reports ${file} at its line, exits 1; decisions still counts it, with the warning`, () => {
    const path = join(FIXTURE, file);
    const r = runCli(['log', 'verify', path]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /has 1 problem: it may have been changed after it was written, or a write was cut short/);
    assert.match(r.stdout, message);
    assert.equal(r.stderr, `risk-review: ${path}: a problem was found (listed above)\n`);
    const d = runCli(['decisions', '--project', SAMPLE_PROJECT, '--review-log', path, '--format', 'json']);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stderr, message);
    assert.equal(JSON.parse(d.stdout).verification.intact, false);
  });
}

test('bad usage exits 2, a missing log 1', () => {
  for (const args of [['log'], ['log', 'verify'], ['log', 'check', LOG], ['log', 'verify', LOG, 'extra'], ['decisions', '--project', SAMPLE_PROJECT], ['decisions', '--project', SAMPLE_PROJECT, '--review-log', LOG, '--per-case', '--format', 'md']]) {
    const r = runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
  }
  assertCleanFailure(runCli(['log', 'verify', join(FIXTURE, 'nowhere.jsonl')]), /nowhere\.jsonl: does not exist/);
  assertCleanFailure(runCli(['decisions', '--project', SAMPLE_PROJECT, '--review-log', join(FIXTURE, 'nowhere.jsonl')]), /nowhere\.jsonl: does not exist/);
});
