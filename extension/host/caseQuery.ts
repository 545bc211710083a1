/**
 * Which cases the case list shows, in which order: sort by score or id, filter by band, group and
 * review status, search by id. Pure functions over the opened review's arrays (no `vscode`), so a
 * million cases cost one typed-array sort, and the same order drives "next case" in the panel.
 */
import type { Verdict } from '../engine/report/types';
import type { OpenedReview } from './engineProtocol';

export type SortOrder = 'score-desc' | 'score-asc' | 'id' | 'file';
export type StatusFilter = 'all' | 'unreviewed' | 'reviewed' | Verdict;

export interface CaseQuery {
  readonly sort: SortOrder;
  /** Band index into `OpenedReview.bands`, or null for all bands. */
  readonly band: number | null;
  /** A group of one group column (indexes into `OpenedReview.groups` and its labels), or null. */
  readonly group: { readonly column: number; readonly code: number } | null;
  readonly status: StatusFilter;
  /** Case-insensitive part of the id; empty for all. */
  readonly search: string;
}

export const DEFAULT_QUERY: CaseQuery = { sort: 'file', band: null, group: null, status: 'all', search: '' };

export type ListedReview = Pick<OpenedReview, 'n' | 'ids' | 'score' | 'band' | 'groups' | 'byScore' | 'byId'>;

/** The latest verdict on case i, or undefined when it has none. */
export type VerdictOf = (i: number) => Verdict | undefined;

function keeps(review: ListedReview, verdictOf: VerdictOf, q: CaseQuery, i: number, needle: string): boolean {
  if (q.band !== null && review.band[i] !== q.band) return false;
  if (q.group !== null && review.groups[q.group.column]?.codes[i] !== q.group.code) return false;
  if (q.status !== 'all') {
    const v = verdictOf(i);
    if (q.status === 'unreviewed' ? v !== undefined : q.status === 'reviewed' ? v === undefined : v !== q.status) return false;
  }
  return needle === '' || review.ids[i].toLowerCase().includes(needle);
}

const naturalOrder = new Intl.Collator(undefined, { numeric: true }).compare;

/** Case indices by score, highest first, ties in file order. Computed once per review, in the worker. */
export function orderByScore(score: Float64Array): Int32Array {
  const order = Int32Array.from({ length: score.length }, (_, i) => i);
  return order.sort((a, b) => score[b] - score[a] || a - b);
}

/** Case indices by id in natural order (J-2 before J-10). Computed once per review, in the worker. */
export function orderById(ids: readonly string[]): Int32Array {
  const order = Int32Array.from({ length: ids.length }, (_, i) => i);
  return order.sort((a, b) => naturalOrder(ids[a], ids[b]) || a - b);
}

/** `byScore` walked from the lowest score, keeping file order within equal scores. */
function* lowestFirst(byScore: Int32Array, score: Float64Array): Generator<number> {
  let end = byScore.length;
  while (end > 0) {
    let start = end - 1;
    while (start > 0 && score[byScore[start - 1]] === score[byScore[end - 1]]) start--;
    for (let k = start; k < end; k++) yield byScore[k];
    end = start;
  }
}

/**
 * The indices of the cases the query keeps, in its order. The orders come precomputed with the review
 * (`byScore`, `byId`), so a query over a million cases is one linear pass on the host's main thread.
 */
export function selectCases(review: ListedReview, verdictOf: VerdictOf, q: CaseQuery): Int32Array {
  const needle = q.search.trim().toLowerCase();
  const out = new Int32Array(review.n);
  let k = 0;
  const take = (i: number) => {
    if (keeps(review, verdictOf, q, i, needle)) out[k++] = i;
  };
  switch (q.sort) {
    case 'score-desc':
      review.byScore.forEach(take);
      break;
    case 'score-asc':
      for (const i of lowestFirst(review.byScore, review.score)) take(i);
      break;
    case 'id':
      review.byId.forEach(take);
      break;
    case 'file':
      for (let i = 0; i < review.n; i++) take(i);
      break;
  }
  return out.subarray(0, k);
}

/**
 * The case `step` places from `current` in `order` (next = +1, previous = −1), or null past either end.
 * A current case the list no longer shows (filtered out) moves to the list's first (or last) case.
 */
export function neighbour(order: Int32Array, current: number | null, step: 1 | -1): number | null {
  if (order.length === 0) return null;
  const at = current === null ? -1 : order.indexOf(current);
  if (at < 0) return step === 1 ? order[0] : order[order.length - 1];
  const next = at + step;
  return next >= 0 && next < order.length ? order[next] : null;
}

/** The query in words, for the list's message ("High band · sex: Female · unreviewed · id contains "J-00""). */
export function describeQuery(review: Pick<OpenedReview, 'bands' | 'groups'>, q: CaseQuery): string {
  const parts: string[] = [];
  if (q.band !== null) parts.push(`${review.bands[q.band]} band`);
  if (q.group !== null) {
    const g = review.groups[q.group.column];
    if (g) parts.push(`${g.column}: ${g.labels[q.group.code]}`);
  }
  if (q.status !== 'all') parts.push(q.status === 'agree' ? 'agreed' : q.status === 'disagree' ? 'disagreed' : q.status);
  if (q.search.trim() !== '') parts.push(`id contains "${q.search.trim()}"`);
  return parts.join(' · ');
}
