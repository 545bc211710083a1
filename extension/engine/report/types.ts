/**
 * What a case review says, as plain serialisable data. One `CaseSummary` is built per case by
 * `report/` from the engine's results; the panel renders it, and the Markdown, HTML and PDF documents
 * are rendered from the very same value, so the three and the panel cannot drift apart.
 */
import type { MarginScale, ModelKind } from '../models/types';
import type { SensitivitySection } from '../recourse/types';

export interface AttributionRow {
  readonly feature: string;
  readonly label: string;
  readonly description?: string;
  /** The case's value; null when missing. For a categorical feature, the category index. */
  readonly value: number | null;
  /** The value as people read it (category name, "missing", a number without float noise). */
  readonly valueText: string;
  /** On the model's margin scale (log-odds or points). */
  readonly contribution: number;
  /** The same effect presented in points of probability (score × 100), or null without probabilities. */
  readonly probabilityPoints: number | null;
}

/** An instrument domain's share of the attribution (report/domains.ts). */
export interface DomainRow {
  readonly domain: string;
  /** Its items' labels, in item order. */
  readonly items: readonly string[];
  /** The case's points in the domain, and the most the domain can give. */
  readonly points: number;
  readonly maxPoints: number;
  /** The sum of its items' contributions (points against the background's average). */
  readonly contribution: number;
  /** The sum of its items' effects in points of probability, or null without probabilities. */
  readonly probabilityPoints: number | null;
}

export interface AttributionSummary {
  readonly method: string;
  readonly scale: MarginScale;
  readonly baseValue: number;
  /** The score at the base value (probability, or total for an instrument without a mapping). */
  readonly baseScore: number;
  /** All features in model order. */
  readonly rows: readonly AttributionRow[];
  /** For an instrument with domains, one row per domain in its order. */
  readonly domains?: readonly DomainRow[];
  readonly topInteraction?: { readonly features: readonly [string, string]; readonly labels: readonly [string, string]; readonly value: number };
}

export interface WhatIfScenario {
  readonly changes: readonly { readonly feature: string; readonly label: string; readonly from: string; readonly to: string }[];
  readonly score: number;
  readonly band: string;
  readonly note?: string;
}

export type Verdict = 'agree' | 'disagree';

export interface ReviewDecision {
  readonly verdict: Verdict;
  readonly reason: string;
  readonly notes: string;
  /** With a disagreement only: the band the reviewer would assign instead (a professional override). */
  readonly assignedBand?: string;
  /** Whether the known outcome, and every figure computed from it, was hidden while deciding; absent when the log does not say. */
  readonly blind?: boolean;
  readonly reviewer?: string;
  readonly time: string;
}

export interface Provenance {
  /** The review's name from its project file, when it has one. */
  readonly projectName?: string;
  readonly modelName: string;
  readonly modelVersion?: string;
  readonly modelKind: ModelKind;
  /** The model file's name and SHA-256; null when the score audited is read from a column of the data. */
  readonly modelFile: string | null;
  readonly modelSha256: string | null;
  /** The data's column that holds the score audited, when there is no model. */
  readonly scoreColumn?: string;
  readonly dataFile: string;
  readonly dataSha256: string;
  readonly extensionVersion: string;
  readonly methods: readonly string[];
  /** ISO 8601; the only field that differs between two runs on the same inputs. */
  readonly generatedAt: string;
}

export interface CaseHeader {
  readonly caseId: string;
  readonly score: number;
  readonly scoreIsProbability: boolean;
  /** The unit of a score on its own scale: "points" for an instrument's total, "" for a score read from a column. */
  readonly scoreUnit: string;
  readonly margin: number;
  readonly band: string;
  readonly threshold: number;
  readonly flagged: boolean;
  /** 1 / 0, or null when unknown or not given; 'hidden' in blind review, until the reviewer records a decision (report/blind.ts). */
  readonly outcome: 0 | 1 | null | 'hidden';
  /** The outcome column's name, or null when none was named. */
  readonly outcomeColumn: string | null;
  readonly groups: readonly { readonly column: string; readonly group: string }[];
}

