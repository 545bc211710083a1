/**
 * Determinism: the same inputs give byte-identical outputs. Every verb is run twice on the sample, as
 * its own process, writing to a file; the two files must be equal byte for byte, the only difference
 * allowed being the time a summary states (masked). JSON keys come out in the same order because the
 * bytes are the same. Attributions on one thread and on several are the same bytes too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

const SAMPLE = join(__dirname, '..', '..', 'samples', 'juvenile');
const XGBOOST = ['--project', join(SAMPLE, 'juvenile.riskreview.json')];
const LOGISTIC = ['--project', join(SAMPLE, 'juvenile-logistic.riskreview.json')];
const INSTRUMENT = ['--project', join(SAMPLE, 'juvenile-instrument.riskreview.json')];
const d = mkdtempSync(join(tmpdir(), 'rr-cli-determinism-'));

/** "Generated: 2026-11-23 10:37:42 UTC" and ISO forms: the one thing allowed to differ between runs. */
const TIME = /\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?( UTC|Z)/g;

let runs = 0;
function output(args: readonly string[], ext: string): Buffer {
  const out = join(d, `run-${++runs}${ext}`);
  const r = runCli([...args, '--out', out]);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return readFileSync(out);
}

function assertSameTwice(args: readonly string[], ext: string, mask = false): Buffer {
  const first = output(args, ext);
  const second = output(args, ext);
  assert.ok(first.length > 0);
  if (mask) assert.equal(second.toString('utf8').replace(TIME, '<time>'), first.toString('utf8').replace(TIME, '<time>'), args.join(' '));
  else assert.ok(first.equals(second), `${args.join(' ')}: two runs differ`);
  return first;
}

const RUNS: readonly [string, readonly string[], string, boolean?][] = [
  ['score, JSON', ['score', ...XGBOOST, '--format', 'json'], '.json'],
  ['score, CSV', ['score', ...XGBOOST, '--format', 'csv'], '.csv'],
  ['score, JSON lines, instrument', ['score', ...INSTRUMENT, '--format', 'jsonl'], '.jsonl'],
  ['explain --all, XGBoost', ['explain', ...XGBOOST, '--all', '--interactions'], '.jsonl'],
  ['explain --all, logistic, probability scale', ['explain', ...LOGISTIC, '--all', '--scale', 'probability'], '.jsonl'],
  ['explain --case, instrument', ['explain', ...INSTRUMENT, '--case', 'J-000002'], '.json'],
  ['surrogate with a case', ['surrogate', ...XGBOOST, '--case', 'J-000002'], '.json'],
  ['calibration by group with bootstrap intervals and drivers', ['calibration', ...XGBOOST, '--group', 'race_ethnicity', '--bootstrap', '50', '--seed', '3', '--drivers', '--case', 'J-000002'], '.json'],
  ['export, Markdown', ['export', ...XGBOOST, '--case', 'J-000002', '--format', 'md'], '.md', true],
  ['export, HTML', ['export', ...LOGISTIC, '--case', 'J-000002', '--format', 'html'], '.html', true],
];

const verbs = runCli(['--help']).stdout;
for (const [what, args, ext, mask] of RUNS) {
  test(`${what}: two runs give the same bytes`, { skip: !new RegExp(`^  ${args[0]} `, 'm').test(verbs) && `no verb ${args[0]} yet` }, () => {
    assertSameTwice(args, ext, mask);
  });
}

test('exports with SOURCE_DATE_EPOCH are byte-identical, time stamp included', () => {
  const saved = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = '1700000000';
  try {
    const md = assertSameTwice(['export', ...XGBOOST, '--case', 'J-000002', '--format', 'md'], '.md');
    assert.match(md.toString('utf8'), /2023-11-14/);
    assertSameTwice(['export', ...XGBOOST, '--case', 'J-000002', '--format', 'html'], '.html');
  } finally {
    if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = saved;
  }
});

test('attributions on one thread and on two are the same bytes', () => {
  const one = output(['explain', ...XGBOOST, '--all', '--threads', '1'], '.jsonl');
  const two = output(['explain', ...XGBOOST, '--all', '--threads', '2'], '.jsonl');
  assert.ok(one.equals(two));
});
