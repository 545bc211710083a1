/**
 * Logistic regressions trained behind an imputer (`"impute"` in the model file): scores against
 * scikit-learn's Pipeline(SimpleImputer, LogisticRegression) on cases with missing values
 * (test/oracles/logistic_impute_fixtures.py), attributions against brute-force enumeration of the
 * interventional game (the hybrid rows are scored, so the background's missing values are imputed as
 * the model imputes them), the loader's checks, and how a missing, imputed value is shown.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv } from '../../extension/engine/data/csv';
import { bindCases, type CaseSet } from '../../extension/engine/data/cases';
import { InputError, isInputError } from '../../extension/engine/errors';
import { backgroundFromCases, explainCase, prepareExplainer, type Background } from '../../extension/engine/explain/index';
import { loadModel, parseModel } from '../../extension/engine/models/load';
import { marginOf, sigmoid } from '../../extension/engine/models/score';
import type { LogisticModel } from '../../extension/engine/models/types';
import { buildCaseSummary, prepareAnalyses } from '../../extension/engine/report/index';
import { valueText } from '../../extension/engine/report/build';
import { openReview, scoreAll } from '../../extension/engine/review';
import { EngineClient } from '../../extension/host/engineClient';
import { bruteShapley, interventionalGame, maxAbsDiff } from './explain-fixtures';
import { valueText as fieldValueText } from '../../webview/scenario';

const DIR = join(__dirname, '..', 'fixtures', 'logistic-impute');
const STRATEGIES = ['mean', 'median', 'constant'] as const;
/** scikit-learn's predict_proba and ours differ only in the order of a five-term sum. */
const SKLEARN = 1e-12;
const EXACT = 1e-9;

interface Expected {
  readonly ids: string[];
  readonly probability: number[];
  readonly margin: number[];
}

function fixture(strategy: string): { model: LogisticModel; cases: CaseSet; expected: Expected; json: { impute: Record<string, number> } } {
  const file = join(DIR, `${strategy}.riskmodel.json`);
  const { model } = loadModel(file);
  assert.equal(model.kind, 'logistic');
  const cases = bindCases(readCsv(join(DIR, 'cases.csv'), ['case_id']), model.features, { idColumn: 'case_id', outcomeColumn: 'outcome' });
  const expected = JSON.parse(readFileSync(join(DIR, `${strategy}.expected.json`), 'utf8')) as Expected;
  return { model: model as LogisticModel, cases, expected, json: JSON.parse(readFileSync(file, 'utf8')) };
}

function throwsInput(fn: () => unknown, pattern: RegExp) {
  assert.throws(fn, (e: unknown) => e instanceof InputError && pattern.test(e.message), `expected ${pattern}`);
}

/** Rows [from, to) of a case set, as a background. */
function rowsOf(cases: CaseSet, from: number, to: number, keep: (i: number) => boolean = () => true) {
  const m = cases.features.length;
  const picked = [...Array(to - from).keys()].map((k) => from + k).filter(keep);
  const x = new Float64Array(picked.length * m);
  picked.forEach((i, r) => x.set(cases.x.subarray(i * m, (i + 1) * m), r * m));
  return { file: cases.file, n: picked.length, x, ids: picked.map((i) => cases.ids[i]), lines: Uint32Array.from(picked, (i) => cases.lines[i]) };
}

for (const strategy of STRATEGIES) {
  test(`SimpleImputer(strategy="${strategy}") + LogisticRegression: every probability and margin equals scikit-learn's`, () => {
    const { model, cases, expected, json } = fixture(strategy);
    assert.deepEqual([...model.impute], model.features.map((f) => json.impute[f.name]), 'impute values read in feature order, exactly');
    assert.deepEqual(cases.ids, expected.ids);
    let missing = 0;
    for (const v of cases.x) if (v !== v) missing++;
    assert.ok(missing > 100, `${missing} missing values among the cases`);
    const { margin, score } = scoreAll(model, cases);
    const worstP = maxAbsDiff(score, expected.probability);
    const worstM = maxAbsDiff(margin, expected.margin);
    assert.ok(worstP <= SKLEARN, `largest probability difference ${worstP}`);
    assert.ok(worstM <= SKLEARN * 10, `largest margin difference ${worstM}`);
  });
}

