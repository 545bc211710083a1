/**
 * How faithfully the surrogate's prediction p reproduces the model's score s over n cases:
 *
 *     R² = 1 − Σ(s − p)² / Σ(s − s̄)²   (scikit-learn's r2_score; 1 when the score is constant and
 *                                        matched exactly, 0 when constant and missed),
 *     band agreement = share of cases with band(p) = band(s),
 *     RMSE = √(Σ(s − p)² / n).
 */
import { bandOf } from '../models/score';
import type { Band } from '../models/types';
import type { Fidelity } from './types';

export function r2Score(score: ArrayLike<number>, prediction: ArrayLike<number>): number {
  const n = score.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += score[i];
  mean /= n;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    residual += (score[i] - prediction[i]) ** 2;
    total += (score[i] - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}

/**
 * `scoreBands[i]` is the band of `score[i]`, worked out once per fit; predictions take few distinct
 * values (one per leaf), so their bands are looked up once per value.
 */
export function fidelityOf(score: ArrayLike<number>, scoreBands: readonly string[], prediction: ArrayLike<number>, bands: readonly Band[]): Fidelity {
  const n = score.length;
  const bandOfPrediction = new Map<number, string>();
  let same = 0;
  let residual = 0;
  for (let i = 0; i < n; i++) {
    const p = prediction[i];
    let band = bandOfPrediction.get(p);
    if (band === undefined) bandOfPrediction.set(p, (band = bandOf(bands, p)));
    if (band === scoreBands[i]) same++;
    residual += (score[i] - p) ** 2;
  }
  return { r2: r2Score(score, prediction), bandAgreement: n ? same / n : 1, rmse: n ? Math.sqrt(residual / n) : 0, n };
}

/** |s − p| at the percentiles 0, 1, …, 100 (linear interpolation between order statistics). */
export function errorPercentiles(score: ArrayLike<number>, prediction: ArrayLike<number>): number[] {
  const n = score.length;
  const errors = new Float64Array(n);
  for (let i = 0; i < n; i++) errors[i] = Math.abs(score[i] - prediction[i]);
  errors.sort();
  return Array.from({ length: 101 }, (_, q) => {
    if (n === 0) return 0;
    const at = (q / 100) * (n - 1);
    const lo = Math.floor(at);
    const hi = Math.min(lo + 1, n - 1);
    return errors[lo] + (at - lo) * (errors[hi] - errors[lo]);
  });
}

/** The share of cases missed by less than `error`, read from the percentiles (interpolated). */
export function errorRank(percentiles: readonly number[], error: number): number {
  if (error <= percentiles[0]) return 0;
  if (error >= percentiles[100]) return 1;
  let q = 0;
  while (percentiles[q + 1] < error) q++;
  const span = percentiles[q + 1] - percentiles[q];
  return (q + (span > 0 ? (error - percentiles[q]) / span : 0)) / 100;
}
