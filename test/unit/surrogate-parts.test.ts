/**
 * The surrogate's parts: exact pruning against brute-force enumeration, readable bin edges, binning,
 * and the patched ml-cart's split search against an exhaustive one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecisionTreeClassifier, DecisionTreeRegression, type CartNode } from 'ml-cart';
import { CODE_SHIFT, encodeFeatures, numericEdges, readableCut } from '../../extension/engine/surrogate/binning';
import type { GrownTree } from '../../extension/engine/surrogate/grow';
import { prunedLeafOf, pruneTable, pruneTo } from '../../extension/engine/surrogate/prune';

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A random tree in preorder (children after their parent) with errors that fall down the tree. */
function randomTree(random: () => number, maxDepth: number): GrownTree {
  const left: number[] = [];
  const right: number[] = [];
  const sse: number[] = [];
  const depth: number[] = [];
  const visit = (d: number, error: number): number => {
    const id = left.length;
    left.push(-1);
    right.push(-1);
    sse.push(error);
    depth.push(d);
    if (d < maxDepth && random() < 0.8) {
      const share = random();
      const kept = error * (0.3 + 0.7 * random());
      left[id] = visit(d + 1, kept * share);
      right[id] = visit(d + 1, kept * (1 - share));
    }
    return id;
  };
  visit(0, 100);
  const nodes = left.length;
  return {
    column: new Int32Array(nodes),
    cut: new Float64Array(nodes),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    depth: Int32Array.from(depth),
    n: new Float64Array(nodes).fill(1),
    mean: new Float64Array(nodes),
    sse: Float64Array.from(sse),
    leafOfCase: new Int32Array(0),
  };
}

/** Every pruning of the subtree at t, as [leaves, error]. */
function prunings(tree: GrownTree, t: number): [number, number][] {
  const out: [number, number][] = [[1, tree.sse[t]]];
  if (tree.left[t] < 0) return out;
  for (const [a, ea] of prunings(tree, tree.left[t])) for (const [b, eb] of prunings(tree, tree.right[t])) out.push([a + b, ea + eb]);
  return out;
}

test('pruning to a budget finds the least error of every pruning with that many leaves or fewer (brute force)', () => {
  const random = rng(42);
  for (let trial = 0; trial < 40; trial++) {
    const tree = randomTree(random, 4);
    const all = prunings(tree, 0);
    const table = pruneTable(tree, 16);
    for (let k = 1; k <= 16; k++) {
      const best = Math.min(...all.filter(([j]) => j <= k).map(([, e]) => e));
      const p = pruneTo(tree, table, k);
      assert.ok(Math.abs(p.sse - best) < 1e-9, `trial ${trial}, k=${k}: ${p.sse} vs ${best}`);
      const fewest = Math.min(...all.filter(([j, e]) => j <= k && e <= best + 1e-9 * tree.sse[0]).map(([j]) => j));
      assert.equal(p.leaves, fewest);
      // The marked splits form that pruning: leaves counted from the marks, error summed over them.
      const leafOf = prunedLeafOf(tree, p);
      const leaves = new Set([...leafOf].filter((v) => v >= 0));
      assert.equal(leaves.size, p.leaves);
      assert.ok(Math.abs([...leaves].reduce((s, t) => s + tree.sse[t], 0) - p.sse) < 1e-9);
    }
  }
});

test('readable cuts: the shortest decimal above the lower value and not above the upper', () => {
  assert.equal(readableCut(2, 3), 3);
  assert.equal(readableCut(2.5, 2.7), 2.6);
  assert.equal(readableCut(0.29, 0.3), 0.3);
  assert.equal(readableCut(0.1234, 0.1239), 0.1235);
  assert.equal(readableCut(10, 20), 20);
  assert.equal(readableCut(13, 27), 20);
  assert.equal(readableCut(-0.5, 0), 0);
  assert.equal(readableCut(-3, -2.2), -2.9);
  const random = rng(7);
  for (let i = 0; i < 2000; i++) {
    const lo = (random() - 0.5) * 10 ** Math.floor(random() * 8 - 3);
    const hi = lo + Math.abs(lo) * random() * 10 ** -Math.floor(random() * 6) + 1e-12;
    const t = readableCut(lo, hi);
    assert.ok(t > lo && t <= hi, `${lo} ${hi} → ${t}`);
  }
});

test('numeric bins: each distinct value its own code when there are few; at most maxBins codes otherwise', () => {
  const few = Float64Array.of(3, 1, 2, 2, 7, 1);
  assert.deepEqual([...numericEdges(few, 8)], [2, 3, 4]);
  const random = rng(3);
  const many = Float64Array.from({ length: 50000 }, () => Math.round(random() * 1e6) / 1e3);
  const edges = numericEdges(many, 64);
  assert.ok(edges.length <= 63 && edges.length >= 60, String(edges.length));
  for (let k = 1; k < edges.length; k++) assert.ok(edges[k] > edges[k - 1]);
  // Near-equal counts per bin (the quantiles come from a sample).
  const counts = new Array(edges.length + 1).fill(0);
  for (const v of many) counts[edges.filter((e) => e <= v).length]++;
  assert.ok(Math.max(...counts) < 2 * (many.length / 64), String(Math.max(...counts)));
});