/**
 * A test on one feature, as a case meets it: `below` means value < threshold, `atLeast` value ≥
 * threshold, `in` a category among `categories`, `missing` / `known` whether the value is missing at all.
 * `includesMissing` says whether a missing value takes this branch too, because a rule that hides where
 * missing values go misleads. (The surrogate's own `Condition` is this same shape.)
 */
export type Condition =
  | { readonly kind: 'below' | 'atLeast'; readonly feature: string; readonly label: string; readonly threshold: number; readonly includesMissing: boolean }
  | { readonly kind: 'in'; readonly feature: string; readonly label: string; readonly categories: readonly string[]; readonly includesMissing: boolean }
  | { readonly kind: 'missing' | 'known'; readonly feature: string; readonly label: string; readonly includesMissing: boolean };

/** One node of the surrogate tree; node 0 is the root. */
export interface SurrogateNode {
  /** The test a case passes to reach this node from its parent; absent at the root. */
  readonly condition?: Condition;
  /** The score the surrogate gives cases that reach this node (the mean model score of its training cases). */
  readonly value: number;
  /** Training cases that reach this node. */
  readonly n: number;
  /** Two child indexes, or none for a leaf. */
  readonly children: readonly [number, number] | readonly [];
}

export interface Fidelity {
  /** What is measured, in words ("R² of the rule's score against the model's"). */
  readonly measure: string;
  /** `r2` is shown as a number (1 = perfect), `share` as a percentage. */
  readonly kind: 'r2' | 'share';
  /** R² (at most 1), or a share in 0..1. */
  readonly value: number;
  /** Cases the measure was computed on. */
  readonly n: number;
}

export interface SurrogateSection {
  readonly method: string;
  readonly nodes: readonly SurrogateNode[];
  /** Node indexes from the root to the case's leaf. */
  readonly path: readonly number[];
  /** The case's path as the fewest conditions that say the same (repeated tests on one feature merged). */
  readonly rule: readonly Condition[];
  /** The surrogate's score for the case (its leaf value). */
  readonly leafScore: number;
  /** The first measure is the headline one. */
  readonly fidelity: readonly Fidelity[];
  /** Whether the surrogate and the model take the same side of the threshold for this case. */
  readonly agreesWithModel: boolean;
  /** How well the rule fits this case. */
  readonly caseFit: {
    readonly ruleBand: string;
    readonly modelBand: string;
    /** Share of the fitted cases the rule misses by less than it misses this one. */
    readonly errorRank: number;
    /** Spread (standard deviation) of the model's score among the leaf's cases. */
    readonly leafSpread: number;
    /** Another band than the model's, or a miss larger than for 90% of cases. */
    readonly poorlyServed: boolean;
  };
  /** What the reader should know about how the rule was fitted (data, binning, missing values). */
  readonly notes: readonly string[];
}

/**
 * One bin of a reliability diagram. Bins follow scikit-learn's `calibration_curve` (numpy.searchsorted,
 * side "left"; see calibration/bins.ts): the lowest bin of the scale holds scores in [lower, upper],
 * every other bin (lower, upper], so a score exactly on an edge counts in the bin below it.
 */
export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  readonly n: number;
  readonly meanScore: number;
  /** Share of the bin's cases whose outcome happened. */
  readonly observedRate: number;
  /** Interval for the true rate at the section's confidence. */
  readonly interval: readonly [number, number];
}

export interface ReliabilityCurve {
  readonly label: string;
  readonly n: number;
  /** Cases whose outcome happened. */
  readonly positives: number;
  /** Bins with at least one case, in score order. */
  readonly bins: readonly ReliabilityBin[];
}

/** A rate with its interval at the section's confidence. */
export interface RateWithInterval {
  readonly value: number;
  readonly interval: readonly [number, number];
}