test('the all-missing case scores as the impute values, and a case with none missing as its own values', () => {
  const { model, cases } = fixture('mean');
  const m = model.features.length;
  const allMissing = cases.indexOf('C-0008');
  assert.ok(cases.x.subarray(allMissing * m, (allMissing + 1) * m).every(Number.isNaN));
  assert.equal(marginOf(model, cases.x, allMissing * m), marginOf(model, model.impute));
  const complete = cases.indexOf('C-0009');
  assert.equal(marginOf(model, cases.x, complete * m), marginOf(parseModel({ kind: 'logistic', intercept: model.intercept, coefficients: Object.fromEntries(model.features.map((f, j) => [f.name, model.weights[j]])) }, 'x'), cases.x, complete * m));
});

/** Closed form against enumeration for cases [0, n) with the given background; additivity; base = v(∅). */
function checkAgainstBruteForce(model: LogisticModel, cases: CaseSet, explained: number[], background: ReturnType<typeof rowsOf>): number {
  const m = model.features.length;
  const bg: Background = backgroundFromCases(model, background);
  const explainer = prepareExplainer(model, bg);
  let worst = 0;
  for (const i of explained) {
    const x = cases.x.subarray(i * m, (i + 1) * m);
    const game = interventionalGame(model, (row) => marginOf(model, row, 0), x, background.x, background.n);
    const a = explainCase(explainer, cases, i);
    const d = maxAbsDiff(a.contributions, bruteShapley(m, game));
    worst = Math.max(worst, d);
    assert.ok(d <= EXACT, `case ${a.caseId}: closed form vs enumeration differ by ${d}`);
    assert.ok(Math.abs(a.baseValue - game(0)) <= EXACT, 'base value = v(∅) = mean margin over the background, imputed');
    assert.equal(a.margin, marginOf(model, cases.x, i * m));
    assert.ok(Math.abs(a.baseValue + a.contributions.reduce((s, c) => s + c, 0) - a.margin) <= EXACT, 'additivity');
  }
  return worst;
}

test('attributions of cases with missing values equal brute-force Shapley enumeration, against the cases and against another background', () => {
  const { model, cases } = fixture('mean');
  const m = model.features.length;
  const explained = [...Array(40).keys()];
  assert.ok(explained.filter((i) => cases.x.subarray(i * m, (i + 1) * m).some(Number.isNaN)).length >= 10, 'enough cases with missing values');
  const worst = Math.max(checkAgainstBruteForce(model, cases, explained, rowsOf(cases, 0, 40)), checkAgainstBruteForce(model, cases, explained, rowsOf(cases, 100, 200)));
  assert.ok(worst <= EXACT, `largest difference from enumeration ${worst}`);
});

test('the background mean is taken over imputed values: a missing value attributes w·(impute − mean of the imputed column)', () => {
  const { model, cases } = fixture('median');
  const m = model.features.length;
  const bg = backgroundFromCases(model, cases);
  assert.ok(bg.kind === 'feature-means');
  for (let j = 0; j < m; j++) {
    let sum = 0;
    for (let i = 0; i < cases.n; i++) sum += Number.isNaN(cases.x[i * m + j]) ? model.impute[j] : cases.x[i * m + j];
    assert.ok(Math.abs(bg.means[j] - sum / cases.n) <= 1e-12, model.features[j].name);
  }
  const a = explainCase(prepareExplainer(model, bg), cases, cases.indexOf('C-0008'));
  for (let j = 0; j < m; j++) assert.ok(Math.abs(a.contributions[j] - model.weights[j] * (model.impute[j] - bg.means[j])) <= 1e-15);
});

