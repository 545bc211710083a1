/**
 * The surrogate as plain data: everything here survives `JSON.stringify` unchanged, so the CLI, the
 * panel and the exported documents render the one value `fitSurrogate` returns.
 */

/**
 * A test on one feature as a case meets it: `below` means value < threshold, `atLeast` value ≥
 * threshold, `in` a category among `categories`, `missing` / `known` whether the value is missing.
 * `includesMissing` says whether a case whose value is missing takes this branch, because a rule that
 * hides where missing values go misleads. (The first three kinds are the report's `Condition`.)
 */
export type Condition =
  | { readonly kind: 'below' | 'atLeast'; readonly feature: string; readonly label: string; readonly threshold: number; readonly includesMissing: boolean }
  | { readonly kind: 'in'; readonly feature: string; readonly label: string; readonly categories: readonly string[]; readonly includesMissing: boolean }
  | { readonly kind: 'missing' | 'known'; readonly feature: string; readonly label: string; readonly includesMissing: boolean };

/**
 * How an inner node sends a case on: to the left child when the test holds, to the right otherwise;
 * a missing value goes left exactly when `missingGoesLeft`.
 */
export interface Split {
  /** Index of the feature in model order. */
  readonly feature: number;
  readonly test:
    | { readonly kind: 'below'; readonly threshold: number }
    /** Category indexes (the feature's `categories[k]`) that go left. */
    | { readonly kind: 'in'; readonly codes: readonly number[] }
    | { readonly kind: 'known' };
  readonly missingGoesLeft: boolean;
}

/** Model scores of the training cases that reach a node. */
export interface NodeStats {
  readonly n: number;
  /** The mean model score: the surrogate's prediction at a leaf. */
  readonly mean: number;
  /** Standard deviation of the model score (the surrogate's root mean squared error at a leaf). */
  readonly spread: number;
  readonly min: number;
  readonly max: number;
}

export interface SurrogateNode extends NodeStats {
  readonly id: number;
  readonly depth: number;
  /** The test a case passes to reach this node from its parent; absent at the root. */
  readonly condition?: Condition;
  /** Set on inner nodes. */
  readonly split?: Split;
  /** Two child ids, or none for a leaf. */
  readonly children: readonly [number, number] | readonly [];
}

export interface Fidelity {
  /** 1 − SSE/SST of the surrogate's prediction against the model's score, over every case fitted. */
  readonly r2: number;
  /** Share of cases the surrogate puts in the same band as the model. */
  readonly bandAgreement: number;
  /** Root mean squared difference between the surrogate's prediction and the model's score. */
  readonly rmse: number;
  readonly n: number;
}

/** Fidelity of a tree grown the same way on four fifths of the cases, on the fifth it never saw (holdout.ts). */
export interface HeldOutFidelity extends Fidelity {
  /** Cases that tree was fitted to (`n` is the cases held out). */
  readonly fittedOn: number;
}

export interface FrontierPoint extends Fidelity {
  /** The leaf budget asked for. */
  readonly budget: number;
  /** Leaves the best pruned tree uses (fewer than the budget when more would buy nothing). */
  readonly leaves: number;
}

export interface Rule {
  /** The leaf this rule describes. */
  readonly leaf: number;
  /** The path's tests, with repeated tests on one feature merged. */
  readonly conditions: readonly Condition[];
  /** "Prior referrals ≥ 3 and Age < 14 → scores around 0.71 (n=412, spread ±0.08)". */
  readonly text: string;
  readonly n: number;
  readonly share: number;
  readonly mean: number;
  readonly spread: number;
  /** Share of the leaf's cases whose model band is the band of the leaf's prediction. */
  readonly bandAgreement: number;
}

export interface SurrogateOptions {
  readonly maxLeaves: number;
  readonly maxDepth: number;
  /** Most bins a continuous feature is cut into before the tree is grown. */
  readonly maxBins: number;
}

export interface Surrogate {
  readonly method: string;
  readonly options: SurrogateOptions;
  /** Whether the score regressed is a probability (else an instrument's total). */
  readonly scoreIsProbability: boolean;
  readonly leaves: number;
  readonly depth: number;
  readonly fidelity: Fidelity;
  /** Fidelity on cases held out from fitting; null with fewer than MIN_CASES_FOR_HOLDOUT cases. */
  readonly heldOut: HeldOutFidelity | null;
  /** Fidelity of the best pruned tree at 2, 4, 8 and 16 leaves (and at the budget). */
  readonly frontier: readonly FrontierPoint[];
  /** Node 0 is the root; children follow their parent. */
  readonly nodes: readonly SurrogateNode[];
  /** One per leaf, largest first. */
  readonly rules: readonly Rule[];
  /** |prediction − score| over the cases fitted at the percentiles 0, 1, …, 100. */
  readonly errorPercentiles: readonly number[];
  /**
   * Features the tree tests that no fitted case was missing. Their conditions' `includesMissing` follows
   * the larger branch by convention, so the rules in words leave "(or missing)" out for them.
   */
  readonly neverMissing: readonly string[];
  readonly bands: readonly { readonly label: string; readonly below?: number }[];
  readonly notes: readonly string[];
}

export interface PathStep {
  readonly node: number;
  /** Absent for the root. */
  readonly condition?: Condition;
  /** The mean model score of the training cases at this node. */
  readonly mean: number;
  readonly n: number;
}

export interface CasePath {
  readonly steps: readonly PathStep[];
  readonly leaf: number;
  /** The path's tests, merged as in the rules. */
  readonly conditions: readonly Condition[];
  readonly prediction: number;
}

export interface CaseFit extends CasePath {
  readonly modelScore: number;
  /** modelScore − prediction. */
  readonly difference: number;
  readonly modelBand: string;
  readonly surrogateBand: string;
  /** Share of all fitted cases the surrogate misses by less than it misses this one. */
  readonly errorRank: number;
  readonly leafSpread: number;
  readonly leafBandAgreement: number;
  /** True when the rule puts the case in another band than the model, or misses it by more than it misses 90% of cases. */
  readonly poorlyServed: boolean;
  /** The above in a sentence. */
  readonly verdict: string;
}
