/**
 * The Wilson score interval for a proportion k/n (Wilson 1927), the interval every rate carries:
 *
 *     centre = (p̂ + z²/2n) / (1 + z²/n),   half = z/(1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²),   p̂ = k/n,
 *
 * with z = Φ⁻¹(0.975) = 1.959963984540054 (the 97.5% normal quantile, as scipy's norm.ppf gives it) for 95%
 * intervals. Unlike the normal ("Wald") interval it
 * stays inside [0, 1] and does not collapse to a point when k = 0 or k = n, which is what small groups and
 * sparse bins need. The ends are set exactly to 0 at k = 0 and 1 at k = n, and the interval always
 * contains p̂ (rounding is not allowed to push an end past it).
 */

export const CONFIDENCE = 0.95;
export const Z_95 = 1.959963984540054;

export interface Interval {
  readonly ciLow: number;
  readonly ciHigh: number;
}

/** The Wilson interval of k successes in n > 0 trials, or null when n = 0. */
export function wilson(k: number, n: number, z = Z_95): Interval | null {
  if (n === 0) return null;
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const ciLow = k === 0 ? 0 : Math.min(p, Math.max(0, centre - half));
  const ciHigh = k === n ? 1 : Math.max(p, Math.min(1, centre + half));
  return { ciLow, ciHigh };
}
