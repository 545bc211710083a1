/**
 * The decisions view's table (webview/decisionsQuery.ts): filters by what a decision did, by reviewer,
 * group and text; sorts by every column both ways, ties kept in the overview's order (newest first).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecisionRow } from '../../extension/engine/decisions/types';
import { ALL_DECISIONS, NEWEST_FIRST, nextSort, reviewersOf, selectDecisions } from '../../webview/decisionsQuery';

const BANDS = ['Low', 'Moderate', 'High'];
const row = (caseId: string, extra: Partial<DecisionRow>): DecisionRow => ({
  caseId,
  index: 0,
  score: 0.5,
  band: 'Moderate',
  verdict: 'agree',
  direction: 'agree',
  assignedBand: null,
  reason: '',
  notes: '',
  reviewer: 'ana',
  time: '2026-01-01T00:00:00.000Z',
  blind: true,
  decisions: 1,
  groups: ['Female', 'Black'],
  ...extra,
});
// The overview's order: newest first.
const rows = [
  row('J-10', { time: '2026-01-05T00:00:00.000Z', score: 0.9, band: 'High', verdict: 'disagree', direction: 'down', assignedBand: 'Low', reason: 'Referrals dismissed', reviewer: 'ben' }),
  row('J-2', { time: '2026-01-04T00:00:00.000Z', score: 0.1, band: 'Low', verdict: 'disagree', direction: 'up', assignedBand: 'High', groups: ['Male', 'White'], blind: false }),
  row('J-1', { time: '2026-01-03T00:00:00.000Z', score: 0.3, verdict: 'disagree', direction: 'unnamed', reason: 'see notes', blind: null }),
  row('J-3', { time: '2026-01-02T00:00:00.000Z', score: 0.3, reviewer: 'chidi', groups: ['Male', 'Black'] }),
];
const ids = (r: readonly DecisionRow[]) => r.map((x) => x.caseId);

test('newest first by default; every filter keeps what it names', () => {
  assert.deepEqual(ids(selectDecisions(rows, ALL_DECISIONS, NEWEST_FIRST, BANDS)), ['J-10', 'J-2', 'J-1', 'J-3']);
  const by = (f: Partial<typeof ALL_DECISIONS>) => ids(selectDecisions(rows, { ...ALL_DECISIONS, ...f }, NEWEST_FIRST, BANDS));
  assert.deepEqual(by({ direction: 'disagree' }), ['J-10', 'J-2', 'J-1']);
  assert.deepEqual(by({ direction: 'up' }), ['J-2']);
  assert.deepEqual(by({ direction: 'unnamed' }), ['J-1']);
  assert.deepEqual(by({ direction: 'agree' }), ['J-3']);
  assert.deepEqual(by({ reviewer: 'ana' }), ['J-2', 'J-1']);
  assert.deepEqual(by({ group: { column: 0, label: 'Male' } }), ['J-2', 'J-3']);
  assert.deepEqual(by({ group: { column: 1, label: 'Black' }, reviewer: 'chidi' }), ['J-3']);
  assert.deepEqual(by({ search: '  referrals ' }), ['J-10'], 'the reason, case-insensitive');
  assert.deepEqual(by({ search: 'j-1' }), ['J-10', 'J-1'], 'part of the id');
});

test('sorting by each column, both ways; ties keep the overview\'s order', () => {
  const sorted = (key: Parameters<typeof nextSort>[1], descending = false) => ids(selectDecisions(rows, ALL_DECISIONS, { key, descending }, BANDS));
  assert.deepEqual(sorted('case'), ['J-1', 'J-2', 'J-3', 'J-10'], 'natural order of ids');
  assert.deepEqual(sorted('score'), ['J-2', 'J-1', 'J-3', 'J-10']);
  assert.deepEqual(sorted('score', true), ['J-10', 'J-1', 'J-3', 'J-2'], 'ties stay in the overview\'s order either way');
  assert.deepEqual(sorted('band'), ['J-2', 'J-1', 'J-3', 'J-10'], 'bands by their order, not their names');
  assert.deepEqual(sorted('direction'), ['J-3', 'J-2', 'J-10', 'J-1']);
  assert.deepEqual(sorted('assigned'), ['J-1', 'J-3', 'J-10', 'J-2'], 'none named first, then Low … High');
  assert.deepEqual(sorted('reviewer'), ['J-2', 'J-1', 'J-10', 'J-3']);
  assert.deepEqual(sorted('time'), ['J-3', 'J-1', 'J-2', 'J-10']);
  assert.deepEqual(sorted('blind'), ['J-1', 'J-2', 'J-10', 'J-3'], 'unknown, no, yes');
  assert.deepEqual(sorted('reason'), ['J-2', 'J-3', 'J-10', 'J-1']);
});

test('clicking a column: the same one flips, another starts ascending (time newest first)', () => {
  assert.deepEqual(nextSort(NEWEST_FIRST, 'time'), { key: 'time', descending: false });
  assert.deepEqual(nextSort(NEWEST_FIRST, 'score'), { key: 'score', descending: false });
  assert.deepEqual(nextSort({ key: 'score', descending: false }, 'score'), { key: 'score', descending: true });
  assert.deepEqual(nextSort({ key: 'score', descending: false }, 'time'), { key: 'time', descending: true });
  assert.deepEqual(reviewersOf(rows), ['ana', 'ben', 'chidi']);
});
