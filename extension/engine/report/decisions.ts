/**
 * The reviewers' decisions in words and tables (from decisions/overview.ts): the audit report's section
 * "Reviewers' decisions by group", the panel's decisions view and `risk-review decisions --format md` all
 * show these blocks, and `risk-review log verify` and the panel say a log's check in these words. Plain
 * text only; the renderers escape it. Nothing here imports Node.
 */
import type { CountRate, Direction, DecisionFigures, DecisionGroupRow, DecisionGroupTable, DecisionsOverview, Gap } from '../decisions/types';
import { excludesZero } from '../calibration/differences';
import type { ChainProblem, ChainVerification } from '../logChain';
import type { Block, Column, SummaryDocument, TableBlock } from './content';
import { estimateText, NONE, rateText } from './content';
import { count, integer, percent, shortHash, wordList } from './format';
import { groupName } from './sentences';

const DIRECTION_WORDS: Readonly<Record<Direction, string>> = { agree: 'Agreed', up: 'Moved to a higher band', down: 'Moved to a lower band', unnamed: 'Disagreed, no band named' };

/** What a decision did to the band, as the tables and the decisions view name it. */
export function directionText(d: Direction): string {
  return DIRECTION_WORDS[d];
}

/** A problem in the log's chain in words, naming its line. */
export function chainProblemText(p: ChainProblem): string {
  switch (p.kind) {
    case 'edited':
      return `line ${p.line} was changed after it was written: its text no longer matches its hash`;
    case 'broken':
      return p.after === null
        ? `the chain breaks at line ${p.line}: it names a previous entry, but no line comes before it (the start of the log was removed?)`
        : `the chain breaks at line ${p.line}: it does not follow line ${p.after} (a line was removed, inserted or moved between them, or line ${p.after} was rewritten)`;
    case 'torn':
      return `line ${p.line}, the last, is cut short: a write was interrupted (a crash or a killed process), and the decision on it was not recorded`;
    case 'not-an-entry':
      return `line ${p.line} is not a decision (not complete JSON, or not a decision's fields): a write cut short, or text added by hand; it is skipped`;
    case 'unchained':
      return `line ${p.line} is a decision without the chain's hashes, after the chain began: added by hand or by an older Risk Review`;
  }
}

/** The check of a log in one sentence: intact, or how many problems (each then said by `chainProblemText`). */
export function chainSummary(v: ChainVerification, file: string): string {
  const before = v.unchainedBefore ? ` ${count(v.unchainedBefore, 'decision')} from before the log was chained cannot be checked.` : '';
  if (v.intact) {
    return v.lines === 0 ? `The review log ${file} holds no decision yet.` : `The review log ${file} is intact: its ${count(v.entries, 'decision')} form an unbroken chain (head hash ${shortHash(v.head ?? '')}).${before}`;
  }
  return `The review log ${file} has ${count(v.problems.length, 'problem')}: it may have been changed after it was written, or a write was cut short.${before}`;
}

function rate(r: CountRate): string {
  return r.value === null ? NONE : rateText({ value: r.value, interval: [r.ciLow!, r.ciHigh!] });
}

/** A gap in percentage points with its interval: "7.5 (4.9 to 9.9)"; marked "*" when the interval excludes 0. */
function gapText(g: Gap | null): string {
  if (!g) return NONE;
  const text = estimateText({ value: g.value * 100, interval: [g.ciLow * 100, g.ciHigh * 100] }, 1);
  return excludesZero(g) ? `${text} *` : text;
}

/** Every group of every table, named as the calibration tables name them, the reference marked. */
function namedRows(o: DecisionsOverview): { name: string; table: DecisionGroupTable; row: DecisionGroupRow }[] {
  return o.byGroup.flatMap((table) => table.rows.map((row) => ({ name: groupName({ column: table.column, group: row.group }) + (row.group === table.reference ? ' · reference' : ''), table, row })));
}

function figuresRow(name: string, f: DecisionFigures): string[] {
  return [name, integer(f.reviewed), rate(f.agreed), rate(f.overrideUp), rate(f.overrideDown), integer(f.disagreedNoBand)];
}

const who: Column = { title: 'Who' };
const numeric = (...titles: string[]): Column[] => [who, ...titles.map((title) => ({ title, numeric: true }))];

