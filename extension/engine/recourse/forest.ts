/**
 * What the recourse search and the curves need to know about a tree ensemble beyond its scores: where
 * along each feature the model can change (its split thresholds), and how low the margin can go when
 * some features are free.
 *
 * Splits follow XGBoost's rule, as the scorer does (models/score.ts): a present value goes right when
 * fround(v) ≥ threshold, a missing one takes the node's default branch. So along feature j the model
 * holding the other features is constant on each interval between consecutive thresholds of j, the
 * interval starting at a threshold t holding the values v with fround(v) ≥ t (t itself is a float32).
 */
import type { Forest } from '../models/types';

/** Each feature's distinct split thresholds, ascending (`m` features). */
export function featureCuts(forest: Forest, m: number): Float64Array[] {
  const sets = Array.from({ length: m }, () => new Set<number>());
  for (let k = 0; k < forest.left.length; k++) if (forest.left[k] >= 0) sets[forest.feature[k]].add(forest.threshold[k]);
  return sets.map((s) => Float64Array.from(s).sort());
}

/**
 * Free features for `forestLowerBound`: `free[j]` set when feature j may take any value in
 * [low[j], high[j]] (both present values), else it keeps the row's value.
 */
export interface FreeFeatures {
  readonly free: Uint8Array;
  readonly low: Float64Array;
  readonly high: Float64Array;
}

/**
 * A lower bound on the margin over every row that agrees with `row` on the features that are not free:
 * base margin + Σ over trees of the smallest leaf the tree can reach, where at a split on a free feature
 * both branches are reachable if its range straddles the threshold (left when fround(low) < t, right
 * when fround(high) ≥ t). It is exact for one tree; for many it may be below the true minimum, because
 * each tree picks its own branch, but it is never above it.
 * `stack` is scratch space of at least the deepest tree's node count.
 */
export function forestLowerBound(forest: Forest, row: Float64Array, offset: number, f: FreeFeatures, stack: Int32Array): number {
  const { left, right, feature, threshold, defaultLeft, value, treeStart } = forest;
  let total = forest.baseMargin;
  for (let t = 0; t < forest.nTrees; t++) {
    let best = Infinity;
    let top = 0;
    stack[top++] = treeStart[t];
    while (top > 0) {
      const k = stack[--top];
      if (left[k] < 0) {
        if (value[k] < best) best = value[k];
        continue;
      }
      const j = feature[k];
      const th = threshold[k];
      if (f.free[j]) {
        if (Math.fround(f.low[j]) < th) stack[top++] = left[k];
        if (Math.fround(f.high[j]) >= th) stack[top++] = right[k];
      } else {
        const v = row[offset + j];
        stack[top++] = (v !== v ? !defaultLeft[k] : Math.fround(v) >= th) ? right[k] : left[k];
      }
    }
    total += best;
  }
  return total;
}

/** The most nodes any one tree has (the size `forestLowerBound`'s stack needs). */
export function largestTree(forest: Forest): number {
  let most = 1;
  for (let t = 0; t < forest.nTrees; t++) most = Math.max(most, forest.treeStart[t + 1] - forest.treeStart[t]);
  return most;
}
