/**
 * The case list's query (extension/host/caseQuery.ts) against a brute-force reading of the same rules on
 * random case sets (fast-check): every kept case passes every filter and no passing case is dropped; the
 * order is the asked one with file order breaking ties; next / previous walk that order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_QUERY, describeQuery, neighbour, orderById, orderByScore, selectCases, type CaseQuery, type ListedReview, type StatusFilter } from '../../extension/host/caseQuery';
import type { Verdict } from '../../extension/engine/report/types';

interface World {
  review: ListedReview;
  verdicts: (Verdict | undefined)[];
}

const world: fc.Arbitrary<World> = fc.integer({ min: 0, max: 60 }).chain((n) =>
  fc.record({
    ids: fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9-]{1,6}$/), { minLength: n, maxLength: n }),
    // Few distinct scores, so ties are common.
    score: fc.array(fc.integer({ min: 0, max: 8 }).map((k) => k / 8), { minLength: n, maxLength: n }),
    band: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }),
    g0: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }),
    g1: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
    verdicts: fc.array(fc.constantFrom<Verdict | undefined>('agree', 'disagree', undefined), { minLength: n, maxLength: n }),
  }).map((r) => ({
    review: {
      n: r.ids.length,
      ids: r.ids,
      score: Float64Array.from(r.score),
      byScore: orderByScore(Float64Array.from(r.score)),
      byId: orderById(r.ids),
      band: Uint8Array.from(r.band),
      groups: [
        { column: 'race', labels: ['A', 'B', 'C'], codes: Int32Array.from(r.g0) },
        { column: 'sex', labels: ['F', 'M'], codes: Int32Array.from(r.g1) },
      ],
    },
    verdicts: r.verdicts,
  })),
);

const query: fc.Arbitrary<CaseQuery> = fc.record({
  sort: fc.constantFrom('score-desc', 'score-asc', 'id', 'file'),
  band: fc.option(fc.integer({ min: 0, max: 2 })),
  group: fc.option(fc.record({ column: fc.integer({ min: 0, max: 1 }), code: fc.integer({ min: 0, max: 2 }) })),
  status: fc.constantFrom<StatusFilter>('all', 'unreviewed', 'reviewed', 'agree', 'disagree'),
  search: fc.constantFrom('', 'a', 'A', '1', '-', ' b '),
});

function passes(w: World, q: CaseQuery, i: number): boolean {
  const r = w.review;
  const v = w.verdicts[i];
  const status = q.status === 'all' || (q.status === 'unreviewed' && v === undefined) || (q.status === 'reviewed' && v !== undefined) || q.status === v;
  return (
    (q.band === null || r.band[i] === q.band) &&
    (q.group === null || r.groups[q.group.column].codes[i] === q.group.code) &&
    status &&
    r.ids[i].toLowerCase().includes(q.search.trim().toLowerCase())
  );
}

test('selectCases keeps exactly the cases that pass every filter, in the asked order', () => {
  fc.assert(
    fc.property(world, query, (w, q) => {
      const got = Array.from(selectCases(w.review, (i) => w.verdicts[i], q));
      const expected = Array.from({ length: w.review.n }, (_, i) => i).filter((i) => passes(w, q, i));
      assert.deepEqual([...got].sort((a, b) => a - b), expected);
      const s = w.review.score;
      for (let k = 1; k < got.length; k++) {
        const [a, b] = [got[k - 1], got[k]];
        if (q.sort === 'score-desc') assert.ok(s[a] > s[b] || (s[a] === s[b] && a < b));
        if (q.sort === 'score-asc') assert.ok(s[a] < s[b] || (s[a] === s[b] && a < b));
        if (q.sort === 'file') assert.ok(a < b);
        if (q.sort === 'id') assert.ok(w.review.ids[a].localeCompare(w.review.ids[b], undefined, { numeric: true }) <= 0);
      }
    }),
  );
});

test('ids sort naturally (J-2 before J-10)', () => {
  const ids = ['J-10', 'J-2', 'J-1'];
  const review: ListedReview = { n: 3, ids, score: new Float64Array(3), byScore: orderByScore(new Float64Array(3)), byId: orderById(ids), band: new Uint8Array(3), groups: [] };
  assert.deepEqual(Array.from(selectCases(review, () => undefined, { ...DEFAULT_QUERY, sort: 'id' })), [2, 1, 0]);
});

test('neighbour walks the order and stops at its ends; a case outside the list goes to its first or last', () => {
  const order = Int32Array.from([5, 2, 9]);
  assert.equal(neighbour(order, 5, 1), 2);
  assert.equal(neighbour(order, 2, 1), 9);
  assert.equal(neighbour(order, 9, 1), null);
  assert.equal(neighbour(order, 5, -1), null);
  assert.equal(neighbour(order, 9, -1), 2);
  assert.equal(neighbour(order, 7, 1), 5);
  assert.equal(neighbour(order, 7, -1), 9);
  assert.equal(neighbour(order, null, 1), 5);
  assert.equal(neighbour(new Int32Array(0), 5, 1), null);
});

test('describeQuery says what the list is narrowed to', () => {
  const review = { bands: ['Low', 'High'], groups: [{ column: 'sex', labels: ['F', 'M'], codes: new Int32Array(0) }] };
  assert.equal(describeQuery(review, DEFAULT_QUERY), '');
  assert.equal(describeQuery(review, { ...DEFAULT_QUERY, band: 1, group: { column: 0, code: 0 }, status: 'unreviewed', search: ' J-0 ' }), 'High band · sex: F · unreviewed · id contains "J-0"');
});

test('a million cases: one linear pass over the precomputed order, ties in file order both ways', () => {
  const n = 1_000_000;
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) score[i] = ((i * 7919) % 1009) / 1009;
  const review: ListedReview = { n, ids: [], score, byScore: orderByScore(score), byId: new Int32Array(0), band: new Uint8Array(n), groups: [] };
  for (const sort of ['score-desc', 'score-asc'] as const) {
    const order = selectCases(review, () => undefined, { ...DEFAULT_QUERY, sort });
    assert.equal(order.length, n);
    for (let k = 1; k < n; k++) {
      const [a, b] = [order[k - 1], order[k]];
      assert.ok(sort === 'score-desc' ? score[a] > score[b] || (score[a] === score[b] && a < b) : score[a] < score[b] || (score[a] === score[b] && a < b));
    }
  }
});
