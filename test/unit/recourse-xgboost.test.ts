/**
 * Curves and recourse against XGBoost's own scores (test/fixtures/recourse/, made by
 * test/oracles/recourse_fixtures.py with Booster.predict): the sample's XGBoost model gives the same
 * options as XGBoost scoring every combination of the dynamic items; a continuous model's step curves
 * give XGBoost's probability at every split threshold, at the float32 values either side of each, across
 * the range, and with the value missing. The sample's logistic model and instrument: every curve point
 * is the engine's own score of the changed case (whose scores equal scikit-learn's and numpy's, sample.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveSpec } from '../../extension/engine/project';
import { openReview } from '../../extension/engine/review';
import { marginOf, scoreOf } from '../../extension/engine/models/score';
import { featureCurves } from '../../extension/engine/recourse/curves';
import { recourseFor } from '../../extension/engine/recourse/recourse';
import { changeRules } from '../../extension/engine/recourse/rules';
import type { FeatureCurve } from '../../extension/engine/recourse/types';
import type { ComputedModel } from '../../extension/engine/models/types';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'recourse');
/** XGBoost's probabilities are float32; ours sum the same float32 leaves in double. */
const XGB_PROBABILITY = 1e-6;
const XGB_MARGIN = 2e-6;

interface SampleFixture {
  maxOptions: number;
  cases: { caseId: string; below: number; options: { changes: Record<string, number>; count: number; size: number; margin: number; probability: number }[] }[];
}

interface CurvesFixture {
  cases: { caseId: string; features: { feature: string; values: number[]; probability: number[]; missing: number }[] }[];
}

const read = <T>(name: string): T => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;

test('the sample XGBoost model: the options equal XGBoost scoring every combination of the dynamic items', () => {
  const fixture = read<SampleFixture>('sample-xgboost.json');
  const review = openReview(resolveSpec({ project: join(ROOT, 'samples', 'juvenile', 'juvenile.riskreview.json') }));
  const rules = changeRules(review);
  let options = 0;
  for (const c of fixture.cases) {
    const i = review.cases.indexOf(c.caseId);
    const r = recourseFor(review, rules, i, { maxOptions: fixture.maxOptions });
    assert.equal(r.target!.below, c.below, c.caseId);
    assert.equal(r.options.length, c.options.length, `${c.caseId}: ${r.options.length} options, XGBoost's enumeration ${c.options.length}`);
    assert.equal(r.status, c.options.length ? 'found' : 'none', c.caseId);
    r.options.forEach((o, k) => {
      const e = c.options[k];
      const what = `${c.caseId}, option ${k}`;
      assert.equal(o.changes.length, e.count, what);
      assert.equal(o.size, e.size, what);
      assert.ok(Math.abs(o.margin - e.margin) <= XGB_MARGIN, `${what}: margin ${o.margin}, XGBoost ${e.margin}`);
      assert.ok(Math.abs(o.score - e.probability) <= XGB_PROBABILITY, `${what}: score ${o.score}, XGBoost ${e.probability}`);
      // Options tied on changes, size and (to float32) margin may come in either order.
      const tied = c.options.filter((t) => t.count === e.count && t.size === e.size && Math.abs(t.margin - e.margin) <= XGB_MARGIN);
      const ours = JSON.stringify(Object.fromEntries(o.changes.map((ch) => [ch.feature, ch.to]).sort()));
      assert.ok(tied.some((t) => JSON.stringify(Object.fromEntries(Object.entries(t.changes).sort())) === ours), `${what}: ${ours} is not XGBoost's`);
      options++;
    });
  }
  assert.ok(options >= 150, `only ${options} options compared`);
});

/** The curve's score at v: the point at v, or for steps the last step whose start v has reached (as XGBoost reads v, in float32). */
function curveAt(curve: FeatureCurve, v: number): number | undefined {
  if (curve.shape !== 'steps') return curve.points.find((p) => p.value === v)?.score;
  if (Math.fround(v) < curve.points[0].value || v > curve.end) return undefined;
  let k = 0;
  while (k + 1 < curve.points.length && Math.fround(v) >= curve.points[k + 1].value) k++;
  return curve.points[k].score;
}

test('a continuous XGBoost model: step curves give XGBoost\'s probability at and either side of every threshold, and with the value missing', () => {
  const fixture = read<CurvesFixture>('curves-d3.json');
  const dir = join(ROOT, 'test', 'fixtures', 'xgb');
  const review = openReview(resolveSpec({ model: join(dir, 'binary_d3_named.json'), data: join(dir, 'binary_d3_named.csv'), idColumn: 'case_id' }));
  const rules = changeRules(review);
  let checked = 0;
  let steps = 0;
  for (const c of fixture.cases) {
    const curves = featureCurves(review, rules, review.cases.indexOf(c.caseId)).curves;
    for (const f of c.features) {
      const curve = curves.find((x) => x.feature === f.feature)!;
      if (curve.shape === 'steps') steps++;
      assert.ok(Math.abs(curve.missingScore! - f.missing) <= XGB_PROBABILITY, `${c.caseId} ${f.feature} missing`);
      f.values.forEach((v, k) => {
        const ours = curveAt(curve, v);
        if (ours === undefined) return;
        assert.ok(Math.abs(ours - f.probability[k]) <= XGB_PROBABILITY, `${c.caseId} ${f.feature} at ${v}: ${ours}, XGBoost ${f.probability[k]}`);
        checked++;
      });
    }
  }
  assert.ok(steps >= 30 && checked >= 3000, `${steps} step curves, ${checked} values checked`);
});

test('the sample logistic model and instrument: every curve point is the score of the case with that one value changed', () => {
  for (const project of ['juvenile-logistic.riskreview.json', 'juvenile-instrument.riskreview.json']) {
    const review = openReview(resolveSpec({ project: join(ROOT, 'samples', 'juvenile', project) }));
    const rules = changeRules(review);
    const { cases } = review;
    const model = review.model as ComputedModel;
    const m = model.features.length;
    for (let i = 0; i < 40; i++) {
      const section = featureCurves(review, rules, i);
      assert.deepEqual(section.bands, review.bands);
      section.curves.forEach((curve, j) => {
        assert.equal(curve.shape, 'points', `${project} ${curve.feature}: a coded item's every value`);
        assert.equal(curve.riskFactor, rules[j].riskFactor);
        const own = cases.x[i * m + j];
        assert.equal(curve.caseValue, Number.isNaN(own) ? null : own);
        for (const p of curve.points) {
          const row = cases.x.slice(i * m, (i + 1) * m);
          row[j] = p.value;
          assert.equal(p.score, scoreOf(model, marginOf(model, row, 0)), `${project}, case ${i}, ${curve.feature} = ${p.value}`);
        }
        if (!Number.isNaN(own)) assert.equal(curve.points.find((p) => p.value === own)?.score, scoreOf(model, marginOf(model, cases.x, i * m)), 'the case\'s own point is its score');
      });
    }
  }
});
