/**
 * The CLI on LightGBM models and categorical XGBoost models, as a user runs it: `explain --all` gives
 * the library's own contributions with categories by name, `score` its probabilities, and a model it
 * cannot represent is one clear line naming why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCleanFailure, runCli } from '../helpers/cli';

const FIXTURES = join(__dirname, '..', 'fixtures');

interface Line {
  caseId: string;
  score: number;
  baseValue: number;
  method: string;
  attributions: { feature: string; value: number | string | null; contribution: number }[];
}

interface Expected {
  probability: number[];
  contribs: number[][];
}

const expectedOf = (file: string) => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Expected;

for (const [label, model, data, expected] of [
  ['LightGBM text', 'lightgbm/pandas.txt', 'lightgbm/pandas.csv', 'lightgbm/pandas.expected.json'],
  ['LightGBM dump_model JSON', 'lightgbm/zeros.json', 'lightgbm/zeros.csv', 'lightgbm/zeros.expected.json'],
  ['XGBoost dart, categorical', 'xgb-categorical/dart.json', 'xgb-categorical/cases.csv', 'xgb-categorical/dart.expected.json'],
] as const) {
  test(`${label}: explain --all and score give the library's numbers`, () => {
    const args = ['--model', join(FIXTURES, model), '--data', join(FIXTURES, data), '--id-column', 'case_id'];
    const want = expectedOf(expected);
    const r = runCli(['explain', ...args, '--all', '--threads', '1']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Line);
    assert.equal(lines.length, want.probability.length);
    lines.forEach((o, i) => {
      assert.equal(o.method, 'treeshap-path-dependent');
      assert.ok(Math.abs(o.score - want.probability[i]) <= 1e-6, `${o.caseId}: score`);
      const m = o.attributions.length;
      assert.ok(Math.abs(o.baseValue - want.contribs[i][m]) <= 2e-5, `${o.caseId}: base value`);
      o.attributions.forEach((a, j) => assert.ok(Math.abs(a.contribution - want.contribs[i][j]) <= 2e-5, `${o.caseId}: ${a.feature}`));
    });
    const scores = runCli(['score', ...args, '--format', 'json']);
    assert.equal(scores.code, 0, scores.stderr);
  });
}

test('explain names a LightGBM model\'s categories as its pandas_categorical does', () => {
  const r = runCli(['explain', '--model', join(FIXTURES, 'lightgbm/pandas.txt'), '--data', join(FIXTURES, 'lightgbm/pandas.csv'), '--id-column', 'case_id', '--case', 'L0002']);
  assert.equal(r.code, 0, r.stderr);
  const o = JSON.parse(r.stdout) as Line;
  assert.deepEqual(o.attributions.slice(1, 3).map((a) => [a.feature, a.value]), [['offense', 'drugs'], ['county', 'County 12']]);
});

test('a LightGBM model Risk Review cannot represent: exit 1 and one line naming the objective', () => {
  const d = mkdtempSync(join(tmpdir(), 'rr-lgbm-'));
  const text = readFileSync(join(FIXTURES, 'lightgbm/zeros.txt'), 'utf8').replace('objective=cross_entropy', 'objective=multiclass num_class:3');
  writeFileSync(join(d, 'm.txt'), text);
  const r = runCli(['score', '--model', join(d, 'm.txt'), '--data', join(FIXTURES, 'lightgbm/zeros.csv'), '--id-column', 'case_id']);
  assertCleanFailure(r, /m\.txt: uses the objective "multiclass"; Risk Review reads LightGBM models with the objectives binary and cross_entropy\n/);
});
