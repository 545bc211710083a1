/**
 * Tree models scored against their libraries: probabilities equal XGBoost's and LightGBM's `predict` on
 * the oracles' cases (missing values on default branches, values exactly at split thresholds, categories),
 * and the JSON of XGBoost 2.x and 3.x reads to the same forest and the same scores as 1.7's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { marginOf, probabilityOf } from '../../extension/engine/models/score';
import { ORACLE_FIXTURES, XGB_DIR, XGB_VARIANTS, xgbFixture } from './explain-fixtures';

const PROBABILITY_TOLERANCE = 1e-6;

for (const { label, load } of ORACLE_FIXTURES) {
  test(`${label}: every probability equals the library's predict to ${PROBABILITY_TOLERANCE}`, () => {
    const { model, cases, expected } = load();
    assert.equal(expected.probability.length, cases.n);
    const m = model.features.length;
    let worst = 0;
    for (let i = 0; i < cases.n; i++) {
      const p = probabilityOf(model, marginOf(model, cases.x, i * m))!;
      worst = Math.max(worst, Math.abs(p - expected.probability[i]));
    }
    assert.ok(worst <= PROBABILITY_TOLERANCE, `max |p − predict| = ${worst}`);
  });
}

test('the fixtures exercise missing values and values exactly at a split threshold', () => {
  const { model, cases } = xgbFixture('binary_d4_named');
  assert.ok(cases.x.some((v) => Number.isNaN(v)), 'no missing values');
  const thresholds = new Set(model.forest.threshold.filter((_, k) => model.forest.left[k] >= 0));
  const atThreshold = cases.x.filter((v) => thresholds.has(Math.fround(v))).length;
  assert.ok(atThreshold >= 20, `only ${atThreshold} values sit exactly on a threshold`);
});

test('feature names: from the model when saved with them, f0… otherwise', () => {
  assert.equal(xgbFixture('binary_d3_named').model.features[1].name, 'prior_arrests');
  assert.deepEqual(
    xgbFixture('binary_d5_unnamed').model.features.map((f) => f.name),
    ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7'],
  );
});

for (const name of XGB_VARIANTS) {
  test(`${name}: XGBoost 2.x and 3.x JSON read to the same forest and identical scores`, () => {
    const base = xgbFixture(name);
    const raw3 = JSON.parse(readFileSync(join(XGB_DIR, `${name}.v3.json`), 'utf8'));
    // The variants really are in the later formats (so this test cannot pass by reading 1.7 twice).
    assert.match(raw3.learner.learner_model_param.base_score, /^\[.*\]$/);
    assert.equal(typeof raw3.learner.gradient_booster.model.trees[0].default_left[0], 'boolean');
    for (const [variant, version] of [
      ['.v2', '2.1.4'],
      ['.v3', '3.0.2'],
    ] as const) {
      const other = xgbFixture(name, variant);
      assert.equal(other.model.xgboostVersion, version);
      assert.deepEqual(other.model.forest, base.model.forest);
      const m = base.model.features.length;
      for (let i = 0; i < base.cases.n; i++) {
        assert.equal(marginOf(other.model, other.cases.x, i * m), marginOf(base.model, base.cases.x, i * m));
      }
    }
  });
}
