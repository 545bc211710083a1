/**
 * What the reviewers' decisions say, as plain serialisable data: the latest decision on each case, and how
 * often reviewers agreed with the score or overrode it, up or down, per group (byGroup.ts states the
 * maths). The CLI prints it, the panel shows it and the documents render it (report/decisions.ts); nothing
 * here imports Node, so the panel's bundle can take these types.
 */
import type { ChainVerification } from '../logChain';
import type { Verdict } from '../report/types';

/**
 * What a decision did to the case's band: agreed; overrode it up to a higher band or down to a lower
 * one; or disagreed without naming a band of this review (a reviewer may disagree and name none).
 */
export type Direction = 'agree' | 'up' | 'down' | 'unnamed';

/**
 * A share with its 95% interval: `count` of `n`. `value`, `ciLow` and `ciHigh` are null when n is 0.
 * Intervals are Wilson score intervals (calibration/wilson.ts).
 */
export interface CountRate {
  readonly count: number;
  readonly n: number;
  readonly value: number | null;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
}

/** A group's rate minus the reference group's, with Newcombe's hybrid score interval (calibration/differences.ts). */
export interface Gap {
  readonly value: number;
  readonly ciLow: number;
  readonly ciHigh: number;
}

/**
 * Whether the reviewers' bands were closer to what happened than the score's, over the reviewed cases
 * whose outcome is known. A case's flag is right when it matches the outcome (flagged and it happened,
 * or not flagged and it did not). The score flags a case at or above the threshold; after the review, a
 * case overridden into a band that lies wholly at or above the threshold is flagged, one overridden into
 * a band wholly below it is not, and every other case keeps the score's flag.
 */
export interface OutcomeFigures {
  /** Reviewed cases whose outcome is known. */
  readonly known: number;
  /** The score's flag right. */
  readonly scoreAccuracy: CountRate;
  /** The flag after the reviewer's band right. */
  readonly adjustedAccuracy: CountRate;
  /** Overrides that turned a wrong flag into a right one, and a right one into a wrong one. */
  readonly madeRight: number;
  readonly madeWrong: number;
  /** Of the overrides (up or down) with a known outcome, those that moved toward it: up when it happened, down when it did not. */
  readonly towardOutcome: CountRate;
}

export interface DecisionFigures {
  /** The group's label, or "Everyone". */
  readonly group: string;
  /** Cases with a decision (each counted once, by its latest decision). */
  readonly reviewed: number;
  readonly agreed: CountRate;
  readonly overrideUp: CountRate;
  readonly overrideDown: CountRate;
  /** Disagreements that name no band of this review. */
  readonly disagreedNoBand: number;
  /** Null when the review has no outcome column. */
  readonly outcomes: OutcomeFigures | null;
  /** Small groups, in the calibration checks' words. */
  readonly warnings: readonly string[];
}

/** Group minus reference; a gap is null when either group has no reviewed case. */
export interface DecisionGaps {
  readonly agreed: Gap | null;
  readonly overrideUp: Gap | null;
  readonly overrideDown: Gap | null;
}

export interface DecisionGroupRow extends DecisionFigures {
  /** Null for the reference group itself. */
  readonly gaps: DecisionGaps | null;
}

export interface DecisionGroupTable {
  /** A group column, or two crossed: "sex × race_ethnicity". */
  readonly column: string;
  /** The group the others are compared with: the project's, else the one with most reviewed cases. */
  readonly reference: string | null;
  /** Every group of the column (an intersection: every pair some case has), in label order. */
  readonly rows: readonly DecisionGroupRow[];
}

/** The latest decision on one case of the review. */
export interface DecisionRow {
  readonly caseId: string;
  /** The case's index in the review's case file (to open it). */
  readonly index: number;
  readonly score: number;
  readonly band: string;
  readonly verdict: Verdict;
  readonly direction: Direction;
  /** The band the reviewer would assign, when they named one. */
  readonly assignedBand: string | null;
  readonly reason: string;
  readonly notes: string;
  readonly reviewer: string;
  /** ISO 8601. */
  readonly time: string;
  /** Null for a decision from before the log said. */
  readonly blind: boolean | null;
  /** Decisions recorded on the case about this model and data, this one included. */
  readonly decisions: number;
  /** The case's group in each of the review's group columns, in their order. */
  readonly groups: readonly string[];
}

/** Which side of the threshold a band lies on; `either` when the threshold falls inside it. */
export type BandFlag = 'flagged' | 'not flagged' | 'either';

export interface DecisionsOverview {
  readonly logFile: string;
  /** The check of the log's hash chain (logChain.ts). */
  readonly verification: ChainVerification;
  /** Decisions in the log, about any model and data. */
  readonly entries: number;
  /** Decisions about another model or case file (left out here). */
  readonly otherReviews: number;
  /** The latest decision on each case, newest first. */
  readonly rows: readonly DecisionRow[];
  /** The review's group columns, as `DecisionRow.groups` lists them. */
  readonly groupColumns: readonly string[];
  readonly everyone: DecisionFigures;
  /** Each group column, then each pair of them crossed. */
  readonly byGroup: readonly DecisionGroupTable[];
  readonly outcomeColumn: string | null;
  readonly threshold: number;
  readonly scoreIsProbability: boolean;
  readonly bands: readonly { readonly label: string; readonly flag: BandFlag }[];
  readonly confidence: number;
  readonly intervalMethods: { readonly rates: string; readonly gaps: string };
  /** What the figures stand on beyond the groups' sizes (decisions naming bands this review lacks, bands changed since). */
  readonly warnings: readonly string[];
}
