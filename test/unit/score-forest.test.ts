/**
 * The batch forest scorer against every library's split rule written out plainly (`goesLeft`: XGBoost's
 * "fround(x) < t" and category sets, LightGBM's "x ≤ t" with missing types NaN / Zero / None and its
 * category bitsets), on splits and inputs where a shortcut would differ: inputs that round to the
 * threshold in float32, values next to a LightGBM threshold, ±0 and values LightGBM reads as zero,
 * infinities, finite inputs beyond float32's range, thresholds of ±∞, category codes at the edges of
 * the 32-bit words of a bitset, negative and fractional codes, and missing values under both default
 * directions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextUp } from '../../extension/engine/models/channels';
import { forestMargin, forestMargins, leafOf } from '../../extension/engine/models/score';
import { SplitRule, type Forest } from '../../extension/engine/models/types';
import { goesLeft } from './explain-fixtures';

interface Stump {
  readonly rule: SplitRule;
  readonly threshold: number;
  readonly defaultLeft: number;
  readonly categories: readonly number[];
}

/** One tree per stump, each a single split of feature k % 2 with leaves −(k+1) / 2^k. */
function stumps(list: readonly Stump[]): Forest {
  const n = list.length * 3;
  const categories: number[] = [];
  const f = {
    nTrees: list.length,
    treeStart: new Int32Array(list.length + 1),
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
  list.forEach((s, k) => {
    const r = 3 * k;
    f.treeStart[k] = r;
    f.left[r] = r + 1;
    f.right[r] = r + 2;
    f.feature[r] = k % 2;
    f.split[r] = s.rule;
    f.threshold[r] = s.threshold;
    f.defaultLeft[r] = s.defaultLeft;
    f.categoryStart[r] = categories.length;
    categories.push(...s.categories);
    f.categoryStart[r + 1] = f.categoryStart[r + 2] = f.categoryStart[r + 3] = categories.length;
    f.value[r + 1] = -(k + 1);
    f.value[r + 2] = 2 ** (k % 40);
  });
  f.treeStart[list.length] = n;
  return { ...f, categories: Int32Array.from(categories) };
}

function plainLeaf(f: Forest, t: number, x: Float64Array, offset: number): number {
  let node = f.treeStart[t];
  while (f.left[node] >= 0) node = goesLeft(f, node, x[offset + f.feature[node]]) ? f.left[node] : f.right[node];
  return node;
}

function check(forest: Forest, inputs: readonly number[]): void {
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
}

const bothDefaults = (rule: SplitRule, threshold: number, categories: readonly number[] = []): Stump[] => [
  { rule, threshold, defaultLeft: 1, categories },
  { rule, threshold, defaultLeft: 0, categories },
];

test('forestMargins, forestMargin and leafOf follow XGBoost\'s numeric rule on edge inputs', () => {
  const forest = stumps([0.1, -2.5, 0, Infinity, -Infinity, 3.4e38].flatMap((t) => bothDefaults(SplitRule.XGBoostLess, Math.fround(t))));
  check(forest, [NaN, 0.1, Math.fround(0.1), 0.09999999, -2.5, 0, -0, Infinity, -Infinity, 1e39, -1e39, 3.4e38, 3.5e38, 7]);
});

test('… and LightGBM\'s numeric rules (missing types NaN, Zero, None) on edge inputs', () => {
  const rules = [SplitRule.LightGBMLessNaN, SplitRule.LightGBMLessZero, SplitRule.LightGBMLessNone];
  const thresholds = [0.1, -2.5, 0, 1.0000000180025095e-35, -1.0000000180025095e-35, 1e300, Infinity, -Infinity];
  const forest = stumps(rules.flatMap((rule) => thresholds.flatMap((t) => bothDefaults(rule, t))));
  const tiny = Math.fround(1e-35);
  check(forest, [NaN, 0.1, nextUp(0.1), Math.fround(0.1), -2.5, nextUp(-2.5), 0, -0, tiny, -tiny, nextUp(tiny), 1e-36, -1e-36, Infinity, -Infinity, 1e300, 7]);
});

test('… and both libraries\' categorical rules, bitsets past one 32-bit word included', () => {
  const sets = [[1, 3], [0], [31, 32, 40], [5, 63, 64, 100]];
  const forest = stumps(sets.flatMap((set) => [...bothDefaults(SplitRule.XGBoostCategory, 0, set), ...bothDefaults(SplitRule.LightGBMCategory, 0, set)]));
  check(forest, [NaN, 0, -0, 1, 1.5, 3, 2, -0.5, -1, 31, 32, 33, 40, 63, 64, 65, 100, 101, 1e6, 16777216, 2 ** 31, -(2 ** 31), Infinity, -Infinity]);
});