test('only the features with an impute value may be missing; the others are refused as before', () => {
  const json = JSON.parse(readFileSync(join(DIR, 'mean.riskmodel.json'), 'utf8'));
  delete json.impute.family_support;
  const model = parseModel(json, 'partial.riskmodel.json') as LogisticModel;
  const { cases } = fixture('mean');
  const m = model.features.length;
  const j = model.features.findIndex((f) => f.name === 'family_support');
  assert.ok(Number.isNaN(model.impute[j]));
  const gap = [...Array(cases.n).keys()].find((i) => Number.isNaN(cases.x[i * m + j]))!;
  throwsInput(() => marginOf(model, cases.x, gap * m, cases.ids[gap]), new RegExp(`case "${cases.ids[gap]}".*missing value for "family_support"; a logistic model cannot score it`));
  throwsInput(() => scoreAll(model, cases), /cases\.csv, line \d+, column "family_support", case "C-\d+": missing value for "family_support"; a logistic model cannot score it/);
  throwsInput(() => backgroundFromCases(model, cases), /cases\.csv, line \d+, column "family_support": missing value for "family_support", which the model has no impute value for/);
  // With family_support present everywhere, the other features' missing values are imputed and exact.
  const present = (i: number) => !Number.isNaN(cases.x[i * m + j]);
  const explained = [...Array(60).keys()].filter(present);
  const background = rowsOf(cases, 0, 120, present);
  assert.ok(checkAgainstBruteForce(model, cases, explained, background) <= EXACT);
});

test('the loader: impute names must be coefficients, and impute values numbers', () => {
  const base = { kind: 'logistic', intercept: 0, coefficients: { 'priors count': 0.5, age: -0.1 } };
  throwsInput(() => parseModel({ ...base, impute: { 'priors count': 1, prior_count: 2 } }, 'm.riskmodel.json'), /^m\.riskmodel\.json: "impute" names "prior_count", which is not one of the coefficients \(priors count, age\)$/);
  throwsInput(() => parseModel({ ...base, impute: { age: 'median' } }, 'm.riskmodel.json'), /^m\.riskmodel\.json: is not a valid Risk Review model: "impute\.age" must be number$/);
  throwsInput(() => parseModel({ ...base, impute: { age: null } }, 'm.riskmodel.json'), /"impute\.age" must be number/);
  throwsInput(() => parseModel({ ...base, impute: [1, 2] }, 'm.riskmodel.json'), /"impute" must be object/);
  throwsInput(() => parseModel({ ...base, impute: { toString: 1 } }, 'm.riskmodel.json'), /"impute" names "toString"/);
  const ok = parseModel({ ...base, impute: {} }, 'm.riskmodel.json') as LogisticModel;
  assert.ok(ok.impute.every(Number.isNaN), 'an empty impute imputes nothing');
  const none = parseModel(base, 'm.riskmodel.json') as LogisticModel;
  assert.equal(none.impute.length, 2);
  assert.ok(none.impute.every(Number.isNaN));
  const one = parseModel({ ...base, impute: { age: 15 } }, 'm.riskmodel.json') as LogisticModel;
  assert.deepEqual([...one.impute], [NaN, 15]);
  assert.equal(marginOf(one, Float64Array.of(2, NaN)), 0.5 * 2 - 0.1 * 15);
  throwsInput(() => marginOf(one, Float64Array.of(NaN, 12), 0, 'K'), /case "K".*missing value for "priors count"; a logistic model cannot score it/);
});