/** The tables of the decisions by group: rates, gaps to the reference, and (with outcomes) whether the overrides were right. */
export function decisionsByGroupTables(o: DecisionsOverview): TableBlock[] {
  const rows = namedRows(o);
  const conf = percent(o.confidence, 0);
  const tables: TableBlock[] = [
    {
      kind: 'table',
      caption: `Decisions by group: the latest on each reviewed case, with ${conf} intervals in brackets`,
      columns: numeric('Reviewed', ...(['agree', 'up', 'down', 'unnamed'] as const).map(directionText)),
      rows: [figuresRow('Everyone', o.everyone), ...rows.map(({ name, row }) => figuresRow(name, row))],
    },
    {
      kind: 'table',
      caption: `Gaps to each column's reference group, in percentage points, with ${conf} intervals (* the interval excludes 0)`,
      columns: [who, { title: 'Compared with' }, ...['Agreed', 'Moved higher', 'Moved lower'].map((title) => ({ title, numeric: true }))],
      rows: rows.filter(({ row }) => row.gaps !== null).map(({ name, table, row }) => [name, table.reference ?? NONE, gapText(row.gaps!.agreed), gapText(row.gaps!.overrideUp), gapText(row.gaps!.overrideDown)]),
    },
  ];
  if (o.everyone.outcomes) {
    const outcomeRow = (name: string, f: DecisionFigures): string[] => {
      const out = f.outcomes!;
      return [name, integer(out.known), rate(out.scoreAccuracy), rate(out.adjustedAccuracy), integer(out.madeRight), integer(out.madeWrong), rate(out.towardOutcome)];
    };
    tables.push({
      kind: 'table',
      caption: `Were the overrides right? Reviewed cases whose outcome is known, with ${conf} intervals`,
      columns: numeric('Outcome known', "Score's flag right", 'Flag after review right', 'Overrides made right', 'Overrides made wrong', 'Overrides toward the outcome'),
      rows: [outcomeRow('Everyone', o.everyone), ...rows.map(({ name, row }) => outcomeRow(name, row))],
    });
  }
  return tables;
}

/** What everyone's figures say, in sentences a supervisor can quote. */
export function decisionsSummary(o: DecisionsOverview): string[] {
  const e = o.everyone;
  if (e.reviewed === 0) return ['No decision has been recorded on the cases of this review yet.'];
  const conf = percent(o.confidence, 0);
  const unnamed = e.disagreedNoBand ? `; ${count(e.disagreedNoBand, 'decision')} disagreed without naming a band` : '';
  const lines = [
    `Reviewers recorded a decision on ${count(e.reviewed, 'case')} of this review (the latest decision on each case counts). They agreed with the score's band for ${rate(e.agreed)}, moved the case to a higher band for ${rate(e.overrideUp)} and to a lower band for ${rate(e.overrideDown)}${unnamed} (${conf} intervals in brackets).`,
  ];
  const out = e.outcomes;
  if (out && out.known > 0) {
    const toward = out.towardOutcome.n ? ` Of the ${count(out.towardOutcome.n, 'override')} whose outcome is known, ${rate(out.towardOutcome)} moved toward what happened.` : '';
    lines.push(
      `Where the outcome is known (${count(out.known, 'reviewed case')}), the score's flag matched it for ${rate(out.scoreAccuracy)}, and the flag after the reviewers' bands for ${rate(out.adjustedAccuracy)}: the overrides made ${count(out.madeRight, 'flag')} right and ${count(out.madeWrong, 'flag')} wrong.${toward}`,
    );
  }
  return lines;
}

const GAP_WORDS = [
  ['agreed', 'agreed with the score'],
  ['overrideUp', 'moved to a higher band'],
  ['overrideDown', 'moved to a lower band'],
] as const;

