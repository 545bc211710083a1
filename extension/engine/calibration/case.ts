/**
 * Calibration as one case meets it: the bin that holds the case's score, for the case's own group and for
 * everyone, as the report's `CalibrationSection` — the value the panel, the exported summaries and
 * `risk-review calibration --case` all render, with the report's sentences, so all three say the same.
 *
 * The bin is found with the very rule the bins were filled by (`binOf` on the set's own edges), so the
 * case is always counted in the bin it is shown.
 */
import type { CalibrationMetrics, CalibrationSection, Estimate, GroupCalibration, RateWithInterval, ReliabilityBin, ReliabilityCurve } from '../report/types';
import { calibrationStatements } from '../report/sentences';
import { binOf } from './bins';
import type { CalibrationReport } from './groups';
import { MIN_GROUP_CASES, type CalibrationBin, type CalibrationStats } from './stats';
import type { Interval } from './wilson';

export function reliabilityBin(b: CalibrationBin): ReliabilityBin {
  return { lower: b.lower, upper: b.upper, n: b.n, meanScore: b.meanScore!, observedRate: b.observedRate!, interval: [b.ciLow!, b.ciHigh!] };
}

export function curve(stats: CalibrationStats, label: string): ReliabilityCurve {
  return { label, n: stats.n, positives: stats.positives, bins: stats.bins.filter((b) => b.n > 0).map(reliabilityBin) };
}

function rate(value: number | null, interval: Interval | null): RateWithInterval | null {
  return value === null || interval === null ? null : { value, interval: [interval.ciLow, interval.ciHigh] };
}

function estimate(value: number | null, interval: Interval | null): Estimate | null {
  return value === null ? null : { value, interval: interval && [interval.ciLow, interval.ciHigh] };
}

// One conversion per set for the whole review, however many cases' summaries show it.
const converted = new WeakMap<CalibrationStats, CalibrationMetrics>();

/** The engine's figures for one set, as the report carries them (copied once per review, never recomputed). */
export function metrics(stats: CalibrationStats, label: string): CalibrationMetrics {
  const known = converted.get(stats);
  if (known) return known;
  const { intervals } = stats;
  const m: CalibrationMetrics = {
    label,
    n: stats.n,
    positives: stats.positives,
    brier: estimate(stats.brier, intervals.brier),
    ece: stats.ece,
    auc: estimate(stats.auc, intervals.auc),
    calibrationSlope: estimate(stats.calibrationSlope, intervals.calibrationSlope),
    calibrationIntercept: estimate(stats.calibrationIntercept, intervals.calibrationIntercept),
    calibrationInTheLarge: estimate(stats.calibrationInTheLarge, intervals.calibrationInTheLarge),
    fpr: rate(stats.fpr, intervals.fpr),
    fnr: rate(stats.fnr, intervals.fnr),
    ppv: rate(stats.ppv, intervals.ppv),
    selectionRate: rate(stats.selectionRate, intervals.selectionRate),
    warnings: stats.warnings,
  };
  converted.set(stats, m);
  return m;
}

/** How the figures of a report were made, in words (the same line for a case's section and a group comparison). */
export function sectionMethod(r: CalibrationReport): string {
  const by = r.intervalMethods;
  const bins = r.strategy === 'values' ? `a bin per score value (${r.binCount})` : `${r.binCount} ${r.strategy} bins`;
  const probabilityFigures = r.scale === 'probability' ? `, Brier score and calibration-in-the-large by ${by.brier}, slope and intercept by ${by.calibrationSlope}` : '';
  return `Reliability diagram with ${bins}; outcome rates with ${r.intervalMethod}s; other intervals: AUC by ${by.auc}${probabilityFigures}`;
}

/** The non-empty bin of `stats` that holds `score`, or null. */
export function binOfScore(stats: CalibrationStats, score: number): CalibrationBin | null {
  if (stats.bins.length === 0) return null;
  const edges = [stats.bins[0].lower, ...stats.bins.map((b) => b.upper)];
  const bin = stats.bins[binOf(edges, score)];
  return bin.n > 0 ? bin : null;
}

/**
 * The calibration section of a case with `score`: everyone's curve from the first report, and for each
 * report that has a group column, the curve of the case's group in it (`groupOf(column)`; a group the
 * report does not know, e.g. a redacted one, is left out).
 */
export function caseCalibrationSection(reports: readonly CalibrationReport[], outcomeColumn: string, score: number, groupOf: (column: string) => string | undefined): CalibrationSection {
  if (reports.length === 0) throw new RangeError('caseCalibrationSection needs at least one calibration report');
  const { overall, intervalMethod } = reports[0];
  const everyoneBin = binOfScore(overall, score);
  const groups: GroupCalibration[] = [];
  for (const r of reports) {
    if (r.groupBy === null) continue;
    const label = groupOf(r.groupBy);
    const stats = r.groups.find((g) => g.group === label);
    if (!stats) continue;
    const bin = binOfScore(stats, score);
    groups.push({
      column: r.groupBy,
      group: stats.group,
      curve: curve(stats, `${stats.group} (${r.groupBy})`),
      caseBin: bin && reliabilityBin(bin),
      smallGroup: stats.n < MIN_GROUP_CASES ? { n: stats.n, minimum: MIN_GROUP_CASES } : null,
      columnMetrics: r.groups.map((g) => metrics(g, g.group)),
      reference: r.reference,
    });
  }
  return {
    scale: reports[0].scale,
    absentFigures: reports[0].absentFigures,
    method: sectionMethod(reports[0]),
    confidence: reports[0].confidence,
    intervalMethod,
    outcomeColumn,
    everyone: curve(overall, 'Everyone'),
    everyoneCaseBin: everyoneBin && reliabilityBin(everyoneBin),
    everyoneMetrics: metrics(overall, 'Everyone'),
    groups,
  };
}

/** The section in words an analyst can quote: per group (with any small-group caution), then everyone. */
export function caseCalibrationStatement(section: CalibrationSection): string[] {
  return calibrationStatements(section).map((line) => line.text);
}
