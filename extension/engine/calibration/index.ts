/**
 * Per-group calibration checks: is a score worth the same for everyone? The API the CLI, the panel and
 * the exports share. Every result is plain, JSON-serialisable data.
 *
 * What is computed (the maths is stated in each module's docstring):
 *   - stats.ts: for one set of cases, reliability bins (count, mean score, observed rate, Wilson 95%
 *     interval), Brier score, ECE = Σ_b (n_b/N)·|observed_b − meanScore_b| over non-empty bins,
 *     calibration-in-the-large (mean score − observed rate), calibration slope and intercept (logistic
 *     recalibration), AUC, and at the threshold (flagged when score ≥ threshold) FPR, FNR, PPV and
 *     selection rate with Wilson intervals, plus warnings for small groups and sparse bins; the AUC
 *     (DeLong, auc.ts), Brier score (central limit theorem) and slope and intercept (Wald, from the
 *     observed information, recalibration.ts) carry standard errors and 95% intervals (intervals.ts);
 *   - bins.ts: bin edges and membership exactly as scikit-learn 1.2's calibration_curve (uniform or
 *     quantile), except that empty bins are listed (n = 0) rather than dropped;
 *   - groups.ts: everyone and each group of a column, the gaps to a reference group, optional bootstrap
 *     intervals for the gaps; cases with an unknown outcome are left out and counted;
 *   - drivers.ts: mean |attribution| of each feature per group, and the features whose share of the
 *     influence differs most between groups;
 *   - case.ts: the calibration near one case's score, for its group and for everyone, as the report's
 *     `CalibrationSection`, and in sentences.
 * Checked in test/unit/calibration*.test.ts against scikit-learn (calibration_curve, brier_score_loss,
 * roc_auc_score) and a Newton fit, to 1e-6; the standard errors and their intervals against brute-force
 * DeLong, statsmodels' Logit and numpy, to 1e-9 relative; the intervals' coverage by simulation.
 *
 * Typical use:
 *
 *     const review = openReview(spec);
 *     const { score } = scoreAll(review.model, review.cases);
 *     const report = calibrateReview(review, score, { groupColumn: 'race', bins: 10 });
 *     const section = caseCalibrationSection([report], review.cases.outcomeColumn!, score[i], (c) => groupLabelOf(review.cases, c, i));
 *     caseCalibrationStatement(section);  // sentences an analyst can quote
 */
import { InputError } from '../errors';
import { CROSS, groupColumnOf, groupingName, groupingParts, type CaseSet } from '../data/cases';
import type { Review } from '../review';
import type { BinStrategy } from './bins';
import { calibrationReport, type BootstrapOptions, type CalibrationReport } from './groups';

export { binOf, percentilesOfSorted, quantileEdges, uniformEdges, type BinStrategy } from './bins';
export { wilson, CONFIDENCE, Z_95, type Interval } from './wilson';
export { deLongAuc, type AucEstimate } from './auc';
export { logitInterval, waldInterval } from './intervals';
export { clippedLogits, recalibrate, type Recalibration } from './recalibration';
export {
  calibrationStats,
  MIN_BIN_CASES,
  MIN_GROUP_CASES,
  smallSetWarning,
  type CalibrationBin,
  type CalibrationStats,
  type CaseScores,
  type Confusion,
  type FigureIntervals,
  type StandardErrors,
  type StatsOptions,
} from './stats';
export {
  calibrationReport,
  EVERYONE,
  GAP_FIGURES,
  INTERVAL_METHODS,
  type CalibrationInput,
  type CalibrationOptions,
  type CalibrationReport,
  type GapFigure,
  type GroupGap,
} from './groups';
export { groupDrivers, type DriverInput, type DriverOptions, type FeatureDriver, type GroupDrivers } from './drivers';
export { binOfScore, caseCalibrationSection, caseCalibrationStatement } from './case';

export interface ReviewCalibrationOptions {
  /** A group column bound in the review's cases; none for everyone only. */
  readonly groupColumn?: string;
  readonly bins?: number;
  readonly strategy?: BinStrategy;
  /** Default: the project's reference group for the column, else the largest group. */
  readonly reference?: string;
  readonly bootstrap?: BootstrapOptions;
}

/** The group of case i in `column` (a grouping's name, crossed ones too). */
export function groupLabelOf(cases: CaseSet, column: string, i: number): string | undefined {
  const g = groupColumnOf(cases, column);
  return g ? g.labels[g.codes[i]] : undefined;
}

/**
 * The project's reference group for a grouping, however the project spelled the grouping's name; for an
 * intersection the project names none for, the pair of its columns' references ("Male × White").
 */
export function referenceGroupOf(referenceGroups: Readonly<Record<string, string>>, column: string): string | undefined {
  const own = (key: string) => (Object.prototype.hasOwnProperty.call(referenceGroups, key) ? referenceGroups[key] : undefined);
  const named = own(column) ?? Object.keys(referenceGroups).filter((k) => groupingName(k) === groupingName(column)).map(own)[0];
  if (named !== undefined) return named;
  const parts = groupingParts(column);
  if (parts.length !== 2) return undefined;
  const refs = parts.map((p) => referenceGroupOf(referenceGroups, p));
  return refs.every((r) => r !== undefined) ? refs.join(CROSS) : undefined;
}

/** The project's reference for a grouping when the grouping has that group (an intersection's pair may have no cases). */
function projectReference(referenceGroups: Readonly<Record<string, string>>, column: string, labels: readonly string[]): string | undefined {
  const ref = referenceGroupOf(referenceGroups, column);
  return ref !== undefined && (labels.includes(ref) || groupingParts(column).length === 1) ? ref : undefined;
}

/**
 * Calibration of a review's scores (from `scoreAll`) at its threshold, by one of its groupings. Scores
 * that are not probabilities (an instrument's total, a score column without a mapping) are checked on
 * their own scale (see groups.ts).
 */
export function calibrateReview(review: Review, scores: Float64Array, options: ReviewCalibrationOptions = {}): CalibrationReport {
  const { cases, spec } = review;
  if (!cases.outcome) throw new InputError('calibration needs the known outcomes; name the outcome column (--outcome)', { file: cases.file });
  const column = options.groupColumn;
  const groups = column === undefined ? null : groupColumnOf(cases, column);
  if (groups === undefined) throw new InputError(`the group column "${column}" was not read from the case file`, { file: cases.file });
  return calibrationReport(
    { scores, outcomes: cases.outcome, ids: cases.ids, groups, probabilities: review.scoreIsProbability },
    {
      bins: options.bins,
      strategy: options.strategy,
      threshold: review.threshold,
      reference: options.reference ?? (column === undefined || groups === null ? undefined : projectReference(spec.referenceGroups, column, groups.labels)),
      bootstrap: options.bootstrap,
    },
  );
}
