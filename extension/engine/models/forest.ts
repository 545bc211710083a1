/**
 * Builds the flat `Forest` (types.ts) from trees read out of a model file, and checks them once, in one
 * place, whatever library wrote them: every tree is a tree (each node reached once from its root, no
 * cycle, every child in range, walked without recursion however deep), every split reads a feature the
 * model has, every number is finite where the format says so (leaf values, tree weights; a threshold may
 * be ±∞, as LightGBM writes for a split that sends every present value one way, but not NaN), every
 * cover is ≥ 0, and no tree is deeper than MAX_TREE_DEPTH. A problem is an `InputError` naming the file, tree, node and field.
 */
import { InputError } from '../errors';
import { SplitRule, type Forest } from './types';

/**
 * The deepest tree Risk Review reads, in levels below the root. Trees grown depth-wise are rarely deeper
 * than 20 and leaf-wise ones than a few hundred; the bound keeps any recursive walk far from the stack's
 * limit, which a chain of about 4,000 levels reaches.
 */
export const MAX_TREE_DEPTH = 1024;

/** One tree as a reader found it; node 0 is the root, `left[i] < 0` marks a leaf. */
export interface TreeNodes {
  readonly left: ArrayLike<number>;
  readonly right: ArrayLike<number>;
  readonly feature: ArrayLike<number>;
  readonly split: ArrayLike<SplitRule>;
  readonly threshold: ArrayLike<number>;
  readonly defaultLeft: ArrayLike<number>;
  /** Categorical splits' categories (codes), null elsewhere. */
  readonly categories: readonly (readonly number[] | null)[];
  readonly value: ArrayLike<number>;
  readonly cover: ArrayLike<number>;
  /** The tree's weight (dart, averaged forests): leaf values are multiplied by it. */
  readonly weight: number;
}

/** Field names as the model format calls them, for messages. */
export interface FieldNames {
  readonly left: string;
  readonly right: string;
  readonly feature: string;
  readonly threshold: string;
  readonly value: string;
  readonly cover: string;
  readonly categories: string;
  readonly weight: string;
}

const isCategorical = (rule: SplitRule) => rule === SplitRule.XGBoostCategory || rule === SplitRule.LightGBMCategory;

/** A category code must be an integer a 32-bit bitset index can hold. */
const MAX_CATEGORY = 2 ** 24;

/** Checks tree t; returns which nodes its root reaches. */
function checkTree(tree: TreeNodes, t: number, nFeatures: number, fields: FieldNames, file: string): Uint8Array {
  const n = tree.left.length;
  const fail = (node: number | null, problem: string) => new InputError(`tree ${t}${node === null ? '' : `, node ${node}`}: ${problem}`, { file });
  if (n === 0) throw fail(null, 'it has no nodes');
  if (!Number.isFinite(tree.weight)) throw fail(null, `its weight (${fields.weight}) is ${tree.weight}, not a finite number`);
  const seen = new Uint8Array(n);
  const depth = new Int32Array(n);
  const stack = [0];
  seen[0] = 1;
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (depth[i] > MAX_TREE_DEPTH) throw fail(i, `the tree is deeper than ${MAX_TREE_DEPTH} levels, more than Risk Review reads`);
    const cover = tree.cover[i];
    if (!(cover >= 0 && cover < Infinity)) throw fail(i, `"${fields.cover}" is ${cover}, not a finite number ≥ 0`);
    if (tree.left[i] < 0) {
      if (!Number.isFinite(tree.value[i])) throw fail(i, `the leaf value ("${fields.value}") is ${tree.value[i]}, not a finite number`);
      continue;
    }
    const f = tree.feature[i];
    if (!(Number.isInteger(f) && f >= 0 && f < nFeatures)) throw fail(i, `"${fields.feature}" is ${f}, but the model has ${nFeatures} features (0 to ${nFeatures - 1})`);
    if (isCategorical(tree.split[i])) {
      const codes = tree.categories[i];
      if (!codes || codes.length === 0) throw fail(i, `a categorical split without categories ("${fields.categories}")`);
      for (const c of codes) if (!(Number.isInteger(c) && c >= 0 && c < MAX_CATEGORY)) throw fail(i, `category ${c} in "${fields.categories}" is not a whole number from 0 to ${MAX_CATEGORY - 1}`);
    } else if (Number.isNaN(tree.threshold[i])) throw fail(i, `the threshold ("${fields.threshold}") is NaN, not a number`);
    for (const [c, field] of [
      [tree.left[i], fields.left],
      [tree.right[i], fields.right],
    ] as const) {
      if (!(Number.isInteger(c) && c > 0 && c < n)) throw fail(i, `child ${c} ("${field}") is not a node of the tree (1 to ${n - 1})`);
      if (seen[c]) throw fail(i, `its child ${c} ("${field}") is reached twice: the nodes do not form a tree (a damaged model?)`);
      seen[c] = 1;
      depth[c] = depth[i] + 1;
      stack.push(c);
    }
  }
  return seen;
}

