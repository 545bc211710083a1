/**
 * Logistic regressions and additive instruments: the closed forms against brute-force enumeration of
 * the interventional game over the background (every coalition, by scoring hybrid rows), the base
 * value, additivity, the background file, and the probability view.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv, readCsv } from '../../extension/engine/data/csv';
import { bindCases, type CaseSet } from '../../extension/engine/data/cases';
import {
  backgroundFromCases,
  backgroundOf,
  explainCase,
  hasProbabilityView,
  prepareExplainer,
  toProbabilityPoints,
  topInteraction,
} from '../../extension/engine/explain/index';
import { parseModel } from '../../extension/engine/models/load';
import { marginOf, scoreOf } from '../../extension/engine/models/score';
import type { ComputedModel, RiskModel } from '../../extension/engine/models/types';
import type { ReviewSpec } from '../../extension/engine/project';
import { bruteShapley, interventionalGame, maxAbsDiff } from './explain-fixtures';

const EXACT = 1e-9;
const F = 'test.riskmodel.json';

const logistic = parseModel(
  { kind: 'logistic', intercept: -1.2, coefficients: { priors: 0.45, age: -0.08, school: 0.3, peers: 0.7, support: -0.5 } },
  F,
);

/** An instrument like the ones agencies use: bins, categories, points for a missing answer. */
function instrumentJson() {
  return {
    kind: 'scorecard',
    items: [
      { feature: 'priors', bins: [{ below: 1, points: 0 }, { below: 3, points: 2 }, { points: 4 }], missingPoints: 1 },
      { feature: 'age', bins: [{ below: 15, points: 3 }, { points: 0 }] },
      { feature: 'school', categories: { engaged: 0, partial: 1, disengaged: 3 }, missingPoints: 1 },
      { feature: 'peers', bins: [{ below: 0.5, points: 0 }, { points: 2.5 }], missingPoints: 0.5 },
    ],
    bands: [{ label: 'Low', below: 3 }, { label: 'Moderate', below: 6 }, { label: 'High' }],
    probability: { method: 'logistic', intercept: -3, slope: 0.5 } as object | undefined,
  };
}

const instrument = parseModel(instrumentJson(), F);

function casesFor(model: RiskModel, csv: string, file = 'cases.csv'): CaseSet {
  return bindCases(parseCsv(csv, file, ['id']), model.features, { idColumn: 'id' });
}

const logisticCases = casesFor(
  logistic,
  'id,priors,age,school,peers,support\nA,0,16,1,0.2,1\nB,4,14,0,0.9,0\nC,2,17,1,0.1,1\nD,1,15,0,0.7,0\nE,6,13,1,0.4,1\nF,3,16.5,0,0.5,0\n',
);

const instrumentCases = casesFor(
  instrument,
  'id,priors,age,school,peers\nA,0,16,engaged,0.2\nB,4,14,disengaged,\nC,,17,partial,0.9\nD,2,13,,0.5\nE,1,15,engaged,0.1\n',
);

function checkAgainstBruteForce(model: ComputedModel, cases: CaseSet) {
  const m = model.features.length;
  const background = backgroundFromCases(model, cases);
  const explainer = prepareExplainer(model, background);
  for (let i = 0; i < cases.n; i++) {
    const x = cases.x.subarray(i * m, (i + 1) * m);
    const game = interventionalGame(model, (row) => marginOf(model, row, 0), x, cases.x, cases.n);
    const a = explainCase(explainer, cases, i);
    assert.ok(maxAbsDiff(a.contributions, bruteShapley(m, game)) <= EXACT, `case ${a.caseId}: closed form vs enumeration`);
    assert.ok(Math.abs(a.baseValue - game(0)) <= EXACT, 'base value = v(∅) = mean margin over the background');
    assert.equal(a.margin, marginOf(model, cases.x, i * m));
    assert.ok(Math.abs(a.baseValue + a.contributions.reduce((s, c) => s + c, 0) - a.margin) <= EXACT, 'additivity');
  }
  return explainer;
}

test('logistic: w_j·(x_j − mean_j) equals brute-force enumeration of the interventional game; additive', () => {
  const explainer = checkAgainstBruteForce(logistic, logisticCases);
  assert.equal(explainer.method, 'linear-closed-form');
  assert.equal(explainer.scale, 'log-odds');
  // and literally the closed form the docs state
  const a = explainCase(explainer, logisticCases, 1);
  const meanPriors = (0 + 4 + 2 + 1 + 6 + 3) / 6;
  assert.ok(Math.abs(a.contributions[0] - 0.45 * (4 - meanPriors)) < 1e-15);
  assert.equal(topInteraction(explainer, logisticCases.x, 0), null, 'a linear model has no interactions');
});

test('scorecard: points − mean points equals brute-force enumeration (bins, categories, missing points); additive', () => {
  const explainer = checkAgainstBruteForce(instrument, instrumentCases);
  assert.equal(explainer.method, 'additive-closed-form');
  assert.equal(explainer.scale, 'points');
  const meanTotal = [0, 1, 2, 3, 4].reduce((s, i) => s + marginOf(instrument, instrumentCases.x, i * 4), 0) / 5;
  assert.ok(Math.abs(explainer.baseValue - meanTotal) < 1e-12, 'base value = mean total');
});

