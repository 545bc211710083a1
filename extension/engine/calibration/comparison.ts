/**
 * A grouping's groups compared with each other, as the report carries it (`GroupComparison`): each
 * group's own figures and reliability curve, its gaps to the reference group with their 95% intervals
 * (groups.ts), and, when every case's attributions are at hand, how much each feature moves each group's
 * scores compared with the reference (drivers.ts). The panel's group view and the audit report both
 * render this one value, so they cannot disagree.
 */
import { curve, metrics, sectionMethod } from './case';
import type { GroupDrivers } from './drivers';
import type { CalibrationReport, GroupGap } from './groups';
import { MIN_GROUP_CASES } from './stats';
import type { Interval } from './wilson';
import { excludesZero } from './differences';
import { COMPARED_GAPS, type ComparedGap, type DriverComparison, type GapEstimate, type GroupComparison } from '../report/types';

function estimate(value: number | null, interval: Interval | null): GapEstimate | null {
  return value === null ? null : { value, interval: interval && [interval.ciLow, interval.ciHigh], standsOut: excludesZero(interval) };
}

function gapsOf(gap: GroupGap): Record<ComparedGap, GapEstimate | null> {
  return Object.fromEntries(COMPARED_GAPS.map((f) => [f, estimate(gap.differences[f], gap.intervals[f])])) as Record<ComparedGap, GapEstimate | null>;
}

export interface DriverInputs {
  readonly drivers: GroupDrivers;
  readonly unit: DriverComparison['unit'];
  /** Feature names to the labels people read. */
  readonly labels: ReadonlyMap<string, string>;
}

function driverComparison(d: DriverInputs, groupOrder: readonly string[]): DriverComparison {
  const index = groupOrder.map((g) => d.drivers.groups.findIndex((x) => x.group === g));
  const rows = [...d.drivers.features]
    .sort((a, b) => b.overall - a.overall)
    .map((f) => ({
      feature: f.feature,
      label: d.labels.get(f.feature) ?? f.feature,
      influence: index.map((k) => f.influence[k]),
      mean: index.map((k) => f.mean[k]),
      differences: index.map((k) => {
        const diff = f.differences[k];
        return diff && { value: diff.value, interval: diff.interval && ([diff.interval.ciLow, diff.interval.ciHigh] as const), standsOut: diff.standsOut };
      }),
    }));
  return { unit: d.unit, rows, warning: d.drivers.warning };
}

/** The comparison of a report's groups (the report must group by a column and have a reference group). */
export function groupComparison(report: CalibrationReport, outcomeColumn: string, shown: { readonly scoreIsProbability: boolean; readonly scoreUnit: string }, drivers: DriverInputs | null): GroupComparison {
  if (report.groupBy === null || report.reference === null) throw new RangeError('a group comparison needs a report by group');
  const gaps = new Map(report.gaps.map((g) => [g.group, g]));
  const groups = report.groups.map((stats) => {
    const gap = gaps.get(stats.group);
    return {
      group: stats.group,
      metrics: metrics(stats, stats.group),
      curve: curve(stats, stats.group),
      small: stats.n < MIN_GROUP_CASES,
      gaps: gap ? gapsOf(gap) : null,
      equalScoreCoverage: gap ? gap.equalScoreCoverage : null,
    };
  });
  const m = report.intervalMethods;
  return {
    column: report.groupBy,
    reference: report.reference,
    scale: report.scale,
    absentFigures: report.absentFigures,
    confidence: report.confidence,
    threshold: report.threshold,
    scoreIsProbability: shown.scoreIsProbability,
    scoreUnit: shown.scoreUnit,
    outcomeColumn,
    everyone: curve(report.overall, 'Everyone'),
    everyoneMetrics: metrics(report.overall, 'Everyone'),
    groups,
    minGroupCases: MIN_GROUP_CASES,
    drivers: drivers && drivers.drivers.groupBy === report.groupBy ? driverComparison(drivers, groups.map((g) => g.group)) : null,
    method:
      `${sectionMethod(report)}. Gaps to the reference group: rates by ${m.rateGaps}; AUC${report.scale === 'probability' ? ' and calibration-in-the-large' : ''} by ${m.otherGaps}; ` +
      `the outcome gap at equal scores by ${m.outcomeAtEqualScore}` +
      (drivers ? `; feature influence (mean size of the attribution) by Welch's normal interval for a difference of means` : ''),
  };
}
