/**
 * What the curves and the recourse search say about one case, as plain serialisable data: the CLI
 * prints it, the case summary carries it (report/types.ts), and the panel draws it.
 */
import type { Direction, RiskFactor } from '../project';

export interface CurvePoint {
  readonly value: number;
  readonly score: number;
}

/**
 * The case's score as one feature sweeps its values, every other feature held at the case's own.
 *   - `points`: the score at every value (a coded item, a category);
 *   - `steps`: the score is constant from each point's value up to the next point's (exact for a tree
 *     ensemble, whose points sit at its split thresholds, and for an instrument's bins), the last step
 *     running to `end`;
 *   - `line`: a smooth curve (a logistic weight) at evenly spaced values.
 */
export interface FeatureCurve {
  readonly feature: string;
  readonly label: string;
  readonly riskFactor: RiskFactor;
  readonly shape: 'points' | 'steps' | 'line';
  readonly points: readonly CurvePoint[];
  /** Where the sweep ends (the last point's value for `points` and `line`). */
  readonly end: number;
  /** For a categorical feature, the category names (a point's value is the index). */
  readonly categories?: readonly string[];
  /** The case's own value (null when missing), as people read it, and its score (the case's score). */
  readonly caseValue: number | null;
  readonly caseValueText: string;
  /** The score with this feature missing, where the model scores a missing value; else null. */
  readonly missingScore: number | null;
}

/** Where bands start and end on the score, for drawing a curve's cut points. */
export interface BandEdge {
  readonly label: string;
  /** Scores below this (and not below the previous edge) are in the band; absent for the last band. */
  readonly below?: number;
}

export interface CurvesSection {
  readonly method: string;
  readonly bands: readonly BandEdge[];
  /** Every feature, in model order. */
  readonly curves: readonly FeatureCurve[];
}

export interface RecourseChange {
  readonly feature: string;
  readonly label: string;
  readonly from: number;
  readonly to: number;
  readonly fromText: string;
  readonly toText: string;
  /** |to − from| in the feature's own units; 1 for a change of category. */
  readonly size: number;
}

export interface RecourseOption {
  readonly changes: readonly RecourseChange[];
  /** The changes' sizes added up. */
  readonly size: number;
  readonly score: number;
  readonly margin: number;
  readonly band: string;
}

/** A dynamic feature as the search treats it for this case. */
export interface ChangeableFeature {
  readonly feature: string;
  readonly label: string;
  readonly valueText: string;
  readonly direction: Direction;
  /** Its values: a grid (every multiple of `step` from `min` to `max`), or its categories. */
  readonly values: { readonly min: number; readonly max: number; readonly step: number } | { readonly categories: readonly string[] };
  /** Why it cannot help for this case: its value is missing (an unknown stays unknown), or none of its values would lower the score. */
  readonly fixed?: 'missing' | 'no-effect';
}

/**
 * - `found`: at least one option;
 * - `none`: the search ended and no change to the changeable features (of at most `maxChanges`) reaches the target;
 * - `stopped`: the search reached its budget before finding an option (`search.bound` says how large one must be);
 * - `in-target`: the case is already in the target band or below it (or in the lowest band);
 * - `nothing-changeable`: no feature is dynamic, or none of the dynamic ones can change for this case.
 */
export type RecourseStatus = 'found' | 'none' | 'stopped' | 'in-target' | 'nothing-changeable';

export interface RecourseSection {
  readonly method: string;
  readonly status: RecourseStatus;
  /** The band to reach (or one below it): scores below `below`. Null when there is no lower band to reach. */
  readonly target: { readonly band: string; readonly below: number } | null;
  readonly maxChanges: number;
  /** Smallest first (search.ts says the order and which are left out as not distinct). */
  readonly options: readonly RecourseOption[];
  readonly changeable: readonly ChangeableFeature[];
  readonly search: {
    /** Sets of changes scored. */
    readonly evaluated: number;
    /** The search ended by itself: each option is proven the smallest of those not listed before it. */
    readonly complete: boolean;
    /** When stopped at the budget: every option not listed changes at least `changes` features and, with exactly that many, changes them by at least `size` in total. */
    readonly bound: { readonly changes: number; readonly size: number } | null;
  };
  /** What the reader should know (a coarsened grid, a missing value kept). */
  readonly notes: readonly string[];
}

export interface SensitivitySection {
  readonly curves: CurvesSection;
  readonly recourse: RecourseSection;
}