/** One sentence per gap whose interval excludes 0: "Black (race): moved to a higher band 7.5 percentage points more often than White (95% interval 4.9 to 9.9)." */
export function gapSentences(o: DecisionsOverview): string[] {
  const conf = percent(o.confidence, 0);
  return o.byGroup.flatMap((table) =>
    table.rows.flatMap((row) =>
      GAP_WORDS.flatMap(([key, words]) => {
        const g = row.gaps?.[key];
        if (!g || !excludesZero(g)) return [];
        const size = estimateText({ value: Math.abs(g.value) * 100, interval: null }, 1);
        const [low, high] = [g.ciLow * 100, g.ciHigh * 100].map((v) => estimateText({ value: v, interval: null }, 1));
        return [`${groupName({ column: table.column, group: row.group })}: ${words} ${size} percentage points ${g.value > 0 ? 'more' : 'less'} often than ${table.reference} (${conf} interval ${low} to ${high} points).`];
      }),
    ),
  );
}

/** What the figures stand on: small groups, named, and the overview's own warnings. */
export function decisionsWarnings(o: DecisionsOverview): string[] {
  return [...o.everyone.warnings.map((w) => `Everyone: ${w}.`), ...namedRows(o).flatMap(({ name, row }) => row.warnings.map((w) => `${name}: ${w}.`)), ...o.warnings.map((w) => `${w}.`)];
}

/** How the figures were made, in one paragraph. */
export function decisionsMethod(o: DecisionsOverview): string {
  const flagged = o.bands.filter((b) => b.flag === 'flagged').map((b) => b.label);
  const below = o.bands.filter((b) => b.flag === 'not flagged').map((b) => b.label);
  const across = o.bands.filter((b) => b.flag === 'either').map((b) => b.label);
  const flags = o.outcomeColumn
    ? ` A case's flag after review: a case moved into a band wholly at or above the threshold (${wordList(flagged, 'and') || 'none'}) is flagged, into one wholly below it (${wordList(below, 'and') || 'none'}) is not${across.length ? `; ${wordList(across, 'and')} ${across.length === 1 ? 'holds' : 'hold'} the threshold, so a case moved there keeps the score's flag` : ''}; every other case keeps the score's flag. Outcome column: ${o.outcomeColumn}.`
    : '';
  return `Method: the latest decision on each case about this model and case file (decisions about other files are left out); rates with ${o.intervalMethods.rates}s; gaps to the reference group (the project's, else the group with most reviewed cases) with ${o.intervalMethods.gaps}; intersections cross two group columns.${flags}`;
}

/** The log's check as blocks: a sentence, and the problems when there are any. */
export function chainBlocks(o: DecisionsOverview): Block[] {
  const file = o.logFile.split(/[\\/]/).pop() ?? o.logFile;
  const v = o.verification;
  const other = o.otherReviews ? ` ${count(o.otherReviews, 'decision')} in it ${o.otherReviews === 1 ? 'is' : 'are'} about another model or case file and ${o.otherReviews === 1 ? 'is' : 'are'} not counted here.` : '';
  const blocks: Block[] = [{ kind: 'paragraph', text: chainSummary(v, file) + other, tone: v.intact ? 'muted' : 'warning' }];
  if (!v.intact) blocks.push({ kind: 'list', items: v.problems.map((p) => `${chainProblemText(p)}.`) });
  return blocks;
}

/** The audit report's section "Reviewers' decisions by group" (the lead's audit report places it). */
export function decisionsByGroupBlocks(o: DecisionsOverview): Block[] {
  const gaps = gapSentences(o);
  const warnings = decisionsWarnings(o);
  return [
    { kind: 'heading', text: "Reviewers' decisions by group" },
    ...decisionsSummary(o).map((text): Block => ({ kind: 'paragraph', text })),
    ...(gaps.length ? ([{ kind: 'paragraph', text: 'Gaps to the reference group whose interval excludes 0:' }, { kind: 'list', items: gaps }] as Block[]) : []),
    ...decisionsByGroupTables(o),
    ...(warnings.length ? ([{ kind: 'paragraph', text: 'What the figures stand on:', tone: 'warning' }, { kind: 'list', items: warnings }] as Block[]) : []),
    ...chainBlocks(o),
    { kind: 'paragraph', text: decisionsMethod(o), tone: 'muted' },
  ];
}

/** The section as a document of its own (`risk-review decisions --format md`). */
export function decisionsDocument(o: DecisionsOverview, reviewName: string): SummaryDocument {
  return { title: "Reviewers' decisions", subtitle: reviewName, footer: `Risk Review · reviewers' decisions · ${reviewName}`, blocks: decisionsByGroupBlocks(o) };
}
