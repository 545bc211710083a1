import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCleanFailure, runCli } from '../helpers/cli';

const d = mkdtempSync(join(tmpdir(), 'rr-cli-score-'));
writeFileSync(join(d, 'm.riskmodel.json'), JSON.stringify({ kind: 'logistic', intercept: -1, coefficients: { priors: 0.5, age: -0.05 } }));
writeFileSync(join(d, 'cases.csv'), 'id,priors,age\nA,0,16\nB,4,14\nC,2,abc\n');
writeFileSync(join(d, 'ok.csv'), 'id,priors,age\nA,0,16\nB,4,14\n');
const base = ['--model', join(d, 'm.riskmodel.json'), '--id-column', 'id'];

test('score prints JSON, JSON Lines and CSV', () => {
  const j = runCli(['score', ...base, '--data', join(d, 'ok.csv'), '--format', 'json']);
  assert.equal(j.code, 0, j.stderr);
  const out = JSON.parse(j.stdout);
  assert.equal(out.cases.length, 2);
  assert.equal(out.cases[1].caseId, 'B');
  assert.ok(Math.abs(out.cases[1].score - 1 / (1 + Math.exp(-0.3))) < 1e-12);
  assert.equal(out.cases[1].flagged, true);
  const l = runCli(['score', ...base, '--data', join(d, 'ok.csv'), '--format', 'jsonl']);
  assert.deepEqual(l.stdout.trim().split('\n').map((s) => JSON.parse(s).caseId), ['A', 'B']);
  const c = runCli(['score', ...base, '--data', join(d, 'ok.csv'), '--format', 'csv']);
  assert.equal(c.stdout.split('\n')[0], 'caseId,score,band,flagged');
});

test('bad input: exit 1 with one message naming file, line, column and value; nothing written', () => {
  const out = join(d, 'never.json');
  const r = runCli(['score', ...base, '--data', join(d, 'cases.csv'), '--out', out]);
  assertCleanFailure(r, /cases\.csv, line 4, column "age": "abc" is not a number/);
  assert.equal(existsSync(out), false);
  assertCleanFailure(runCli(['score', ...base, '--data', join(d, 'missing.csv')]), /missing\.csv: file not found/);
});

test('bad usage: exit 2 with the usage', () => {
  const r = runCli(['score', '--model', 'x']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /give --project FILE, or --data, --id-column/);
  assert.equal(runCli(['frobnicate']).code, 2);
  assert.equal(runCli(['score', ...base, '--data', join(d, 'ok.csv'), '--format', 'xml']).code, 2);
});

test('--out writes atomically and refuses to overwrite without --force', () => {
  const out = join(d, 'scores.json');
  assert.equal(runCli(['score', ...base, '--data', join(d, 'ok.csv'), '--out', out]).code, 0);
  const first = readFileSync(out, 'utf8');
  assertCleanFailure(runCli(['score', ...base, '--data', join(d, 'ok.csv'), '--out', out]), /scores\.json: already exists; pass --force/);
  assert.equal(runCli(['score', ...base, '--data', join(d, 'ok.csv'), '--out', out, '--force']).code, 0);
  assert.equal(readFileSync(out, 'utf8'), first);
});

test('--help and --version answer with exit 0', () => {
  const h = runCli(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /Usage: risk-review <verb>/);
  assert.match(runCli(['--version']).stdout, /^\d+\.\d+\.\d+/);
});
