/**
 * What the recourse search and the curves need to know about a tree ensemble beyond its scores: where
 * along each feature the model can change (its split points), and how low the margin can go when some
 * features are free.
 *
 * Every split is read as the scorer reads it (models/channels.ts): a case goes right when its channel
 * value ≥ the node's cut. For a numeric feature the channel is fround(v) (XGBoost: cut = threshold) or v
 * (LightGBM: cut = the next double above its threshold, since it sends v ≤ t left), so along feature j,
 * the others held, the model is constant on each interval between consecutive cuts; LightGBM's missing
 * type Zero also sends the values within ±1e-35 of 0 to the default branch, so those two edges are cuts
 * too. A categorical feature has no cuts: its values are its categories.
 */
import { channelsOf, fillChannels, LIGHTGBM_ZERO, nextUp } from '../models/channels';
import { SplitRule, type Forest } from '../models/types';

/** Each numeric feature's distinct cuts, ascending (`m` features), and whether values are read as float32 first. */
export function featureCuts(forest: Forest, m: number): { cuts: Float64Array[]; float32: boolean } {
  const sets = Array.from({ length: m }, () => new Set<number>());
  const { cut } = channelsOf(forest);
  let float32 = true;
  for (let k = 0; k < forest.left.length; k++) {
    if (forest.left[k] < 0) continue;
    const rule = forest.split[k];
    if (rule === SplitRule.XGBoostCategory || rule === SplitRule.LightGBMCategory) continue;
    const j = forest.feature[k];
    if (rule !== SplitRule.XGBoostLess) float32 = false;
    sets[j].add(rule === SplitRule.XGBoostLess ? forest.threshold[k] : cut[k]);
    if (rule === SplitRule.LightGBMLessZero) sets[j].add(-LIGHTGBM_ZERO).add(nextUp(LIGHTGBM_ZERO));
  }
  return { cuts: sets.map((s) => Float64Array.from(s).sort()), float32 };
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
 * base margin + Σ over trees of the smallest leaf the tree can reach. A split on a fixed feature sends the
 * row its own way (as the scorer does, through its channels); at an XGBoost numeric split on a free
 * feature both branches are reachable if its range straddles the threshold (left when fround(low) < t,
 * right when fround(high) ≥ t); at any other split on a free feature (LightGBM's, a categorical one)
 * both are taken, which loosens the bound but keeps it one. It is exact for one tree of XGBoost numeric
 * splits; for many trees it may be below the true minimum, because each tree picks its own branch, but it
 * is never above it. `stack` is scratch space of at least the deepest tree's node count.
 */
export function forestLowerBound(forest: Forest, row: Float64Array, offset: number, f: FreeFeatures, stack: Int32Array): number {
  const { left, right, feature, threshold, split, value, treeStart } = forest;
  const channels = channelsOf(forest);
  const read = new Float64Array(Math.max(1, channels.count));
  fillChannels(channels, row, offset, read, 0);
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
      if (!f.free[j]) stack[top++] = read[channels.input[k]] >= channels.cut[k] ? right[k] : left[k];
      else if (split[k] === SplitRule.XGBoostLess) {
        if (Math.fround(f.low[j]) < threshold[k]) stack[top++] = left[k];
        if (Math.fround(f.high[j]) >= threshold[k]) stack[top++] = right[k];
      } else {
        stack[top++] = left[k];
        stack[top++] = right[k];
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
