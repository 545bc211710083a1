/**
 * The strongest pairwise interaction in a case's explanation (tree models only: logistic and additive
 * models have none). From the TreeSHAP interaction matrix Φ, a pair's joint effect is Φ_ab + Φ_ba
 * (XGBoost splits it evenly between the two cells); the pair with the largest |Φ_ab + Φ_ba| is reported,
 * on the margin scale (log-odds).
 */
import type { Explainer } from './explainer';

export interface TopInteraction {
  /** Feature names, in model order. */
  readonly features: readonly [string, string];
  readonly indices: readonly [number, number];
  /** Φ_ab + Φ_ba on the margin scale. */
  readonly value: number;
}

/** The case is the row of `x` (model order) starting at `offset`, as everywhere in the engine. */
export function topInteraction(explainer: Explainer, x: Float64Array, offset: number): TopInteraction | null {
  const matrix = explainer.interactions(x, offset);
  if (matrix === null) return null;
  const m = explainer.nFeatures;
  const width = m + 1;
  let best: TopInteraction | null = null;
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      const value = matrix[a * width + b] + matrix[b * width + a];
      if (value !== 0 && (best === null || Math.abs(value) > Math.abs(best.value))) {
        best = { features: [explainer.model.features[a].name, explainer.model.features[b].name], indices: [a, b], value };
      }
    }
  }
  return best;
}
