/**
 * Per-feature curves: for each feature, the case's score as that feature sweeps its values (rules.ts)
 * with every other feature held at the case's own. Which values:
 *   - a categorical feature, or one with at most MAX_POINTS values (a coded item): every value;
 *   - else, where the model is constant on pieces of the axis (a tree ensemble between its split
 *     thresholds, an instrument between its bin edges): the start of every piece within the range, so
 *     the steps are exact;
 *   - else (a logistic weight on a continuous feature): LINE_POINTS evenly spaced values.
 * The case's own value is always among them, and the range is widened to hold it.
 */
import { featureValueText } from '../report/format';
import { forestMargins, imputedValue, marginOf, scoreOf } from '../models/score';
import type { ComputedModel } from '../models/types';
import { computedModel, type Review } from '../review';
import { acceptsMissing, piecesOf } from './axes';
import { domainRange, gridSize, gridValue, type ChangeRule } from './rules';
import type { CurvesSection, FeatureCurve } from './types';

export const MAX_POINTS = 50;
export const LINE_POINTS = 41;

export const CURVES_METHOD = `Each feature swept over its values with every other feature held at this case's values: every value of a coded item (up to ${MAX_POINTS}), the split thresholds of a tree ensemble and the bin edges of an instrument (where the score can change), and ${LINE_POINTS} evenly spaced values of a continuous feature otherwise`;

/** Margins of n rows of the model's width in `x`. */
function margins(model: ComputedModel, x: Float64Array, n: number): Float64Array {
  const m = model.features.length;
  const out = new Float64Array(n);
  if (model.kind === 'xgboost') forestMargins(model.forest, x, n, m, out);
  else for (let r = 0; r < n; r++) out[r] = marginOf(model, x, r * m);
  return out;
}

interface Sweep {
  readonly shape: FeatureCurve['shape'];
  readonly values: number[];
  readonly end: number;
}

function withValue(values: number[], x: number): number[] {
  return x !== x || values.includes(x) ? values : [...values, x].sort((a, b) => a - b);
}

function sweepOf(model: ComputedModel, rule: ChangeRule, x: number): Sweep {
  const d = rule.domain;
  if (d.kind === 'categories') return { shape: 'points', values: Array.from({ length: d.count }, (_, c) => c), end: d.count - 1 };
  const [lo0, hi0] = domainRange(d);
  const lo = x === x ? (lo0 === lo0 ? Math.min(lo0, x) : x) : lo0;
  const hi = x === x ? (hi0 === hi0 ? Math.max(hi0, x) : x) : hi0;
  if (!(lo <= hi)) return { shape: 'points', values: [], end: NaN };
  if (gridSize(d) <= MAX_POINTS) {
    const values = withValue(Array.from({ length: gridSize(d) }, (_, k) => gridValue(d, d.first + k)), x);
    return { shape: 'points', values, end: values[values.length - 1] };
  }
  const pieces = piecesOf(model, rule.feature);
  if (pieces) return { shape: 'steps', values: [lo, ...Array.from(pieces.cuts).filter((c) => c > lo && c <= hi)], end: hi };
  const values = Array.from({ length: LINE_POINTS }, (_, k) => lo + ((hi - lo) * k) / (LINE_POINTS - 1));
  return { shape: 'line', values: withValue(values, x), end: hi };
}

/** Every feature's curve for case i, in model order. */
export function featureCurves(review: Review, rules: readonly ChangeRule[], i: number): CurvesSection {
  const model = computedModel(review, 'A curve of the score along each feature');
  const { cases } = review;
  const m = model.features.length;
  const own = cases.x.subarray(i * m, (i + 1) * m);
  const sweeps = rules.map((r) => sweepOf(model, r, own[r.feature]));
  const missing = rules.map((r) => acceptsMissing(model, r.feature));
  // All the curves' rows in one batch: each sweep's values, then the missing value where the model scores one.
  const count = sweeps.reduce((s, w, k) => s + w.values.length + (missing[k] ? 1 : 0), 0);
  const x = new Float64Array(count * m);
  let r = 0;
  sweeps.forEach((w, k) => {
    for (const v of [...w.values, ...(missing[k] ? [NaN] : [])]) {
      x.set(own, r * m);
      x[r * m + rules[k].feature] = v;
      r++;
    }
  });
  const scores = Array.from(margins(model, x, count), (mg) => scoreOf(model, mg));
  r = 0;
  const curves = rules.map((rule, k): FeatureCurve => {
    const w = sweeps[k];
    const points = w.values.map((value) => ({ value, score: scores[r++] }));
    const missingScore = missing[k] ? scores[r++] : null;
    const v = own[rule.feature];
    return {
      feature: rule.name,
      label: rule.label,
      riskFactor: rule.riskFactor,
      shape: w.shape,
      points,
      end: w.end,
      ...(rule.categories ? { categories: rule.categories } : {}),
      caseValue: v !== v ? null : v,
      caseValueText: featureValueText(v, rule.categories, imputedValue(model, rule.feature)),
      missingScore,
    };
  });
  return { method: CURVES_METHOD, bands: review.bands.map((b) => ({ ...b })), curves };
}
