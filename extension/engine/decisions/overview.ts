/**
 * The reviewers' decisions on a review, from its review log: the latest decision on each case about this
 * very model and case file (as the case list and the summaries take it), and the figures by group
 * (byGroup.ts) for each group column and each pair of them crossed. One function for the CLI's
 * `decisions`, the panel's decisions view (in the extension host's worker) and the audit report.
 */
import { CONFIDENCE } from '../calibration/wilson';
import { CROSS, crossGroups, groupingParts, type GroupColumn } from '../data/cases';
import type { Band } from '../models/types';
import { bandOf } from '../models/score';
import { scoringSha256, type Review } from '../review';
import { latestVerdicts, type ReviewLogEntry, type VerifiedLog } from '../reviewLog';
import { decisionFigures, groupTable, type ReviewedCase } from './byGroup';
import type { BandFlag, DecisionRow, DecisionsOverview, Direction } from './types';

export const INTERVAL_METHODS = { rates: 'Wilson score interval', gaps: "Newcombe's hybrid score interval (method 10) for a difference of proportions" } as const;

/** Which side of the threshold t each band lies on: wholly at or above it, wholly below it, or across it. */
export function bandFlags(bands: readonly Band[], t: number): BandFlag[] {
  return bands.map((b, k) => {
    const lower = k === 0 ? -Infinity : (bands[k - 1].below as number);
    const upper = b.below ?? Infinity;
    return lower >= t ? 'flagged' : upper <= t ? 'not flagged' : 'either';
  });
}

/** What the decision did to the band `band` (an index into `labels`). */
function directionOf(e: ReviewLogEntry, labels: readonly string[], band: number): Direction {
  if (e.verdict === 'agree') return 'agree';
  const assigned = e.assignedBand === undefined ? -1 : labels.indexOf(e.assignedBand);
  if (assigned < 0 || assigned === band) return 'unnamed';
  return assigned > band ? 'up' : 'down';
}

function adjustedFlag(direction: Direction, assignedFlag: BandFlag | undefined, flagged: boolean): boolean {
  if ((direction === 'up' || direction === 'down') && assignedFlag !== 'either' && assignedFlag !== undefined) return assignedFlag === 'flagged';
  return flagged;
}

export function decisionsOverview(review: Review, score: Float64Array, log: VerifiedLog, logFile: string): DecisionsOverview {
  const { cases } = review;
  const labels = review.bands.map((b) => b.label);
  const flags = bandFlags(review.bands, review.threshold);
  const scoring = scoringSha256(review);
  const about = log.entries.filter((e) => e.modelSha256 === scoring && e.dataSha256 === review.dataSha256);
  const counts = new Map<string, number>();
  for (const e of about) counts.set(e.caseId, (counts.get(e.caseId) ?? 0) + 1);
  const latest = latestVerdicts(about, scoring, review.dataSha256);

  const reviewed: ReviewedCase[] = [];
  const rows: DecisionRow[] = [];
  let unknownBands = 0;
  let otherBandThen = 0;
  let notInFile = 0;
  for (const [caseId, e] of latest) {
    const i = cases.indexOf(caseId);
    if (i < 0) {
      notInFile++;
      continue;
    }
    const bandLabel = bandOf(review.bands, score[i]);
    const band = labels.indexOf(bandLabel);
    const direction = directionOf(e, labels, band);
    if (e.assignedBand !== undefined && !labels.includes(e.assignedBand)) unknownBands++;
    if (e.band !== undefined && e.band !== bandLabel) otherBandThen++;
    const flagged = score[i] >= review.threshold;
    const o = cases.outcome ? cases.outcome[i] : -1;
    const assignedFlag = e.assignedBand === undefined ? undefined : flags[labels.indexOf(e.assignedBand)];
    reviewed.push({ index: i, direction, outcome: o === 1 ? 1 : o === 0 ? 0 : null, flagged, adjustedFlagged: adjustedFlag(direction, assignedFlag, flagged) });
    rows.push({
      caseId,
      index: i,
      score: score[i],
      band: bandLabel,
      verdict: e.verdict,
      direction,
      assignedBand: e.assignedBand ?? null,
      reason: e.reason,
      notes: e.notes,
      reviewer: e.reviewer,
      time: e.time,
      blind: e.blind ?? null,
      decisions: counts.get(caseId)!,
      groups: cases.groups.map((g) => g.labels[g.codes[i]]),
    });
  }
  rows.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));

  const withOutcomes = cases.outcome !== null;
  // Names from the project file: looked up as its own properties only ("constructor" is a column name too).
  const refOf = (column: string) => (Object.hasOwn(review.spec.referenceGroups, column) ? review.spec.referenceGroups[column] : undefined);
  const warnings = [
    unknownBands && `${unknownBands} decision${unknownBands === 1 ? ' names a band' : 's name bands'} this review does not have; ${unknownBands === 1 ? 'it counts' : 'they count'} as disagreeing without a band`,
    otherBandThen && `${otherBandThen} case${otherBandThen === 1 ? ' was' : 's were'} decided in another band than ${otherBandThen === 1 ? 'its' : 'their'} band now (the project's bands or threshold changed since); overrides are counted against the band now`,
    notInFile && `${notInFile} decision${notInFile === 1 ? ' is' : 's are'} about case ids this case file does not have`,
  ].filter((w): w is string => typeof w === 'string');
  return {
    logFile,
    verification: log.verification,
    entries: log.entries.length,
    otherReviews: log.entries.length - about.length,
    rows,
    groupColumns: cases.groups.map((g) => g.column),
    everyone: decisionFigures('Everyone', reviewed, withOutcomes),
    byGroup: groupingsOf(cases.groups).map((g) => groupTable(g, reviewed, withOutcomes, referenceOf(g.column, refOf))),
    outcomeColumn: cases.outcomeColumn,
    threshold: review.threshold,
    scoreIsProbability: review.scoreIsProbability,
    bands: labels.map((label, k) => ({ label, flag: flags[k] })),
    confidence: CONFIDENCE,
    intervalMethods: INTERVAL_METHODS,
    warnings,
  };
}

/**
 * The review's groupings (its group columns, and any intersection the project names), then every pair of
 * its plain columns crossed that it does not name already.
 */
function groupingsOf(groups: readonly GroupColumn[]): GroupColumn[] {
  const plain = groups.filter((g) => groupingParts(g.column).length === 1);
  const crossed: GroupColumn[] = [];
  for (let x = 0; x < plain.length; x++) {
    for (let y = x + 1; y < plain.length; y++) {
      const name = `${plain[x].column}${CROSS}${plain[y].column}`;
      if (!groups.some((g) => g.column === name)) crossed.push(crossGroups(plain[x], plain[y]));
    }
  }
  return [...groups, ...crossed];
}

/** The project's reference group for a grouping; for an intersection it does not name, the pair of its columns' references. */
function referenceOf(column: string, refOf: (column: string) => string | undefined): string | undefined {
  const parts = groupingParts(column);
  if (refOf(column) !== undefined || parts.length === 1) return refOf(column);
  const [a, b] = parts.map(refOf);
  return a !== undefined && b !== undefined ? `${a}${CROSS}${b}` : undefined;
}
