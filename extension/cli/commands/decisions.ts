import { stringify } from 'csv-stringify/sync';
import { resolve } from 'node:path';
import { decisionsOverview } from '../../engine/decisions/overview';
import type { CountRate, DecisionFigures, DecisionGroupRow, DecisionsOverview, Gap } from '../../engine/decisions/types';
import { UsageError } from '../../engine/project';
import { renderMarkdown } from '../../engine/report/markdown';
import { decisionsDocument } from '../../engine/report/decisions';
import { scoreAll } from '../../engine/review';
import { choice, specFrom, str, type Values } from '../args';
import type { Command } from '../command';
import { emit, json } from '../output';
import { openReviewAndWarn } from '../review';
import { readReviewLog } from '../reviewLog';

const RATES = ['agreed', 'overrideUp', 'overrideDown'] as const;

/** A rate's four CSV cells: count, rate, interval ends (empty when there is no case). */
function rateCells(name: string, r: CountRate): Record<string, number | string> {
  return { [`${name}`]: r.count, [`${name}_rate`]: r.value ?? '', [`${name}_low`]: r.ciLow ?? '', [`${name}_high`]: r.ciHigh ?? '' };
}

function gapCells(name: string, g: Gap | null | undefined): Record<string, number | string> {
  return { [`${name}_gap`]: g?.value ?? '', [`${name}_gap_low`]: g?.ciLow ?? '', [`${name}_gap_high`]: g?.ciHigh ?? '' };
}

/** One CSV record per group (everyone first): every figure and interval as a number. */
function groupRecord(column: string, reference: string | null, f: DecisionFigures | DecisionGroupRow): Record<string, number | string> {
  const gaps = 'gaps' in f ? f.gaps : null;
  const out = f.outcomes;
  return {
    column,
    group: f.group,
    reference: reference ?? '',
    reviewed: f.reviewed,
    ...Object.assign({}, ...RATES.map((k) => rateCells(k, f[k]))),
    disagreedNoBand: f.disagreedNoBand,
    ...Object.assign({}, ...RATES.map((k) => gapCells(k, gaps?.[k]))),
    outcomeKnown: out?.known ?? '',
    ...(out ? { ...rateCells('scoreAccuracy', out.scoreAccuracy), ...rateCells('adjustedAccuracy', out.adjustedAccuracy), madeRight: out.madeRight, madeWrong: out.madeWrong, ...rateCells('towardOutcome', out.towardOutcome) } : {}),
    warnings: f.warnings.join('; '),
  };
}

function groupsCsv(o: DecisionsOverview): string {
  const records = [groupRecord('', null, o.everyone), ...o.byGroup.flatMap((t) => t.rows.map((r) => groupRecord(t.column, t.reference, r)))];
  return stringify(records, { header: true, columns: Object.keys(records[0]) });
}

function casesCsv(o: DecisionsOverview): string {
  const records = o.rows.map((r) => ({
    caseId: r.caseId,
    score: r.score,
    band: r.band,
    verdict: r.verdict,
    direction: r.direction,
    assignedBand: r.assignedBand ?? '',
    reason: r.reason,
    notes: r.notes,
    reviewer: r.reviewer,
    time: r.time,
    blind: r.blind === null ? '' : String(r.blind),
    decisions: r.decisions,
    ...Object.fromEntries(o.groupColumns.map((c, k) => [c, r.groups[k]])),
  }));
  const columns = ['caseId', 'score', 'band', 'verdict', 'direction', 'assignedBand', 'reason', 'notes', 'reviewer', 'time', 'blind', 'decisions', ...o.groupColumns];
  return stringify(records, { header: true, columns });
}

export const decisions: Command = {
  name: 'decisions',
  summary: "reviewers' decisions from a review log: agreement and overrides up and down by group, with intervals",
  usage:
    'risk-review decisions (--project FILE | --model FILE --data FILE --id-column NAME) --review-log FILE [--group COL] [--outcome COL] [--per-case] [--format json|csv|md] [--out FILE]\n\n' +
    '  --review-log FILE  the review log (.riskreview/reviews.jsonl); only decisions about this model and case file count,\n' +
    '                     the latest on each case\n' +
    '  --per-case         the latest decision on each case, one record each (json or csv), instead of the figures by group\n' +
    '  --format F         json (default): everyone, then each group column and each pair of them crossed; csv: one\n' +
    '                     line per group; md: the section "Reviewers\' decisions by group" as the audit report has it\n' +
    'Per group: reviewed cases; agreement, override up and override down with 95% Wilson intervals; each rate\'s gap to the\n' +
    'reference group (the project\'s, else the one with most reviewed cases) with Newcombe\'s hybrid score interval; and,\n' +
    'with --outcome, the accuracy of the score\'s flag and of the flag after review, and the overrides toward the outcome.\n' +
    'The log\'s chain is checked as it is read; problems are warned about on standard error (see risk-review log verify).',
  options: {
    'review-log': { type: 'string' },
    'per-case': { type: 'boolean' },
  },
  async run(v: Values) {
    const perCase = v['per-case'] === true;
    const format = choice(v, 'format', perCase ? (['json', 'csv'] as const) : (['json', 'csv', 'md'] as const), 'json');
    const logFile = str(v, 'review-log');
    if (logFile === undefined) throw new UsageError('decisions needs --review-log FILE (the review log, e.g. .riskreview/reviews.jsonl)');
    const review = openReviewAndWarn(specFrom(v), v);
    const log = await readReviewLog(resolve(logFile));
    const { score } = scoreAll(review.model, review.cases);
    const overview = decisionsOverview(review, score, log, logFile);
    if (perCase) {
      emit(v, format === 'csv' ? casesCsv(overview) : json(overview.rows));
      return;
    }
    if (format === 'csv') emit(v, groupsCsv(overview));
    else if (format === 'md') emit(v, renderMarkdown(decisionsDocument(overview, review.spec.name ?? review.model.name)));
    else {
      const { rows, ...figures } = overview;
      emit(v, json({ ...figures, reviewedCases: rows.length }));
    }
  },
};