test('missing values a model cannot score are named: logistic background, scorecard item without missing points', () => {
  const withGap = casesFor(logistic, 'id,priors,age,school,peers,support\nA,0,16,1,0.2,1\nB,,14,0,0.9,0\n', 'bg.csv');
  assert.throws(() => backgroundFromCases(logistic, withGap), (e: Error) => e.name === 'InputError' && /bg\.csv, line 3, column "priors": missing value/.test(e.message));
  const noAge = casesFor(instrument, 'id,priors,age,school,peers\nA,0,,engaged,0.2\n');
  assert.throws(() => backgroundFromCases(instrument, noAge), (e: Error) => e.name === 'InputError' && /case "A".*item "age"/.test(e.message));
});

test('the background file named by the project sets the means (with or without an id column)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rr-explain-bg-'));
  const spec = (backgroundFile?: string): ReviewSpec => ({ source: { kind: 'model', modelFile: F }, dataFile: 'cases.csv', idColumn: 'id', groupColumns: [], referenceGroups: {}, features: {}, backgroundFile });
  writeFileSync(join(dir, 'with-ids.csv'), 'id,priors,age,school,peers,support\nx,1,15,0,0.5,0\ny,3,17,1,0.5,1\n');
  writeFileSync(join(dir, 'no-ids.csv'), 'priors,age,school,peers,support,extra\n1,15,0,0.5,0,z\n3,17,1,0.5,1,z\n');
  // The review reads its background file when it opens (review.ts); backgroundOf binds that table.
  const reviewWith = (file?: string) => ({ model: logistic, cases: logisticCases, spec: spec(file), backgroundTable: file === undefined ? null : readCsv(file, ['id']) });
  const fromCases = backgroundOf(reviewWith());
  assert.equal(fromCases.kind === 'feature-means' && fromCases.rows, 6);
  for (const file of ['with-ids.csv', 'no-ids.csv']) {
    const bg = backgroundOf(reviewWith(join(dir, file)));
    assert.ok(bg.kind === 'feature-means');
    assert.deepEqual([...bg.means], [2, 16, 0.5, 0.5, 0.5]);
    assert.equal(bg.rows, 2);
    const explainer = prepareExplainer(logistic, bg);
    assert.ok(Math.abs(explainer.baseValue - (-1.2 + 0.45 * 2 - 0.08 * 16 + 0.3 * 0.5 + 0.7 * 0.5 - 0.5 * 0.5)) < 1e-12);
  }
  writeFileSync(join(dir, 'bad.csv'), 'priors,age,school,peers,support\n1,15,0,0.5,0\n3,old,1,0.5,1\n');
  assert.throws(
    () => backgroundOf(reviewWith(join(dir, 'bad.csv'))),
    (e: Error) => e.name === 'InputError' && /bad\.csv, line 3, column "age": "old" is not a number/.test(e.message),
  );
  assert.throws(() => prepareExplainer(logistic, { kind: 'tree-cover' }), (e: Error) => e.name === 'InputError' && /does not fit/.test(e.message));
});

test('probability view: base p(b) plus the contributions is the score; signs and ranking kept', () => {
  for (const [model, cases] of [
    [logistic, logisticCases],
    [instrument, instrumentCases],
    [parseModel({ ...instrumentJson(), probability: { method: 'table', totals: [0, 4, 8, 12], probabilities: [0.05, 0.2, 0.5, 0.8] } }, F), instrumentCases],
  ] as const) {
    const explainer = prepareExplainer(model, backgroundFromCases(model, cases));
    for (let i = 0; i < cases.n; i++) {
      const a = explainCase(explainer, cases, i);
      const p = toProbabilityPoints(model, a);
      assert.equal(p.scale, 'probability');
      assert.equal(p.score, scoreOf(model, a.margin));
      assert.equal(p.margin, a.margin);
      assert.ok(Math.abs(p.baseValue + p.contributions.reduce((s, c) => s + c, 0) - p.score) <= 1e-12, `case ${a.caseId}`);
      for (let j = 0; j < a.contributions.length; j++) assert.ok(p.contributions[j] * a.contributions[j] >= 0, 'same sign');
    }
  }
});

test('probability view when the margin equals the base value: the slope of p at the base', () => {
  const explainer = prepareExplainer(logistic, backgroundFromCases(logistic, logisticCases));
  const a = explainCase(explainer, logisticCases, 0);
  const a2 = { ...a, margin: a.baseValue, contributions: Float64Array.from([0.3, -0.3, 0, 0, 0]) };
  const p = toProbabilityPoints(logistic, a2);
  const s = 1 / (1 + Math.exp(-a.baseValue)); // p'(b) = p(1 − p)
  assert.ok(Math.abs(p.contributions[0] - 0.3 * s * (1 - s)) < 1e-9);
  assert.ok(Math.abs(p.contributions[1] + 0.3 * s * (1 - s)) < 1e-9);
});

test('an instrument without a probability mapping has no probability view', () => {
  const noMap = parseModel({ ...instrumentJson(), probability: undefined }, F);
  assert.equal(hasProbabilityView(noMap), false);
  assert.equal(hasProbabilityView(instrument), true);
  const a = explainCase(prepareExplainer(noMap, backgroundFromCases(noMap, instrumentCases)), instrumentCases, 0);
  assert.equal(a.score, a.margin, 'the total is the score');
  assert.throws(() => toProbabilityPoints(noMap, a), (e: Error) => e.name === 'InputError' && /maps no probability/.test(e.message));
});
