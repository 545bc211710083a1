/**
 * The area under the ROC curve as the Mann–Whitney statistic, with DeLong's standard error.
 *
 * For m positives (cases whose outcome happened) with scores X_i and n negatives with scores Y_j, the
 * placement values (DeLong, DeLong & Clarke-Pearson 1988) are
 *
 *     V10_i = (1/n) · ( #{j: Y_j < X_i} + ½ · #{j: Y_j = X_i} )   the share of negatives X_i outranks,
 *     V01_j = (1/m) · ( #{i: X_i > Y_j} + ½ · #{i: X_i = Y_j} )   the share of positives that outrank Y_j,
 *
 * and AUC = mean_i V10_i = mean_j V01_j: the chance that a case whose outcome happened scores higher than
 * one whose did not, ties counting one half — scikit-learn's `roc_auc_score` (the trapezoid under the ROC
 * curve, ties averaged). DeLong's variance is
 *
 *     Var(AUC) = S10 / m + S01 / n,   S10 = Σ_i (V10_i − AUC)² / (m − 1),   S01 = Σ_j (V01_j − AUC)² / (n − 1),
 *
 * the sample variances of the placements; it needs at least two cases of each class. Sun & Xu (2014)
 * compute the placements from midranks (n·V10_i = R_i − R_i⁽¹⁾, the midrank of X_i among all scores minus
 * that among the positives); with both classes' scores sorted ascending, as they are here, one merge pass
 * counts the same numbers directly, in O(m + n). A typed-array sort is native and much faster than
 * sorting indexes with a comparator, so the scores are sorted by class before this is called.
 *
 * The interval (stats.ts) is taken on the logit scale (see intervals.ts): the AUC is bounded by 1 and its
 * sampling distribution is skewed near it, where a symmetric interval clipped at 1 would be too narrow
 * on the side that matters; transformed back, the interval always stays inside (0, 1).
 */

export interface AucEstimate {
  readonly auc: number;
  /** DeLong's √Var(AUC); null when a class has fewer than 2 cases. */
  readonly standardError: number | null;
}

/**
 * For each a_i of the ascending `a`, its placement count against the ascending `b`,
 * c_i = #{b < a_i} + ½ · #{b = a_i}, into `out`; one merge pass. Returns Σ c_i and Σ (c_i − centre)².
 */
function placementCounts(a: Float64Array, b: Float64Array, centre: number, out: Float64Array | null): { readonly sum: number; readonly squares: number } {
  const nb = b.length;
  let below = 0; // b strictly below the current a_i
  let atOrBelow = 0; // b at or below it
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < a.length; i++) {
    const s = a[i];
    while (below < nb && b[below] < s) below++;
    if (atOrBelow < below) atOrBelow = below;
    while (atOrBelow < nb && b[atOrBelow] <= s) atOrBelow++;
    const c = below + 0.5 * (atOrBelow - below);
    if (out) out[i] = c;
    sum += c;
    const d = c - centre;
    squares += d * d;
  }
  return { sum, squares };
}

/** Σ (v − centre)², about a known centre (not Σv² − (Σv)²/k, which cancels). */
function squaresAbout(values: Float64Array, centre: number): number {
  let s = 0;
  for (let k = 0; k < values.length; k++) {
    const d = values[k] - centre;
    s += d * d;
  }
  return s;
}

/** AUC and DeLong's standard error from ascending `positives` and `negatives` (both non-empty). */
export function deLongAuc(positives: Float64Array, negatives: Float64Array): AucEstimate {
  const m = positives.length;
  const n = negatives.length;
  // The positives' counts n·V10_i are kept: their squares are taken about their mean, once it is known.
  const ofPositives = new Float64Array(m);
  // u = Σ_i n·V10_i: half-integers, summed exactly.
  const u = placementCounts(positives, negatives, 0, ofPositives).sum;
  const auc = u / (m * n);
  if (m < 2 || n < 2) return { auc, standardError: null };
  // n·V10_i has mean u/m; the negatives' own counts among the positives, m·(1 − V01_j), have mean m − u/n.
  const s10 = squaresAbout(ofPositives, u / m) / (n * n * (m - 1));
  const s01 = placementCounts(negatives, positives, m - u / n, null).squares / (m * m * (n - 1));
  return { auc, standardError: Math.sqrt(s10 / m + s01 / n) };
}
