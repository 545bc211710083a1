/**
 * Which decisions the decisions view lists, in which order: filter by what the decision did, by reviewer,
 * by group and by text (case id or reason); sort by any column, either way. Pure functions over the
 * overview's rows (no DOM), so they are tested on their own.
 */
import type { DecisionRow, Direction } from '../extension/engine/decisions/types';

export type DecisionSortKey = 'case' | 'score' | 'band' | 'direction' | 'assigned' | 'reason' | 'reviewer' | 'time' | 'blind';

export interface DecisionSort {
  readonly key: DecisionSortKey;
  readonly descending: boolean;
}

export interface DecisionFilter {
  /** What the decision did; 'disagree' is every disagreement (up, down or no band named). */
  readonly direction: Direction | 'disagree' | 'all';
  readonly reviewer: string | null;
  /** A group of one of the review's group columns (an index into `DecisionRow.groups`). */
  readonly group: { readonly column: number; readonly label: string } | null;
  /** Case-insensitive part of the case id or the reason; empty for all. */
  readonly search: string;
}

export const ALL_DECISIONS: DecisionFilter = { direction: 'all', reviewer: null, group: null, search: '' };
export const NEWEST_FIRST: DecisionSort = { key: 'time', descending: true };

const naturalOrder = new Intl.Collator(undefined, { numeric: true }).compare;
const DIRECTION_ORDER: Readonly<Record<Direction, number>> = { agree: 0, up: 1, down: 2, unnamed: 3 };

function keeps(r: DecisionRow, f: DecisionFilter, needle: string): boolean {
  if (f.direction === 'disagree' ? r.direction === 'agree' : f.direction !== 'all' && r.direction !== f.direction) return false;
  if (f.reviewer !== null && r.reviewer !== f.reviewer) return false;
  if (f.group !== null && r.groups[f.group.column] !== f.group.label) return false;
  return needle === '' || r.caseId.toLowerCase().includes(needle) || r.reason.toLowerCase().includes(needle);
}

/** The rows the filter keeps, in the sort's order; ties keep the overview's order (newest first). `bands` orders bands, lowest first. */
export function selectDecisions(rows: readonly DecisionRow[], filter: DecisionFilter, sort: DecisionSort, bands: readonly string[]): DecisionRow[] {
  const needle = filter.search.trim().toLowerCase();
  const bandIndex = (b: string | null) => (b === null ? -1 : bands.indexOf(b));
  const compare: Readonly<Record<DecisionSortKey, (a: DecisionRow, b: DecisionRow) => number>> = {
    case: (a, b) => naturalOrder(a.caseId, b.caseId),
    score: (a, b) => a.score - b.score,
    band: (a, b) => bandIndex(a.band) - bandIndex(b.band),
    direction: (a, b) => DIRECTION_ORDER[a.direction] - DIRECTION_ORDER[b.direction],
    assigned: (a, b) => bandIndex(a.assignedBand) - bandIndex(b.assignedBand),
    reason: (a, b) => naturalOrder(a.reason, b.reason),
    reviewer: (a, b) => naturalOrder(a.reviewer, b.reviewer),
    time: (a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0),
    blind: (a, b) => Number(a.blind ?? -1) - Number(b.blind ?? -1),
  };
  const by = compare[sort.key];
  const sign = sort.descending ? -1 : 1;
  return rows
    .map((r, k) => ({ r, k }))
    .filter(({ r }) => keeps(r, filter, needle))
    .sort((x, y) => sign * by(x.r, y.r) || x.k - y.k)
    .map(({ r }) => r);
}

/** The reviewers named in the rows, in natural order. */
export function reviewersOf(rows: readonly DecisionRow[]): string[] {
  return [...new Set(rows.map((r) => r.reviewer))].sort(naturalOrder);
}

/** The same column again flips the order; another column starts ascending (time: newest first). */
export function nextSort(current: DecisionSort, key: DecisionSortKey): DecisionSort {
  if (current.key === key) return { key, descending: !current.descending };
  return { key, descending: key === 'time' };
}
