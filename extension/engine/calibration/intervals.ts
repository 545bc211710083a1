/**
 * Normal-approximation intervals for an estimate θ̂ with standard error se, at the confidence of the
 * Wilson intervals (z = 1.959963984540054 for 95%):
 *
 *   - on the estimate's own scale (Wald):   θ̂ ± z · se,  clipped to the range θ can take;
 *   - on the logit scale, for θ ∈ (0, 1):   σ( logit θ̂ ± z · se / (θ̂ (1 − θ̂)) ),
 *     the delta method (d logit θ / dθ = 1 / (θ (1 − θ))), transformed back. The interval stays inside
 *     (0, 1) without clipping and is asymmetric where it should be: an estimate near 1 can fall further
 *     than it can rise.
 *
 * A standard error of 0 (or none) gives no interval: the approximation then says nothing about the
 * uncertainty, and a zero-width interval would claim certainty.
 */
import { logit, sigmoid } from '../models/score';
import { Z_95, type Interval } from './wilson';

/** θ̂ ± z·se clipped to [lower, upper], or null when se is not positive. */
export function waldInterval(estimate: number, standardError: number | null, lower = -Infinity, upper = Infinity, z = Z_95): Interval | null {
  if (standardError === null || !(standardError > 0)) return null;
  const half = z * standardError;
  return { ciLow: Math.max(lower, estimate - half), ciHigh: Math.min(upper, estimate + half) };
}

/** The logit-scale interval of a proportion-like θ̂ ∈ (0, 1), or null when θ̂ is 0 or 1 or se is not positive. */
export function logitInterval(estimate: number, standardError: number | null, z = Z_95): Interval | null {
  if (standardError === null || !(standardError > 0) || !(estimate > 0 && estimate < 1)) return null;
  const centre = logit(estimate);
  const half = (z * standardError) / (estimate * (1 - estimate));
  return { ciLow: sigmoid(centre - half), ciHigh: sigmoid(centre + half) };
}