/**
 * A figure with its interval at the section's confidence (AUC, Brier score, calibration slope and
 * intercept: see `CalibrationSection.method` for how each is made), or with none when the method gives
 * none — too few cases of a class, perfect separation — and the warnings say why.
 */
export interface Estimate {
  readonly value: number;
  readonly interval: readonly [number, number] | null;
}

/**
 * The calibration engine's figures for one set of cases (a group, or everyone), as it computed them once
 * for the review (calibration/stats.ts states the maths). Only cases with a known outcome count. A figure
 * is null when the set cannot give it (no cases, outcomes all of one class, no case flagged); `warnings`
 * then says why, in the engine's words, beside its other warnings (small group, sparse bins).
 */
export interface CalibrationMetrics {
  /** The group's label, or "Everyone". */
  readonly label: string;
  readonly n: number;
  /** Cases whose outcome happened. */
  readonly positives: number;
  readonly brier: Estimate | null;
  /** Expected calibration error over the reliability bins. */
  readonly ece: number | null;
  readonly auc: Estimate | null;
  /** Logistic recalibration: logit(outcome) = intercept + slope · logit(score). */
  readonly calibrationSlope: Estimate | null;
  readonly calibrationIntercept: Estimate | null;
  /** Mean score − observed rate: above 0 the score overstates the risk; its interval by the central limit theorem. */
  readonly calibrationInTheLarge: Estimate | null;
  /** At the threshold (flagged when score ≥ threshold), with Wilson intervals. */
  readonly fpr: RateWithInterval | null;
  readonly fnr: RateWithInterval | null;
  readonly ppv: RateWithInterval | null;
  readonly selectionRate: RateWithInterval | null;
  readonly warnings: readonly string[];
}

export interface GroupCalibration {
  readonly column: string;
  readonly group: string;
  readonly curve: ReliabilityCurve;
  /** The group's bin that holds the case's score, or null when it is empty. */
  readonly caseBin: ReliabilityBin | null;
  /** Set when the group is too small for its calibration to say much. */
  readonly smallGroup: { readonly n: number; readonly minimum: number } | null;
  /** Every group of the column (the case's own among them, labelled `group`), in the engine's order. */
  readonly columnMetrics: readonly CalibrationMetrics[];
  /** The column's group the others are compared with (the project's, else the largest). */
  readonly reference: string | null;
}

/** How a calibration reads its scores: as probabilities, or on the score's own scale (a total, a decile). */
export type ScoreScale = 'probability' | 'score';

export interface CalibrationSection {
  readonly scale: ScoreScale;
  /** On a score's own scale: which figures are left out, and why. */
  readonly absentFigures: string | null;
  readonly method: string;
  /** 0.95 for 95% intervals. */
  readonly confidence: number;
  readonly intervalMethod: string;
  readonly outcomeColumn: string;
  readonly everyone: ReliabilityCurve;
  readonly everyoneCaseBin: ReliabilityBin | null;
  readonly everyoneMetrics: CalibrationMetrics;
  /** One per group column, for the case's own group. Empty when groups are redacted or none were named. */
  readonly groups: readonly GroupCalibration[];
}

/** The gaps a group comparison shows, in its tables' order (see calibration/groups.ts for each one's maths). */
export const COMPARED_GAPS = ['calibrationInTheLarge', 'outcomeAtEqualScore', 'auc', 'selectionRate', 'fpr', 'fnr', 'ppv'] as const;
export type ComparedGap = (typeof COMPARED_GAPS)[number];

/** A difference between a group and the reference group, with its interval at the comparison's confidence. */
export interface GapEstimate {
  readonly value: number;
  readonly interval: readonly [number, number] | null;
  /** Whether the interval excludes 0: the difference is larger than chance would often make it. */
  readonly standsOut: boolean;
}

export interface ComparedGroup {
  readonly group: string;
  readonly metrics: CalibrationMetrics;
  readonly curve: ReliabilityCurve;
  /** Fewer cases with a known outcome than the calibration engine's minimum (its figures are very uncertain). */
  readonly small: boolean;
  /** Against the reference group; null for the reference itself. */
  readonly gaps: Readonly<Record<ComparedGap, GapEstimate | null>> | null;
  /** Share of the group's cases at scores the reference also has (what the equal-score gap stands on). */
  readonly equalScoreCoverage: number | null;
}

