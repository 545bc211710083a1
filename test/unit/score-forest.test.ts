/**
 * The batch forest scorer against XGBoost's split rule written out plainly (left when fround(x) < t,
 * the default branch when x is missing), on splits and inputs where a shortcut would differ: inputs
 * that round to the threshold in float32, infinities, finite inputs beyond float32's range, thresholds
 * of ±∞, and missing values under both default directions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forestMargin, forestMargins, leafOf } from '../../extension/engine/models/score';
import type { Forest } from '../../extension/engine/models/types';

/** One tree per (threshold, default-left) pair, each a single split of feature t % 2 with leaves −1 / +1 scaled by tree. */
function stumps(thresholds: number[]): Forest {
  const trees = thresholds.flatMap((t) => [[t, 1], [t, 0]]);
  const n = trees.length * 3;
  const f = {
    nTrees: trees.length,
    treeStart: new Int32Array(trees.length + 1),
    left: new Int32Array(n).fill(-1),
    right: new Int32Array(n).fill(-1),
    feature: new Int32Array(n),
    split: new Uint8Array(n),
    threshold: new Float64Array(n),
    defaultLeft: new Uint8Array(n),
    categoryStart: new Int32Array(n + 1),
    categories: new Int32Array(0),
    value: new Float64Array(n),
    cover: new Float64Array(n).fill(1),
    baseMargin: 0.25,
  };
  trees.forEach(([t, dl], k) => {
    const r = 3 * k;
    f.treeStart[k] = r;
    f.left[r] = r + 1;
    f.right[r] = r + 2;
    f.feature[r] = k % 2;
    f.threshold[r] = Math.fround(t);
    f.defaultLeft[r] = dl;
    f.value[r + 1] = -(k + 1);
    f.value[r + 2] = 2 ** k;
  });
  f.treeStart[trees.length] = n;
  return f;
}

function plainLeaf(f: Forest, t: number, x: Float64Array, offset: number): number {
  let node = f.treeStart[t];
  while (f.left[node] >= 0) {
    const v = x[offset + f.feature[node]];
    if (Number.isNaN(v)) node = f.defaultLeft[node] ? f.left[node] : f.right[node];
    else node = Math.fround(v) < f.threshold[node] ? f.left[node] : f.right[node];
  }
  return node;
}

test('forestMargins, forestMargin and leafOf follow XGBoost split rule on edge inputs', () => {
  const forest = stumps([0.1, -2.5, 0, Infinity, -Infinity, 3.4e38]);
  const inputs = [NaN, 0.1, Math.fround(0.1), 0.09999999, -2.5, 0, -0, Infinity, -Infinity, 1e39, -1e39, 3.4e38, 3.5e38, 7];
  const m = 3; // the third column is read by no split
  const rows = inputs.flatMap((a) => inputs.map((b) => [a, b, 123]));
  const x = Float64Array.from(rows.flat());
  const out = new Float64Array(rows.length);
  forestMargins(forest, x, rows.length, m, out);
  for (let i = 0; i < rows.length; i++) {
    let expected = forest.baseMargin;
    for (let t = 0; t < forest.nTrees; t++) {
      const leaf = plainLeaf(forest, t, x, i * m);
      assert.equal(leafOf(forest, t, x, i * m), leaf, `tree ${t}, row ${rows[i].join(', ')}`);
      expected += forest.value[leaf];
    }
    assert.equal(out[i], expected, `row ${rows[i].join(', ')}`);
    assert.equal(forestMargin(forest, x, i * m), expected);
  }
});
