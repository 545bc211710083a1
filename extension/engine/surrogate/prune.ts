/**
 * Exact pruning of the full tree to a leaf budget, by dynamic programming over its nodes.
 *
 * A pruned subtree keeps the root and, at every kept node, both children or neither. With SSE(t) the
 * squared error of the model's score around node t's mean, the least error of a pruned subtree below t
 * with exactly j leaves is
 *
 *     E(t, 1) = SSE(t),
 *     E(t, j) = min over a = 1 … j−1 of E(left(t), a) + E(right(t), j − a)      (t inner, j ≥ 2),
 *
 * and infinite where t has no such subtree. E(root, j) is then the best any j-leaf pruning of the full
 * tree can do. Best-first CART (scikit-learn's `max_leaf_nodes`) makes the same greedy choice at every
 * node, so its j-leaf tree is one of these prunings whenever it fits under the depth cap: the pruned
 * tree is never worse than it, and often better, because it can keep a split that pays off only through
 * the splits below it.
 *
 * Of the sizes within the budget, the smallest whose error is within rounding of the best is chosen, so
 * no kept split buys nothing.
 */
import type { GrownTree } from './grow';

export interface PruneTable {
  readonly maxLeaves: number;
  /** error[t][j] = E(t, j) for j = 1 … maxLeaves (index 0 unused). */
  readonly error: readonly Float64Array[];
  /** Leaves given to the left child in the best j-leaf subtree of t (0 when t stays a leaf). */
  readonly leftLeaves: readonly Int32Array[];
}

export interface Pruning {
  readonly leaves: number;
  readonly sse: number;
  /** 1 for every node of the full tree that is kept and split. */
  readonly split: Uint8Array;
}

export function pruneTable(tree: GrownTree, maxLeaves: number): PruneTable {
  const nodes = tree.left.length;
  const error = new Array<Float64Array>(nodes);
  const leftLeaves = new Array<Int32Array>(nodes);
  // Children always follow their parent, so a reverse sweep sees them first.
  for (let t = nodes - 1; t >= 0; t--) {
    const e = new Float64Array(maxLeaves + 1).fill(Infinity);
    const choice = new Int32Array(maxLeaves + 1);
    e[1] = tree.sse[t];
    const l = tree.left[t];
    const r = tree.right[t];
    if (l >= 0) {
      for (let j = 2; j <= maxLeaves; j++) {
        for (let a = 1; a < j; a++) {
          const v = error[l][a] + error[r][j - a];
          if (v < e[j]) {
            e[j] = v;
            choice[j] = a;
          }
        }
      }
    }
    error[t] = e;
    leftLeaves[t] = choice;
  }
  return { maxLeaves, error, leftLeaves };
}

/** The pruning for a budget: the fewest leaves within rounding of the least error the budget allows. */
export function pruneTo(tree: GrownTree, table: PruneTable, budget: number): Pruning {
  const e = table.error[0];
  const k = Math.min(budget, table.maxLeaves);
  let best = e[1];
  for (let j = 2; j <= k; j++) best = Math.min(best, e[j]);
  const tolerance = 1e-9 * tree.sse[0] + 1e-300;
  let leaves = 1;
  while (e[leaves] > best + tolerance) leaves++;
  const split = new Uint8Array(tree.left.length);
  const mark = (t: number, j: number) => {
    if (j === 1) return;
    split[t] = 1;
    const a = table.leftLeaves[t][j];
    mark(tree.left[t], a);
    mark(tree.right[t], j - a);
  };
  mark(0, leaves);
  return { leaves, sse: e[leaves], split };
}

/** For every node of the full tree, the leaf of the pruning that holds its cases (−1 above the leaves). */
export function prunedLeafOf(tree: GrownTree, pruning: Pruning): Int32Array {
  const out = new Int32Array(tree.left.length).fill(-1);
  const visit = (t: number, leaf: number) => {
    const here = leaf >= 0 ? leaf : pruning.split[t] ? -1 : t;
    out[t] = here;
    if (tree.left[t] >= 0) {
      visit(tree.left[t], here);
      visit(tree.right[t], here);
    }
  };
  visit(0, -1);
  return out;
}
