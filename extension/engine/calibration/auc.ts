/**
 * The area under the ROC curve as the Mann–Whitney statistic: the chance that a case whose outcome
 * happened scores higher than one whose outcome did not, ties counting one half,
 *
 *     AUC = (1 / (P·N)) · Σ_{i: y=1} ( #{j: y=0, s_j < s_i} + ½ · #{j: y=0, s_j = s_i} ),
 *
 * which equals scikit-learn's `roc_auc_score` (the trapezoid under the ROC curve, ties averaged). It is
 * computed from the positives' and the negatives' scores, each sorted ascending, in one merge pass; a
 * typed-array sort is native and much faster than sorting indexes with a comparator.
 */

/** AUC from ascending `positives` and `negatives` (both non-empty). */
export function aucOfSorted(positives: Float64Array, negatives: Float64Array): number {
  const nNeg = negatives.length;
  let below = 0; // negatives strictly below the current positive score
  let atOrBelow = 0; // negatives at or below it
  let u = 0;
  for (let i = 0; i < positives.length; i++) {
    const s = positives[i];
    while (below < nNeg && negatives[below] < s) below++;
    if (atOrBelow < below) atOrBelow = below;
    while (atOrBelow < nNeg && negatives[atOrBelow] <= s) atOrBelow++;
    u += below + 0.5 * (atOrBelow - below);
  }
  return u / (positives.length * nNeg);
}
