/**
 * How often reviewers agreed with the score or overrode it, for everyone and per group, and whether the
 * overrides were right where the outcome is known.
 *
 * Over a set of n reviewed cases (each counted once, by its latest decision):
 *   - agreement A/n, override up U/n (a band above the score's), override down D/n (a band below), each
 *     with its 95% Wilson interval; disagreements that name no band count in n but in none of the three;
 *   - the gap of each rate to the reference group's, p_g − p_ref, with Newcombe's hybrid score interval
 *     (calibration/differences.ts), null when either group has no reviewed case;
 *   - over the m reviewed cases whose outcome y is known: the accuracy of the score's flag, #(flag = y)/m,
 *     and of the flag after the review (see `OutcomeFigures`), each with its Wilson interval; the overrides
 *     that made the flag right and those that made it wrong; and of the overrides with a known outcome,
 *     the share that moved toward it (up with y = 1, down with y = 0), with its Wilson interval.
 * A set under 50 reviewed cases, or under 50 with a known outcome, carries the calibration checks'
 * small-group warning (calibration/stats.ts).
 */
import type { GroupColumn } from '../data/cases';
import { newcombeDifference } from '../calibration/differences';
import { smallSetWarning } from '../calibration/stats';
import { wilson } from '../calibration/wilson';
import type { CountRate, DecisionFigures, DecisionGaps, DecisionGroupRow, DecisionGroupTable, Direction, Gap, OutcomeFigures } from './types';

/** One reviewed case as the figures count it. */
export interface ReviewedCase {
  /** The case's index in the review. */
  readonly index: number;
  readonly direction: Direction;
  readonly outcome: 0 | 1 | null;
  /** The score's flag (score ≥ threshold), and the flag after the reviewer's band. */
  readonly flagged: boolean;
  readonly adjustedFlagged: boolean;
}

export function countRate(count: number, n: number): CountRate {
  const ci = wilson(count, n);
  return { count, n, value: n === 0 ? null : count / n, ciLow: ci?.ciLow ?? null, ciHigh: ci?.ciHigh ?? null };
}

function gap(a: CountRate, b: CountRate): Gap | null {
  const ci = newcombeDifference(a.count, a.n, b.count, b.n);
  return ci && { value: a.count / a.n - b.count / b.n, ciLow: ci.ciLow, ciHigh: ci.ciHigh };
}

function outcomeFigures(cases: readonly ReviewedCase[]): OutcomeFigures {
  let known = 0, scoreRight = 0, adjustedRight = 0, madeRight = 0, madeWrong = 0, overrides = 0, toward = 0;
  for (const c of cases) {
    if (c.outcome === null) continue;
    known++;
    const happened = c.outcome === 1;
    const before = c.flagged === happened;
    const after = c.adjustedFlagged === happened;
    if (before) scoreRight++;
    if (after) adjustedRight++;
    if (after && !before) madeRight++;
    if (before && !after) madeWrong++;
    if (c.direction === 'up' || c.direction === 'down') {
      overrides++;
      if ((c.direction === 'up') === happened) toward++;
    }
  }
  return { known, scoreAccuracy: countRate(scoreRight, known), adjustedAccuracy: countRate(adjustedRight, known), madeRight, madeWrong, towardOutcome: countRate(toward, overrides) };
}

/** The figures of one set of reviewed cases; `withOutcomes` when the review has an outcome column. */
export function decisionFigures(group: string, cases: readonly ReviewedCase[], withOutcomes: boolean): DecisionFigures {
  const n = cases.length;
  const count = (d: Direction) => cases.reduce((k, c) => k + (c.direction === d ? 1 : 0), 0);
  const outcomes = withOutcomes ? outcomeFigures(cases) : null;
  const warnings = [
    n === 0 ? 'no reviewed case' : smallSetWarning(n, 'reviewed case', 'reviewed cases'),
    outcomes && n >= 50 ? smallSetWarning(outcomes.known, 'reviewed case with a known outcome', 'reviewed cases with a known outcome', 'the accuracy figures are') : null,
  ].filter((w): w is string => w !== null);
  return { group, reviewed: n, agreed: countRate(count('agree'), n), overrideUp: countRate(count('up'), n), overrideDown: countRate(count('down'), n), disagreedNoBand: count('unnamed'), outcomes, warnings };
}

function gaps(g: DecisionFigures, ref: DecisionFigures): DecisionGaps {
  return { agreed: gap(g.agreed, ref.agreed), overrideUp: gap(g.overrideUp, ref.overrideUp), overrideDown: gap(g.overrideDown, ref.overrideDown) };
}

/**
 * The figures of every group of `column` over the reviewed cases, and their gaps to the reference: `asked`
 * when it is a group of the column, else the group with most reviewed cases (the first in label order on a tie).
 */
export function groupTable(column: GroupColumn, reviewed: readonly ReviewedCase[], withOutcomes: boolean, asked: string | undefined): DecisionGroupTable {
  const members: ReviewedCase[][] = column.labels.map(() => []);
  for (const c of reviewed) members[column.codes[c.index]].push(c);
  const figures = column.labels.map((label, g) => decisionFigures(label, members[g], withOutcomes));
  let ref = asked === undefined ? -1 : column.labels.indexOf(asked);
  if (ref < 0 && figures.length > 0) ref = figures.reduce((best, f, g) => (f.reviewed > figures[best].reviewed ? g : best), 0);
  const rows: DecisionGroupRow[] = figures.map((f, g) => ({ ...f, gaps: g === ref ? null : gaps(f, figures[ref]) }));
  return { column: column.column, reference: ref < 0 ? null : column.labels[ref], rows };
}
