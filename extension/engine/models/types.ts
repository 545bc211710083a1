/**
 * The models Risk Review reads, as plain data. Each kind is a member of one discriminated union, so a
 * function that handles models has to say what it does for every kind (the compiler checks the switch).
 *
 * Scales: every model produces a *margin*. For logistic regressions and XGBoost it is the log-odds; for
 * an additive instrument it is the total of its item points. The *score* shown to people is the
 * probability `probabilityOf(model, margin)`; an instrument without a probability mapping has none, and
 * then the total is the score. A score already in use (a vendor's decile, an instrument's total in the
 * agency's records) is read from a column of the case file: its margin is that score on its own scale.
 */

export type ModelKind = 'xgboost' | 'logistic' | 'scorecard' | 'score-column';
export type MarginScale = 'log-odds' | 'points' | 'score';

/** A model input, in model order. `categories` is set when the value is a category (its index is coded). */
export interface FeatureInfo {
  readonly name: string;
  readonly label: string;
  readonly description?: string;
  readonly categories?: readonly string[];
}

/** Ordered bands: a score belongs to the first band whose `below` exceeds it; the last has no `below`. */
export interface Band {
  readonly label: string;
  readonly below?: number;
}

export interface ModelCommon {
  readonly name: string;
  readonly version?: string;
  readonly features: readonly FeatureInfo[];
}

/**
 * A tree ensemble in flat typed arrays (all trees' nodes concatenated). Node `i` is a leaf when
 * `left[i] < 0`. Thresholds, leaf values and inputs are float32 in XGBoost, so they are stored already
 * rounded with `Math.fround` and inputs are rounded the same way before they are compared.
 */
export interface Forest {
  readonly nTrees: number;
  /** `treeStart[t]` is the root of tree t; `treeStart[nTrees]` the node count. */
  readonly treeStart: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly defaultLeft: Uint8Array;
  /** Leaf value (0 for inner nodes). */
  readonly value: Float64Array;
  /** Sum of hessians of the training rows that reached the node (the "cover" TreeSHAP weights by). */
  readonly cover: Float64Array;
  /** The base score, already on the margin scale. */
  readonly baseMargin: number;
}

export interface XGBoostModel extends ModelCommon {
  readonly kind: 'xgboost';
  readonly objective: 'binary:logistic' | 'reg:logistic';
  readonly xgboostVersion: string;
  readonly forest: Forest;
}

export interface LogisticModel extends ModelCommon {
  readonly kind: 'logistic';
  readonly intercept: number;
  /** One weight per feature, in feature order. */
  readonly weights: Float64Array;
  /**
   * The value a missing entry of each feature takes, in feature order, as the imputer the model was
   * trained behind filled it in; NaN where the model has none (then a missing value cannot be scored).
   */
  readonly impute: Float64Array;
}

/** One scorecard item: points by bin (numeric) or by category. */
export type ScorecardItem =
  | {
      readonly type: 'bins';
      /** Ascending `below` edges; `points[k]` for values below `edges[k]` (and ≥ the previous edge). */
      readonly edges: Float64Array;
      /** `edges.length + 1` entries: the last is for values ≥ the last edge. */
      readonly points: Float64Array;
      readonly missingPoints: number | null;
    }
  | {
      readonly type: 'categories';
      /** Points of category index k (the feature's `categories[k]`). */
      readonly points: Float64Array;
      readonly missingPoints: number | null;
    };

export type ProbabilityMap =
  | { readonly method: 'logistic'; readonly intercept: number; readonly slope: number }
  | { readonly method: 'table'; readonly totals: Float64Array; readonly probabilities: Float64Array };

/** A domain (sub-scale) of an instrument: its name and its items' indexes, in item order. */
export interface ScorecardDomain {
  readonly name: string;
  readonly items: readonly number[];
}

export interface ScorecardModel extends ModelCommon {
  readonly kind: 'scorecard';
  readonly items: readonly ScorecardItem[];
  /** In order of first appearance; empty when the instrument names no domains. */
  readonly domains: readonly ScorecardDomain[];
  readonly bands: readonly Band[];
  readonly probability: ProbabilityMap | null;
}

/**
 * A score already in use, read from the case file's column `column`: no model computes it, so nothing
 * explains it case by case (no attributions, no what-if); its calibration, error rates and a surrogate
 * that imitates it from the case's other columns (`features`) still work. `probability` maps the score to
 * a probability where the project gives one (a validation study's table), as an instrument's does.
 */
export interface ScoreColumnModel extends ModelCommon {
  readonly kind: 'score-column';
  readonly column: string;
  readonly probability: ProbabilityMap | null;
}

export type RiskModel = XGBoostModel | LogisticModel | ScorecardModel | ScoreColumnModel;

/** A model that computes its score from the case's features (every kind but a score read from a column). */
export type ComputedModel = XGBoostModel | LogisticModel | ScorecardModel;

export function marginScaleOf(model: RiskModel): MarginScale {
  return model.kind === 'scorecard' ? 'points' : model.kind === 'score-column' ? 'score' : 'log-odds';
}
