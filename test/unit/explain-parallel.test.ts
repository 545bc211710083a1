/**
 * `explainAll`: worker threads give exactly the single-thread numbers, in data order, with progress
 * that reaches the total; cancellation stops the work (on worker threads and on the calling thread).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaseSet } from '../../extension/engine/data/cases';
import { explainAll, explainAllSync, prepareExplainer } from '../../extension/engine/explain/index';
import { xgbFixture } from './explain-fixtures';

/** The fixture's cases repeated until threads are worth starting (explainAll's own threshold). */
function tiled(cases: CaseSet, times: number): CaseSet {
  const m = cases.features.length;
  const x = new Float64Array(cases.n * times * m);
  for (let k = 0; k < times; k++) x.set(cases.x, k * cases.n * m);
  const ids = Array.from({ length: cases.n * times }, (_, i) => `${cases.ids[i % cases.n]}#${Math.floor(i / cases.n)}`);
  return { ...cases, n: ids.length, x, ids };
}

const { model, cases: small } = xgbFixture('reglogistic_d6_unnamed');
const cases = tiled(small, Math.ceil(25_000_000 / model.forest.left.length / small.n));

test('worker threads give the same numbers as one thread, in data order, with progress to the total', async () => {
  const background = { kind: 'tree-cover' } as const;
  const single = explainAllSync(prepareExplainer(model, background), cases);
  const seen: number[] = [];
  const threaded = await explainAll({ model, cases, background }, { threads: 2, onProgress: (done, total) => seen.push(done / total) });
  assert.deepEqual(threaded.margin, single.margin);
  assert.deepEqual(threaded.contributions, single.contributions);
  assert.equal(threaded.baseValue, single.baseValue);
  assert.equal(seen[seen.length - 1], 1);
  assert.ok(seen.every((f, k) => k === 0 || f >= seen[k - 1]), 'progress only grows');
});

test('cancelling stops the workers and rejects with an AbortError', async () => {
  const controller = new AbortController();
  const run = explainAll({ model, cases, background: { kind: 'tree-cover' } }, { threads: 2, signal: controller.signal, onProgress: () => controller.abort() });
  await assert.rejects(run, (e: Error) => e.name === 'AbortError');
  await assert.rejects(explainAll({ model, cases, background: { kind: 'tree-cover' } }, { signal: AbortSignal.abort() }), (e: Error) => e.name === 'AbortError');
});

test('on one thread, progress and cancellation work too', async () => {
  const controller = new AbortController();
  let calls = 0;
  const run = explainAll(
    { model, cases, background: { kind: 'tree-cover' } },
    {
      threads: 1,
      signal: controller.signal,
      onProgress: () => {
        if (++calls === 2) controller.abort();
      },
    },
  );
  await assert.rejects(run, (e: Error) => e.name === 'AbortError');
  assert.equal(calls, 2);
});
