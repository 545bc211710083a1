/**
 * How each kind of model behaves along one feature with the others held, which is what the curves and
 * the recourse search read:
 *   - a tree ensemble is constant between consecutive split thresholds of the feature (forest.ts);
 *   - an instrument item is constant within each bin; an item by category has a value per category;
 *   - a logistic model is linear in the feature.
 * And, for the additive models (instrument, logistic), each feature's own term of the margin.
 */
import { itemPoints, logisticInput } from '../models/score';
import type { ComputedModel, Forest, RiskModel } from '../models/types';
import type { Pieces } from './candidates';
import { featureCuts } from './forest';

const cutsByForest = new WeakMap<Forest, ReturnType<typeof featureCuts>>();

function cutsOf(forest: Forest, m: number): ReturnType<typeof featureCuts> {
  let cuts = cutsByForest.get(forest);
  if (!cuts) cutsByForest.set(forest, (cuts = featureCuts(forest, m)));
  return cuts;
}

/** Where the model can change along feature j (null where it is smooth, or where j is categorical). */
export function piecesOf(model: ComputedModel, j: number): Pieces | null {
  switch (model.kind) {
    case 'xgboost':
    case 'lightgbm': {
      if (model.features[j].categories) return null;
      const { cuts, float32 } = cutsOf(model.forest, model.features.length);
      return { cuts: cuts[j], float32 };
    }
    case 'scorecard': {
      const item = model.items[j];
      return item.type === 'bins' ? { cuts: item.edges, float32: false } : null;
    }
    case 'logistic':
      return null;
  }
}

/**
 * Feature j's own term of an additive model's margin at value v (the instrument's points, or weight ×
 * input for a logistic model), or null for a tree ensemble, whose features do not add up separately.
 * NaN where the model cannot score a missing v.
 */
export function additiveTerm(model: ComputedModel, j: number, v: number): number | null {
  switch (model.kind) {
    case 'xgboost':
    case 'lightgbm':
      return null;
    case 'scorecard':
      return itemPoints(model.items[j], v) ?? NaN;
    case 'logistic':
      return model.weights[j] * logisticInput(model, j, v);
  }
}

/** Whether the model scores a missing value of feature j (nothing rescores a score read from a column). */
export function acceptsMissing(model: RiskModel, j: number): boolean {
  switch (model.kind) {
    case 'xgboost':
    case 'lightgbm':
      return true;
    case 'logistic':
      return !Number.isNaN(model.impute[j]);
    case 'scorecard':
      return model.items[j].missingPoints !== null;
    case 'score-column':
      return false;
  }
}