test('codes: the number of edges at or below the value (missing coded below and above in twin columns); categories by mean score', () => {
  const random = rng(9);
  const n = 20000;
  const m = 3;
  const x = new Float64Array(n * m);
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i * m] = random() < 0.1 ? NaN : Math.round((random() - 0.5) * 1e5) / 1e3;
    x[i * m + 1] = Math.floor(random() * 20) - 5;
    x[i * m + 2] = Math.floor(random() * 3);
    score[i] = [0.5, 0.1, 0.3][x[i * m + 2]] + random() * 0.01;
  }
  const features = [{ name: 'a', label: 'A' }, { name: 'b', label: 'B' }, { name: 'c', label: 'C', categories: ['x', 'y', 'z'] }];
  const { columns, codes } = encodeFeatures(x, n, features, score, 64);
  assert.deepEqual(columns.map((c) => [c.feature, c.missingCode]), [[0, -1], [0, columns[0].nCodes], [1, null], [2, null]]);
  for (let c = 0; c < 3; c++) {
    const col = columns[c];
    assert.equal(col.binning.kind, 'numeric');
    const edges = col.binning.kind === 'numeric' ? col.binning.edges : new Float64Array(0);
    for (let i = 0; i < n; i++) {
      const v = x[i * m + col.feature];
      const expected = v !== v ? col.missingCode! : edges.filter((e) => e <= v).length;
      assert.equal(codes[c][i], expected + CODE_SHIFT);
    }
  }
  assert.equal(columns[2].nCodes, 20);
  // Categories ranked by their mean score: y (0.1), z (0.3), x (0.5).
  assert.deepEqual(columns[3].binning.kind === 'categories' && columns[3].binning.order, [1, 2, 0]);
  for (let i = 0; i < n; i++) assert.equal(codes[3][i], [2, 0, 1][x[i * m + 2]] + CODE_SHIFT);
});

/** The least summed squared error of the two sides over every feature and every cut between values. */
function bestSplitByBruteForce(x: number[][], y: number[]): number {
  let best = Infinity;
  for (let j = 0; j < x[0].length; j++) {
    const values = [...new Set(x.map((r) => r[j]))].sort((a, b) => a - b);
    for (let k = 1; k < values.length; k++) {
      const sides = [y.filter((_, i) => x[i][j] < values[k]), y.filter((_, i) => x[i][j] >= values[k])];
      const sse = sides.reduce((s, side) => {
        const mean = side.reduce((a, b) => a + b, 0) / side.length;
        return s + side.reduce((a, b) => a + (b - mean) ** 2, 0);
      }, 0);
      best = Math.min(best, sse);
    }
  }
  return best;
}

const sse = (ys: number[]) => {
  const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
  return ys.reduce((a, b) => a + (b - mean) ** 2, 0);
};

test('patched ml-cart: each regression split is the best of every cut (brute force), ties and fractions included', () => {
  const random = rng(11);
  for (let trial = 0; trial < 30; trial++) {
    const n = 40 + Math.floor(random() * 80);
    const x = Array.from({ length: n }, () => [Math.floor(random() * 6), Math.round(random() * 100) / 10, Math.floor(random() * 3) - 1]);
    const y = x.map((r) => (r[0] > 2 ? 1 : 0) + r[1] / 20 + (random() < 0.3 ? 0.5 : 0));
    const tree = new DecisionTreeRegression({ minNumSamples: 1, maxDepth: 1 });
    tree.train(x, y);
    const root = tree.root as CartNode;
    const j = root.splitColumn!;
    const children = [y.filter((_, i) => x[i][j] < root.splitValue!), y.filter((_, i) => x[i][j] >= root.splitValue!)];
    assert.ok(Math.abs(sse(children[0]) + sse(children[1]) - bestSplitByBruteForce(x, y)) < 1e-9, `trial ${trial}`);
  }
});

test('patched ml-cart: a split that leaves both sides pure is made (2.1.1 refused it)', () => {
  const x = [[1], [2], [3], [4], [5], [6]];
  const y = [0.2, 0.2, 0.2, 0.7, 0.7, 0.7];
  const tree = new DecisionTreeRegression({ minNumSamples: 1, maxDepth: 3 });
  tree.train(x, y);
  assert.deepEqual(tree.predict(x), y);
  assert.equal(tree.root.splitValue, 3.5);
});

test('patched ml-cart: many rows with few values fit quickly, and the classifier still fits', () => {
  const random = rng(5);
  const x = Array.from({ length: 20000 }, () => Array.from({ length: 10 }, () => Math.floor(random() * 10)));
  const y = x.map((r) => r[0] + r[1] * r[2] + random());
  const start = performance.now();
  new DecisionTreeRegression({ maxDepth: 4 }).train(x, y);
  // 2.1.1 as published took about 88 s here (quadratic in rows); the patched search is linear.
  assert.ok(performance.now() - start < 20000);
  const cx = [[0, 1], [1, 1], [2, 0], [3, 0], [4, 1], [5, 1]];
  const cy = [0, 0, 0, 1, 1, 1];
  const c = new DecisionTreeClassifier({ maxDepth: 2 });
  c.train(cx, cy);
  assert.deepEqual(c.predict(cx), cy);
});