/** One feature's part in each group's scores (calibration/drivers.ts), on the comparison's `unit`. */
export interface DriverComparisonRow {
  readonly feature: string;
  readonly label: string;
  /** Mean size of its effect (|attribution|) per group, in `ComparedGroups` order; null for an empty group. */
  readonly influence: readonly (number | null)[];
  /** Mean signed effect per group: which way it moves the group's scores on average. */
  readonly mean: readonly (number | null)[];
  /** Per group, its influence minus the reference's (null for the reference). */
  readonly differences: readonly (GapEstimate | null)[];
}

export interface DriverComparison {
  readonly unit: 'percentage points' | 'log-odds' | 'points';
  /** Features, largest influence over everyone first. */
  readonly rows: readonly DriverComparisonRow[];
  readonly warning: string | null;
}

/**
 * Every group of one grouping (a column, or two crossed) compared with a reference group: the panel's
 * group view and the audit report's sections show this one value (calibration/comparison.ts builds it).
 */
export interface GroupComparison {
  readonly column: string;
  readonly reference: string;
  readonly scale: ScoreScale;
  readonly absentFigures: string | null;
  readonly confidence: number;
  readonly threshold: number;
  readonly scoreIsProbability: boolean;
  readonly scoreUnit: string;
  readonly outcomeColumn: string;
  readonly everyone: ReliabilityCurve;
  readonly everyoneMetrics: CalibrationMetrics;
  /** In the engine's order (sorted labels); the reference among them. */
  readonly groups: readonly ComparedGroup[];
  /** Groups with fewer cases with a known outcome are `small`. */
  readonly minGroupCases: number;
  /** Null when the review has no attributions (a score read from a column) or they were not computed. */
  readonly drivers: DriverComparison | null;
  /** How each interval is made, in words. */
  readonly method: string;
}

/** The surrogate rule tree of a whole review (a case's `SurrogateSection` adds the case's path to it). */
export type SurrogateTree = Pick<SurrogateSection, 'method' | 'nodes' | 'fidelity' | 'notes'>;

/**
 * What an audit of a whole instrument says (report/audit.ts renders it): what was audited, everyone's
 * figures, each grouping's comparison, the surrogate's rules; every part that could not be computed is
 * null with its reason in `unavailable`.
 */
export interface AuditSummary {
  readonly provenance: Provenance;
  readonly cases: number;
  readonly outcomeColumn: string | null;
  readonly threshold: number;
  readonly scoreIsProbability: boolean;
  readonly scoreUnit: string;
  /** Band labels with their lower edges as people read them ("Moderate from 30%"). */
  readonly bands: readonly string[];
  readonly everyone: CalibrationMetrics | null;
  readonly comparisons: readonly GroupComparison[];
  readonly surrogate: SurrogateTree | null;
  readonly unavailable: readonly string[];
}

export type SectionName = 'attribution' | 'surrogate' | 'calibration' | 'sensitivity';

/**
 * Everything a case summary says. Sections an analysis could not provide are null, and `unavailable`
 * says why in words, so a document never silently drops a section.
 */
export interface CaseSummary {
  readonly header: CaseHeader;
  readonly attribution: AttributionSummary | null;
  readonly surrogate: SurrogateSection | null;
  readonly calibration: CalibrationSection | null;
  /** Per-feature curves and the smallest changes that reach a lower band (recourse/types.ts). */
  readonly sensitivity: SensitivitySection | null;
  readonly whatIfs: readonly WhatIfScenario[];
  readonly decision: ReviewDecision | null;
  readonly provenance: Provenance;
  readonly unavailable: readonly { readonly section: SectionName; readonly reason: string }[];
  /** Set when the case id was replaced by a reference and the group attributes left out. */
  readonly redacted: boolean;
}
