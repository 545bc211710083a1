/**
 * 95% intervals for the gap between two groups' figures (a group minus the reference group) without a
 * bootstrap. The groups share no case, so their estimates are independent:
 *
 *   - a difference of proportions d = p₁ − p₂ (outcome rate, FPR, FNR, PPV, selection rate): Newcombe's
 *     hybrid score interval (Newcombe 1998, method 10), from each proportion's Wilson interval (lᵢ, uᵢ):
 *
 *         [ d − √((p₁ − l₁)² + (u₂ − p₂)²),   d + √((u₁ − p₁)² + (p₂ − l₂)²) ]
 *
 *     (statsmodels' `confint_proportions_2indep(…, method="newcomb")`); unlike d ± z·√(Σ p(1 − p)/n) it
 *     behaves at rates near 0 or 1 and in small groups;
 *   - any other figure θ with a standard error (the AUC by DeLong, the Brier score, calibration-in-the-large,
 *     the calibration slope and intercept): Wald on the difference, d ± z·√(se₁² + se₂²).
 *
 * A gap "stands out" when its interval excludes 0.
 */
import { waldInterval } from './intervals';
import { wilson, type Interval } from './wilson';

/** Newcombe's interval for k₁/n₁ − k₂/n₂, or null when either proportion has no denominator. */
export function newcombeDifference(k1: number, n1: number, k2: number, n2: number): Interval | null {
  const a = wilson(k1, n1);
  const b = wilson(k2, n2);
  if (a === null || b === null) return null;
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const d = p1 - p2;
  return {
    ciLow: d - Math.sqrt((p1 - a.ciLow) ** 2 + (b.ciHigh - p2) ** 2),
    ciHigh: d + Math.sqrt((a.ciHigh - p1) ** 2 + (p2 - b.ciLow) ** 2),
  };
}

/** d ± z·√(se₁² + se₂²) for two independent estimates, or null when either has no standard error. */
export function independentDifference(e1: number | null, se1: number | null, e2: number | null, se2: number | null): Interval | null {
  if (e1 === null || e2 === null || se1 === null || se2 === null) return null;
  return waldInterval(e1 - e2, Math.sqrt(se1 * se1 + se2 * se2));
}

/** Whether an interval lies wholly on one side of 0. */
export function excludesZero(interval: Interval | null): boolean {
  return interval !== null && (interval.ciLow > 0 || interval.ciHigh < 0);
}
