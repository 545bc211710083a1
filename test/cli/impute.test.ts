/**
 * A logistic model with `"impute"` through the CLI, as a user runs it on a case file with empty cells:
 * `score` gives scikit-learn's probabilities (test/oracles/logistic_impute_fixtures.py), `explain` says
 * which values it imputed, `export` shows them as "missing (taken as …)", a feature without an impute
 * value still fails cleanly, and two runs give the same bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCleanFailure, runCli } from '../helpers/cli';

const DIR = join(__dirname, '..', 'fixtures', 'logistic-impute');
const CASES = join(DIR, 'cases.csv');
const MODEL = join(DIR, 'mean.riskmodel.json');
const json = JSON.parse(readFileSync(MODEL, 'utf8')) as { intercept: number; coefficients: Record<string, number>; impute: Record<string, number> };
const expected = JSON.parse(readFileSync(join(DIR, 'mean.expected.json'), 'utf8')) as { ids: string[]; probability: number[] };
const args = (model = MODEL) => ['--model', model, '--data', CASES, '--id-column', 'case_id'];
const d = mkdtempSync(join(tmpdir(), 'rr-cli-impute-'));

interface Line {
  caseId: string;
  margin: number;
  baseValue: number;
  attributions: { feature: string; value: number | null; imputed?: number; contribution: number }[];
}

test('score: empty cells of imputed features score as scikit-learn\'s pipeline does', () => {
  const r = runCli(['score', ...args(), '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { cases: { caseId: string; score: number }[] };
  assert.deepEqual(out.cases.map((c) => c.caseId), expected.ids);
  const worst = Math.max(...out.cases.map((c, i) => Math.abs(c.score - expected.probability[i])));
  assert.ok(worst <= 1e-12, `largest difference from predict_proba ${worst}`);
});

test('explain: a missing value is null with the value the model took, and the attributions add up', () => {
  const r = runCli(['explain', ...args(), '--case', 'C-0004']);
  assert.equal(r.code, 0, r.stderr);
  const o = JSON.parse(r.stdout) as Line;
  const age = o.attributions.find((a) => a.feature === 'age_at_first_referral')!;
  assert.equal(age.value, null);
  assert.equal(age.imputed, json.impute.age_at_first_referral);
  assert.deepEqual(Object.keys(age), ['feature', 'value', 'imputed', 'contribution']);
  const priors = o.attributions.find((a) => a.feature === 'priors count')!;
  assert.deepEqual(Object.keys(priors), ['feature', 'value', 'contribution'], 'no "imputed" where the value is present');
  assert.ok(Math.abs(o.baseValue + o.attributions.reduce((s, a) => s + a.contribution, 0) - o.margin) <= 1e-9);
  const all = runCli(['explain', ...args(), '--all']);
  assert.equal(all.code, 0, all.stderr);
  assert.equal(all.stdout.trim().split('\n').length, expected.ids.length);
});

test('export: the summary says the value was missing and what it was taken as', () => {
  const r = runCli(['export', ...args(), '--case', 'C-0004', '--format', 'md']);
  assert.equal(r.code, 0, r.stderr);
  const taken = `missing (taken as ${Number(json.impute.age_at_first_referral.toFixed(4))})`;
  assert.ok(r.stdout.includes(taken), `"${taken}" in the summary`);
});

test('a feature without an impute value still refuses a missing value, naming file, line, column and case', () => {
  const partial = join(d, 'partial.riskmodel.json');
  const { ['priors count']: _dropped, ...impute } = json.impute;
  writeFileSync(partial, JSON.stringify({ ...json, impute }));
  assertCleanFailure(runCli(['score', ...args(partial)]), /cases\.csv, line 9, column "priors count", case "C-0008": missing value for "priors count"; a logistic model cannot score it$/m);
  // explain takes the background means from the cases first, and says so.
  assertCleanFailure(runCli(['explain', ...args(partial), '--case', 'C-0009']), /cases\.csv, line 9, column "priors count": missing value for "priors count", which the model has no impute value for; a logistic model's background needs every value$/m);
  const unknown = join(d, 'unknown.riskmodel.json');
  writeFileSync(unknown, JSON.stringify({ ...json, impute: { ...json.impute, prior_count: 1 } }));
  assertCleanFailure(runCli(['score', ...args(unknown)]), /unknown\.riskmodel\.json: "impute" names "prior_count", which is not one of the coefficients/);
  const text = join(d, 'text.riskmodel.json');
  writeFileSync(text, JSON.stringify({ ...json, impute: { ...json.impute, family_support: 'mean' } }));
  assertCleanFailure(runCli(['score', ...args(text)]), /text\.riskmodel\.json: is not a valid Risk Review model: "impute\.family_support" must be number/);
});

test('determinism: score and explain of imputed cases give the same bytes twice', () => {
  for (const [verb, ext, extra] of [['score', '.csv', ['--format', 'csv']], ['explain', '.jsonl', ['--all']]] as const) {
    const outs = [1, 2].map((k) => {
      const out = join(d, `${verb}-${k}${ext}`);
      const r = runCli([verb, ...args(), ...extra, '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      return readFileSync(out);
    });
    assert.ok(outs[0].length > 0 && outs[0].equals(outs[1]), `${verb}: two runs differ`);
  }
});
