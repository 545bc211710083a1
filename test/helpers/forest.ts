/** A `Forest` (the engine's flat arrays) from a list of nodes and where each tree starts, for tests that grow their own. */
import { SplitRule, type Forest } from '../../extension/engine/models/types';

export interface TestNode {
  readonly left: number;
  readonly right: number;
  readonly feature: number;
  readonly threshold: number;
  readonly defaultLeft: number;
  readonly value: number;
  /** Default 1. */
  readonly cover?: number;
  /** Default XGBoost's numeric split (value < threshold goes left). */
  readonly rule?: SplitRule;
  /** A categorical split's categories (codes). */
  readonly categories?: readonly number[];
}

/** `treeStart` lists each tree's root and ends with the node count. */
export function forestOf(nodes: readonly TestNode[], treeStart: readonly number[], baseMargin: number): Forest {
  const categoryStart = new Int32Array(nodes.length + 1);
  nodes.forEach((n, k) => (categoryStart[k + 1] = categoryStart[k] + (n.categories?.length ?? 0)));
  return {
    nTrees: treeStart.length - 1,
    treeStart: Int32Array.from(treeStart),
    left: Int32Array.from(nodes, (n) => n.left),
    right: Int32Array.from(nodes, (n) => n.right),
    feature: Int32Array.from(nodes, (n) => n.feature),
    split: Uint8Array.from(nodes, (n) => n.rule ?? SplitRule.XGBoostLess),
    threshold: Float64Array.from(nodes, (n) => n.threshold),
    defaultLeft: Uint8Array.from(nodes, (n) => n.defaultLeft),
    categoryStart,
    categories: Int32Array.from(nodes.flatMap((n) => n.categories ?? [])),
    value: Float64Array.from(nodes, (n) => n.value),
    cover: Float64Array.from(nodes, (n) => n.cover ?? 1),
    baseMargin,
  };
}