test('a missing, imputed value reads "missing (taken as …)" in the case summary; other missing values read "missing"', () => {
  const json = JSON.parse(readFileSync(join(DIR, 'mean.riskmodel.json'), 'utf8'));
  const model = parseModel(json, 'm.riskmodel.json') as LogisticModel;
  assert.equal(valueText(model, 0, NaN), `missing (taken as ${Number(json.impute['priors count'].toFixed(4))})`);
  assert.equal(valueText(model, 0, 2), '2');
  assert.equal(valueText(parseModel({ kind: 'logistic', intercept: 0, coefficients: { a: 1 } }, 'x'), 0, NaN), 'missing');
  assert.equal(valueText(parseModel({ kind: 'logistic', intercept: 0, coefficients: { a: 1 }, impute: { a: -0.25 } }, 'x'), 0, NaN), 'missing (taken as -0.25)');

  const review = openReview({ source: { kind: 'model', modelFile: join(DIR, 'mean.riskmodel.json') }, dataFile: join(DIR, 'cases.csv'), idColumn: 'case_id', outcomeColumn: 'outcome', groupColumns: [], referenceGroups: {}, features: {} });
  const analyses = prepareAnalyses(review);
  const i = review.cases.indexOf('C-0004'); // age and school disengagement missing
  const s = buildCaseSummary(review, analyses, i, { generatedAt: '2026-01-01T00:00:00Z', extensionVersion: 'test' });
  const rows = s.attribution!.rows;
  assert.deepEqual(rows.map((r) => r.valueText), ['1', `missing (taken as ${Number(json.impute.age_at_first_referral.toFixed(4))})`, `missing (taken as ${Number(json.impute.school_disengagement.toFixed(4))})`, '0.673', '-1.15']);
  assert.deepEqual(rows.map((r) => r.value), [1, null, null, 0.673, -1.15], 'the value itself stays missing');
  assert.ok(Math.abs(s.attribution!.baseValue + rows.reduce((t, r) => t + r.contribution, 0) - s.header.margin) <= EXACT);
});

test('the panel: the what-if editor offers "missing" exactly where the model imputes, and a missing value scores as imputed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rr-impute-'));
  const json = JSON.parse(readFileSync(join(DIR, 'mean.riskmodel.json'), 'utf8'));
  delete json.impute.family_support;
  writeFileSync(join(dir, 'm.riskmodel.json'), JSON.stringify(json));
  writeFileSync(join(dir, 'c.csv'), 'id,priors count,age_at_first_referral,school_disengagement,peer_delinquency,family_support\na,2,,1,0.3,0.5\nb,0,15,,0.1,-1\n');
  const model = parseModel(json, 'm') as LogisticModel;
  const client = new EngineClient({ file: join(__dirname, '..', '..', 'extension', 'host', 'worker.ts'), execArgv: ['--require', 'tsx/cjs'] });
  try {
    const o = await client.request('open', { source: { kind: 'files', model: join(dir, 'm.riskmodel.json'), data: join(dir, 'c.csv'), idColumn: 'id', groupColumns: [] }, options: {} });
    assert.deepEqual(o.fields.map((f) => f.acceptsMissing), [true, true, true, true, false]);
    // The editor's hints and kept scenarios say which value the model takes for a missing one.
    assert.deepEqual(o.fields.map((f) => f.imputedAs), [...Array.from(model.impute.subarray(0, 4)), undefined]);
    assert.equal(fieldValueText(o.fields[0], null), `missing (taken as ${Number(model.impute[0].toFixed(4))})`);
    assert.equal(fieldValueText(o.fields[4], null), 'missing');
    assert.equal(o.score[0], sigmoid(marginOf(model, Float64Array.of(2, model.impute[1], 1, 0.3, 0.5))));
    const w = await client.request('whatIf', { index: 0, values: { 'priors count': null } });
    assert.equal(w.margin, marginOf(model, Float64Array.of(model.impute[0], model.impute[1], 1, 0.3, 0.5)));
    assert.equal(w.attribution!.rows[0].valueText, `missing (taken as ${Number(model.impute[0].toFixed(4))})`);
    await assert.rejects(client.request('whatIf', { index: 0, values: { family_support: null } }), (e) => isInputError(e) && /missing value for "family_support"; a logistic model cannot score it/.test(e.message));
  } finally {
    await client.dispose();
  }
});
