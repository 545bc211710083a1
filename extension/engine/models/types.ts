/**
 * The models Risk Review reads, as plain data. Each kind is a member of one discriminated union, so a
 * function that handles models has to say what it does for every kind (the compiler checks the switch).
 *
 * Scales: every model produces a *margin*. For logistic regressions and tree ensembles it is the log-odds; for
 * an additive instrument it is the total of its item points. The *score* shown to people is the
 * probability `probabilityOf(model, margin)`; an instrument without a probability mapping has none, and
 * then the total is the score. A score already in use (a vendor's decile, an instrument's total in the
 * agency's records) is read from a column of the case file: its margin is that score on its own scale.
 */

export type ModelKind = 'xgboost' | 'lightgbm' | 'logistic' | 'scorecard' | 'score-column';
export type MarginScale = 'log-odds' | 'points' | 'score';

/**
 * A model input, in model order. `categories` is set when the value is a category: a case holds its
 * index in the list (for tree models, the library's category code).
 */
export interface FeatureInfo {
  readonly name: string;
  readonly label: string;
  readonly description?: string;
  readonly categories?: readonly string[];
  /**
   * The categories are only the library's codes ("0", "1", …): neither the model nor the project names
   * them, so cases give the codes, and the project may name them (`features.NAME.categories`).
   */
  readonly codedCategories?: boolean;
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
 * How an inner node of a tree decides, as the library that wrote the model does (`split` below):
 *   XGBoost reads inputs as float32; LightGBM reads doubles, and a value within ±1e-35 as 0 (its row
 *   reader drops such values as zeros).
 *   - `XGBoostLess`          left when x < threshold; a missing value takes the default branch.
 *   - `XGBoostCategory`      right when the category (x truncated) is in the node's set; a missing value takes the
 *                            default branch; any other category, or a code outside [0, 2^24), goes left.
 *   - `LightGBMLessNaN`      left when x ≤ threshold; a missing value (NaN) takes the default branch.
 *   - `LightGBMLessZero`     a missing value is read as 0, and 0 takes the default branch; else left when x ≤ threshold.
 *   - `LightGBMLessNone`     a missing value is read as 0; left when x ≤ threshold.
 *   - `LightGBMCategory`     left when the category (x truncated) is in the node's set; a missing value, a negative
 *                            code or any other category goes right.
 */
export const SplitRule = {
  XGBoostLess: 0,
  XGBoostCategory: 1,
  LightGBMLessNaN: 2,
  LightGBMLessZero: 3,
  LightGBMLessNone: 4,
  LightGBMCategory: 5,
} as const;
export type SplitRule = (typeof SplitRule)[keyof typeof SplitRule];

/**
 * A tree ensemble in flat typed arrays (all trees' nodes concatenated). Node `i` is a leaf when
 * `left[i] < 0`. XGBoost's thresholds and leaf values are float32, so they are stored already rounded with
 * `Math.fround`; LightGBM's are doubles.
 */
export interface Forest {
  readonly nTrees: number;
  /** `treeStart[t]` is the root of tree t; `treeStart[nTrees]` the node count. */
  readonly treeStart: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** The model feature an inner node reads (0 for leaves). */
  readonly feature: Int32Array;
  /** How an inner node decides (a `SplitRule`). */
  readonly split: Uint8Array;
  /** Numeric splits' thresholds (0 for categorical splits and leaves). */
  readonly threshold: Float64Array;
  /** Where a missing value goes, for the rules that have a default branch. */
  readonly defaultLeft: Uint8Array;
  /**
   * Categorical splits' sets: node i's categories are `categories[categoryStart[i] … categoryStart[i + 1])`,
   * ascending (an empty range for every other node).
   */
  readonly categoryStart: Int32Array;
  readonly categories: Int32Array;
  /** Leaf value (0 for inner nodes), with the tree's weight already applied (dart, averaged forests). */
  readonly value: Float64Array;
  /**
   * What TreeSHAP weights by: the training rows' share reaching the node — XGBoost's sum of hessians,
   * LightGBM's count of rows.
   */
  readonly cover: Float64Array;
  /** The base score, already on the margin scale. */
  readonly baseMargin: number;
}

/** What every tree ensemble has, whichever library wrote it. */
interface TreeEnsemble extends ModelCommon {
  readonly forest: Forest;
}

export interface XGBoostModel extends TreeEnsemble {
  readonly kind: 'xgboost';
  readonly objective: 'binary:logistic' | 'reg:logistic';
  readonly booster: 'gbtree' | 'dart';
  readonly xgboostVersion: string;
}

export interface LightGBMModel extends TreeEnsemble {
  readonly kind: 'lightgbm';
  readonly objective: 'binary' | 'cross_entropy';
  /** The model format's version ("v4"). */
  readonly lightgbmVersion: string;
}

export type TreeModel = XGBoostModel | LightGBMModel;

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

export type RiskModel = TreeModel | LogisticModel | ScorecardModel | ScoreColumnModel;

/** A model that computes its score from the case's features (every kind but a score read from a column). */
export type ComputedModel = TreeModel | LogisticModel | ScorecardModel;

export function isTreeModel(model: RiskModel): model is TreeModel {
  return model.kind === 'xgboost' || model.kind === 'lightgbm';
}

export function marginScaleOf(model: RiskModel): MarginScale {
  return model.kind === 'scorecard' ? 'points' : model.kind === 'score-column' ? 'score' : 'log-odds';
}
