/**
 * Newcombe's hybrid score interval for a difference of two independent proportions, θ = p₁ − p₂
 * (Newcombe 1998, "Interval estimation for the difference between independent proportions", method 10):
 * with p̂ᵢ = kᵢ/nᵢ and (lᵢ, uᵢ) the Wilson interval of each (wilson.ts),
 *
 *     lower = (p̂₁ − p̂₂) − √((p̂₁ − l₁)² + (u₂ − p̂₂)²),
 *     upper = (p̂₁ − p̂₂) + √((u₁ − p̂₁)² + (p̂₂ − l₂)²).
 *
 * It is what statsmodels' `confint_proportions_2indep(…, method="newcomb", compare="diff")` computes. Unlike
 * the Wald interval it stays inside [−1, 1], keeps its coverage near 95% for small groups and rates near
 * 0 or 1 (override rates are often a few per cent), and is not a point when a count is 0.
 */
import { wilson, Z_95, type Interval } from './wilson';

/** The interval of k₁/n₁ − k₂/n₂, or null when either group has no cases. */
export function newcombeDifference(k1: number, n1: number, k2: number, n2: number, z = Z_95): Interval | null {
  const a = wilson(k1, n1, z);
  const b = wilson(k2, n2, z);
  if (a === null || b === null) return null;
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const d = p1 - p2;
  return {
    ciLow: d - Math.sqrt((p1 - a.ciLow) ** 2 + (b.ciHigh - p2) ** 2),
    ciHigh: d + Math.sqrt((a.ciHigh - p1) ** 2 + (p2 - b.ciLow) ** 2),
  };
}
