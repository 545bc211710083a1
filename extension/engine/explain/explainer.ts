/**
 * One explainer per model kind, all with the same shape: exact Shapley values on the model's margin
 * scale, with the base value they start from, so that  baseValue + Σ_j φ_j = margin  for every case.
 *
 *   logistic  (interventional game, background means μ):  φ_j = w_j·(g_j(x_j) − μ_j), base = b + Σ_j w_j·μ_j
 *             g_j(x) = x, or the model's impute value when x is missing; μ_j is the mean of g_j over the background
 *   scorecard (interventional game, mean points π̄):        φ_j = points_j(x_j) − π̄_j, base = Σ_j π̄_j
 *   xgboost   (path-dependent TreeSHAP, training cover):    see treeshap.ts, base = XGBoost's bias term
 *
 * The first two are the Shapley values of v(S) = mean_b f(x_S, b_rest): for an additive f, adding j to
 * any coalition changes v by the same amount, term_j(x_j) − mean_b term_j(b_j), which is therefore φ_j.
 */
import { InputError } from '../errors';
import { logisticInput, marginOf, scorecardItemPoints } from '../models/score';
import { marginScaleOf, type ComputedModel, type MarginScale, type TreeModel } from '../models/types';
import { computedModel, type Review } from '../review';
import { modelFileOf } from '../project';
import { backgroundOf, type Background } from './background';
import { addTreeShap, addTreeShapRows, prepareTreeShap, TreeShapScratch, treeShapInteractions, type TreeShapForest, type TreeShapOptions } from './treeshap';

export type ExplainMethod = 'treeshap-path-dependent' | 'linear-closed-form' | 'additive-closed-form';

export interface Explainer {
  readonly model: ComputedModel;
  readonly nFeatures: number;
  /** The margin the attributions start from (expected margin under the background). */
  readonly baseValue: number;
  readonly scale: MarginScale;
  readonly method: ExplainMethod;
  /**
   * Writes the case's contributions (margin scale, model feature order) to `out[outOff … outOff+M)` and
   * returns its margin. Not re-entrant: one explainer per thread.
   */
  explainInto(x: Float64Array, offset: number, out: Float64Array, outOff: number, caseId?: string): number;
  /**
   * Rows [from, to) of the row-major case matrix `x` (nFeatures per row): contributions to rows
   * outRow… of `out` (nFeatures each), margins to `margin[outRow …]`. Same numbers as `explainInto`, faster.
   */
  explainRows(x: Float64Array, from: number, to: number, out: Float64Array, margin: Float64Array, outRow: number, ids: readonly string[]): void;
  /** The tree model's interaction matrix (see `treeShapInteractions`), or null for models without interactions. */
  interactions(x: Float64Array, offset: number): Float64Array | null;
}

export interface ExplainerOptions extends TreeShapOptions {
  /** Where the model came from, for messages. */
  readonly file?: string;
}

function needMeans(background: Background, kind: 'feature-means' | 'item-means', model: ComputedModel): Float64Array {
  if (background.kind !== kind || background.means.length !== model.features.length) {
    throw new InputError(`the background does not fit this ${model.kind} model (expected ${kind} for ${model.features.length} features)`);
  }
  return background.means;
}

function treeExplainer(model: TreeModel, options: ExplainerOptions): Explainer {
  const ts: TreeShapForest = prepareTreeShap(model.forest, model.features.length, options, options.file);
  const scratch = new TreeShapScratch(ts);
  const m = model.features.length;
  return {
    model,
    nFeatures: m,
    baseValue: ts.baseValue,
    scale: 'log-odds',
    method: 'treeshap-path-dependent',
    explainInto(x, offset, out, outOff) {
      out.fill(0, outOff, outOff + m);
      return addTreeShap(ts, x, offset, out, outOff, scratch);
    },
    explainRows(x, from, to, out, margin, outRow) {
      out.fill(0, outRow * m, (outRow + to - from) * m);
      addTreeShapRows(ts, x, from * m, m, to - from, out, outRow * m, margin, outRow, scratch);
    },
    interactions: (x, offset) => treeShapInteractions(ts, x, offset),
  };
}

/** `explainRows` one case at a time, for the closed forms (each case is a few multiplications). */
function rowByRow(explainer: Omit<Explainer, 'explainRows'>): Explainer {
  const m = explainer.nFeatures;
  return {
    ...explainer,
    explainRows(x, from, to, out, margin, outRow, ids) {
      for (let i = from, r = outRow; i < to; i++, r++) margin[r] = explainer.explainInto(x, i * m, out, r * m, ids[i]);
    },
  };
}

/** The explainer of a review: its model, against its background (`backgroundOf`). */
export function explainerOf(review: Pick<Review, 'model' | 'cases' | 'spec' | 'backgroundTable'>, options: TreeShapOptions = {}): Explainer {
  const model = computedModel(review, 'an explanation (attributions)');
  return prepareExplainer(model, backgroundOf(review), { ...options, file: modelFileOf(review.spec, 'an explanation') });
}

export function prepareExplainer(model: ComputedModel, background: Background, options: ExplainerOptions = {}): Explainer {
  const m = model.features.length;
  switch (model.kind) {
    case 'xgboost':
    case 'lightgbm':
      return treeExplainer(model, options);
    case 'logistic': {
      const mean = needMeans(background, 'feature-means', model);
      const w = model.weights;
      let base = model.intercept;
      for (let j = 0; j < m; j++) base += w[j] * mean[j];
      return rowByRow({
        model,
        nFeatures: m,
        baseValue: base,
        scale: marginScaleOf(model),
        method: 'linear-closed-form',
        explainInto(x, offset, out, outOff, caseId) {
          const margin = marginOf(model, x, offset, caseId); // refuses missing values with the case named
          for (let j = 0; j < m; j++) out[outOff + j] = w[j] * (logisticInput(model, j, x[offset + j]) - mean[j]);
          return margin;
        },
        interactions: () => null,
      });
    }
    case 'scorecard': {
      const meanPoints = needMeans(background, 'item-means', model);
      let base = 0;
      for (let j = 0; j < m; j++) base += meanPoints[j];
      return rowByRow({
        model,
        nFeatures: m,
        baseValue: base,
        scale: marginScaleOf(model),
        method: 'additive-closed-form',
        explainInto(x, offset, out, outOff, caseId) {
          let total = 0;
          for (let j = 0; j < m; j++) {
            const points = scorecardItemPoints(model, j, x[offset + j], caseId);
            total += points;
            out[outOff + j] = points - meanPoints[j];
          }
          return total;
        },
        interactions: () => null,
      });
    }
  }
}
