import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModel } from '../../extension/engine/models/load';
import { bandOf, marginOf, probabilityOf, scoreOf, sigmoid } from '../../extension/engine/models/score';
import { InputError } from '../../extension/engine/errors';

const F = 'm.riskmodel.json';

function throwsInput(fn: () => unknown, pattern: RegExp) {
  assert.throws(fn, (e: unknown) => e instanceof InputError && pattern.test(e.message), `expected ${pattern}`);
}

test('logistic: log-odds = intercept + Σ w·x, features in file order, labels kept', () => {
  const m = parseModel({ kind: 'logistic', name: 'L', version: '2', intercept: -1.5, coefficients: { a: 0.5, b: -2 }, labels: { a: 'Alpha' } }, F);
  assert.equal(m.kind, 'logistic');
  assert.deepEqual(m.features.map((f) => [f.name, f.label]), [['a', 'Alpha'], ['b', 'b']]);
  const margin = marginOf(m, Float64Array.of(3, 0.25));
  assert.ok(Math.abs(margin - (-1.5 + 1.5 - 0.5)) < 1e-15);
  assert.equal(probabilityOf(m, margin), sigmoid(-0.5));
  throwsInput(() => marginOf(m, Float64Array.of(NaN, 1), 0, 'C7'), /case "C7": missing value for "a"/);
});

const instrument = {
  kind: 'scorecard',
  name: 'Screen',
  items: [
    { feature: 'priors', label: 'Prior referrals', bins: [{ below: 1, points: 0 }, { below: 3, points: 2 }, { points: 4 }] },
    { feature: 'school', categories: { engaged: 0, partial: 1, disengaged: 3 }, missingPoints: 1 },
  ],
  bands: [{ label: 'Low', below: 3 }, { label: 'Moderate', below: 6 }, { label: 'High' }],
  probability: { method: 'logistic', intercept: -3, slope: 0.5 },
};

test('scorecard: bins are half-open [previous below, below), categories by index, missing points', () => {
  const m = parseModel(instrument, F);
  assert.equal(m.kind, 'scorecard');
  const total = (priors: number, school: number) => marginOf(m, Float64Array.of(priors, school));
  assert.equal(total(0, 0), 0);
  assert.equal(total(1, 0), 2);
  assert.equal(total(2.9, 1), 3);
  assert.equal(total(3, 2), 7);
  assert.equal(total(10, NaN), 5);
  assert.equal(probabilityOf(m, 4), sigmoid(-1));
  if (m.kind === 'scorecard') {
    assert.equal(bandOf(m.bands, 2.99), 'Low');
    assert.equal(bandOf(m.bands, 3), 'Moderate');
    assert.equal(bandOf(m.bands, 6), 'High');
  }
});

test('scorecard without a probability mapping scores the total; a table maps piecewise-linearly', () => {
  const noMap = parseModel({ ...instrument, probability: undefined }, F);
  assert.equal(probabilityOf(noMap, 5), null);
  assert.equal(scoreOf(noMap, 5), 5);
  const table = parseModel({ ...instrument, probability: { method: 'table', totals: [0, 4, 8], probabilities: [0.1, 0.3, 0.7] } }, F);
  assert.equal(probabilityOf(table, -1), 0.1);
  assert.ok(Math.abs(probabilityOf(table, 6)! - 0.5) < 1e-12);
  assert.equal(probabilityOf(table, 9), 0.7);
});

test('an item without missing points refuses a missing value, naming the case and item', () => {
  const m = parseModel(instrument, F);
  throwsInput(() => marginOf(m, Float64Array.of(NaN, 0), 0, 'J-1'), /case "J-1": missing value for item "priors"/);
});

test('model files that break the schema or the rules get one clear message', () => {
  throwsInput(() => parseModel({ kind: 'forest' }, F), /^m\.riskmodel\.json: has "kind": "forest", which Risk Review does not read; it reads "logistic" and "scorecard" models/);
  throwsInput(() => parseModel({ kind: 'logistic', intercept: 0 }, F), /needs the property "coefficients"/);
  throwsInput(() => parseModel({ kind: 'logistic', intercept: 0, coefficients: { a: 'x' } }, F), /"coefficients\.a" must be number/);
  throwsInput(() => parseModel({ ...instrument, bands: [{ label: 'Low', below: 5 }, { label: 'High', below: 9 }] }, F), /the last must have none/);
  throwsInput(() => parseModel({ ...instrument, bands: [{ label: 'Low', below: 5 }, { label: 'Mid', below: 4 }, { label: 'High' }] }, F), /must increase/);
  throwsInput(() => parseModel({ ...instrument, items: [instrument.items[0], instrument.items[0]] }, F), /item "priors" appears twice/);
  throwsInput(() => parseModel([1, 2], F), /neither an XGBoost JSON model/);
});

test('XGBoost: unsupported objectives and boosters are named', () => {
  const base = { learner: { objective: { name: 'multi:softprob' }, gradient_booster: { name: 'gbtree' }, learner_model_param: { base_score: '5E-1', num_feature: '1' } } };
  throwsInput(() => parseModel(base, 'x.json'), /^x\.json: uses the objective "multi:softprob"; Risk Review reads binary:logistic and reg:logistic models/);
  const linear = { learner: { ...base.learner, objective: { name: 'binary:logistic' }, gradient_booster: { name: 'gblinear' } } };
  throwsInput(() => parseModel(linear, 'x.json'), /uses the "gblinear" booster/);
});