/**
 * The forest of `trees` (checked as the module comment says), with `baseMargin` added to every case.
 * Nodes no root reaches (XGBoost leaves pruned nodes in place) become empty leaves: never read.
 */
export function buildForest(trees: readonly TreeNodes[], baseMargin: number, nFeatures: number, fields: FieldNames, file: string): Forest {
  const reached = trees.map((tree, t) => checkTree(tree, t, nFeatures, fields, file));
  const total = trees.reduce((a, tree) => a + tree.left.length, 0);
  const nCategories = trees.reduce((a, tree) => a + tree.categories.reduce((b, c) => b + (c ? c.length : 0), 0), 0);
  const forest = {
    nTrees: trees.length,
    treeStart: new Int32Array(trees.length + 1),
    left: new Int32Array(total),
    right: new Int32Array(total),
    feature: new Int32Array(total),
    split: new Uint8Array(total),
    threshold: new Float64Array(total),
    defaultLeft: new Uint8Array(total),
    categoryStart: new Int32Array(total + 1),
    categories: new Int32Array(nCategories),
    value: new Float64Array(total),
    cover: new Float64Array(total),
    baseMargin,
  };
  let off = 0;
  let cat = 0;
  trees.forEach((tree, t) => {
    forest.treeStart[t] = off;
    for (let i = 0; i < tree.left.length; i++) {
      const k = off + i;
      forest.categoryStart[k] = cat;
      forest.left[k] = -1;
      forest.right[k] = -1;
      if (!reached[t][i]) continue;
      forest.cover[k] = tree.cover[i];
      if (tree.left[i] < 0) {
        forest.value[k] = tree.value[i] * tree.weight;
        continue;
      }
      forest.left[k] = off + tree.left[i];
      forest.right[k] = off + tree.right[i];
      forest.feature[k] = tree.feature[i];
      forest.split[k] = tree.split[i];
      forest.defaultLeft[k] = tree.defaultLeft[i] ? 1 : 0;
      const codes = tree.categories[i];
      if (isCategorical(tree.split[i]) && codes) {
        const sorted = [...new Set(codes)].sort((a, b) => a - b);
        forest.categories.set(sorted, cat);
        cat += sorted.length;
      } else forest.threshold[k] = tree.threshold[i];
    }
    off += tree.left.length;
  });
  forest.treeStart[trees.length] = off;
  forest.categoryStart[total] = cat;
  return { ...forest, categories: forest.categories.slice(0, cat) };
}

/** For each feature, 1 + the largest category code any split on it names (0 where none does). */
export function categoryCounts(forest: Forest, nFeatures: number): number[] {
  const counts = new Array<number>(nFeatures).fill(0);
  for (let k = 0; k < forest.left.length; k++) {
    const end = forest.categoryStart[k + 1];
    if (end > forest.categoryStart[k]) counts[forest.feature[k]] = Math.max(counts[forest.feature[k]], forest.categories[end - 1] + 1);
  }
  return counts;
}
