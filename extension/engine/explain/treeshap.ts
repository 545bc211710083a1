/**
 * Exact path-dependent TreeSHAP (the values of XGBoost's `pred_contribs` and LightGBM's `pred_contrib`),
 * laid out for speed.
 *
 * The maths. Each leaf defines a product game over the distinct features on its path (productgame.ts):
 * its Shapley values depend on the case only through the set O of path features whose splits the case
 * all satisfies (U, the rest, it has *failed*). A tree's attributions are the sum of its leaves' games.
 * The base value is the expected margin under the training cover: the base margin plus each tree's
 * cover-weighted mean leaf value (XGBoost's bias column, LightGBM's expected value).
 *
 * Three ways to a leaf's share, cheapest first; `prepareTreeShap` picks per tree part within a memory
 * budget (smallest tables first, keeping room for the leaf tables of what it leaves out):
 *   1. Subtree tables. Cut each tree into the maximal subtrees of height ≤ h (h = 2 by default: a node,
 *      its two children, four leaves). Every leaf below a subtree root r is determined by F, which of the
 *      features on the path root→r the case has already failed (d_r bits), and the directions the case
 *      takes at r's inner nodes (one bit each); so the sum of those leaves' Shapley vectors is one table
 *      row indexed by (F, directions), over the union of their path features. Per case: one row added.
 *   2. Leaf tables, for leaves outside tabulated subtrees (deep trees). For a leaf of value v with path
 *      features 0…d−1, cover fractions z_j and satisfied set O (U = the rest, Z_U = Π_{j∈U} z_j), the
 *      product game's Shapley values (productgame.ts) are, with
 *          C(S) = Σ_s s!(d−1−s)!/d! · [t^s] Π_{j∈S} (z_j + t)        for S ⊊ {0…d−1},
 *          φ_k = −v · Z_U · C(O)                   for every k ∈ U (all the same), and
 *          φ_k = v · (1 − z_k) · Z_U · C(O \\ {k})  for k ∈ O,
 *      because Π_{j≠k}(z_j + o_j t) is Z_U/z_k · Π_{j∈O}(z_j + t) for k ∈ U and Z_U · Π_{j∈O\\k}(z_j + t)
 *      for k ∈ O. One table of 2^d numbers per leaf (the idea of Fast TreeSHAP v2, Yang 2021, d times
 *      smaller than tabulating the Shapley vectors): O(d) per leaf and case instead of O(d²).
 *   3. Beyond the budget, the product game evaluated directly: O(d²) per leaf.
 * Above the subtrees every inner node is one comparison pushing the failed mask down (nodes are parents
 * first, so one forward pass does it). Cases are explained in blocks, one tree at a time across the
 * block, so that a tree's tables stay in cache while they are used.
 *
 * A feature's bit in a failed mask is its *slot*: its rank by first appearance on the path from the root,
 * so every node on a path agrees on it and siblings share their parent's numbering.
 *
 * Inputs are compared as the library that wrote the model does (XGBoost or LightGBM, numeric or
 * categorical splits, missing values to the default branch): every split is one comparison "goes right ⇔
 * channel ≥ cut" on a row of channel values read once per case (models/channels.ts).
 */
import { InputError } from '../errors';
import { channelsOf, fillChannels, type Channels } from '../models/channels';
import type { Forest } from '../models/types';
import { PolyScratch, productGameInteractions, productGameShapley, shapleyWeights } from './productgame';

/** Failed masks are int32 bit sets over path slots. */
const MAX_PATH_FEATURES = 30;
/** Subtree tables are indexed by at most this many bits (a 4096-row table). */
const MAX_TABLE_BITS = 12;
/** Leaf tables for at most this many path features (4096 numbers). */
const MAX_LEAF_TABLE_FEATURES = 12;

/** Default memory for the tables: 64 MiB of float64. */
const DEFAULT_TABLE_BUDGET_BYTES = 64 * 1024 * 1024;

/** Cases explained together, one tree at a time. */
const BLOCK = 128;

export interface TreeShapOptions {
  /** Bytes the tables may take; what does not fit is computed leaf by leaf (0 = no tables at all). */
  readonly tableBudgetBytes?: number;
  /** Height of the tabulated subtrees (0 = a table of Shapley vectors per leaf). Default 2. */
  readonly subtreeHeight?: number;
}

/** A forest rearranged for TreeSHAP (see the module comment). All node indices are tree-local. */
export interface TreeShapForest {
  readonly channels: Channels;
  readonly nFeatures: number;
  readonly nTrees: number;
  readonly baseValue: number;
  readonly baseMargin: number;
  readonly maxTreeNodes: number;
  readonly maxSubtrees: number;

  // Every inner node of tree t (innerStart[t] …), parents first, pushing the failed mask down.
  readonly innerStart: Int32Array;
  readonly innerSelf: Int32Array;
  readonly innerLeft: Int32Array;
  readonly innerRight: Int32Array;
  /** The channel the node compares (models/channels.ts): it goes right when channel ≥ innerThreshold. */
  readonly innerInput: Int32Array;
  readonly innerThreshold: Float64Array;
  /** 1 << slot of the node's feature on the path to its children. */
  readonly innerBit: Int32Array;
  // Every leaf of tree t (leafStart[t] …) with its path game.
  readonly leafStart: Int32Array;
  readonly leafSelf: Int32Array;
  readonly leafValue: Float64Array;
  readonly leafDepth: Uint8Array;
  readonly leafPathOff: Int32Array;
  readonly pathFeature: Int32Array;
  readonly pathZero: Float64Array;
  /** Where leaf l's table C starts in `leafTables`; −1 when its game is evaluated directly. */
  readonly leafTable: Int32Array;
  readonly leafTables: Float64Array;

  // The fast layout. Inner nodes above the subtrees (and inside untabulated ones): topStart[t] …
  readonly topStart: Int32Array;
  readonly topNode: Int32Array;
  // Inner nodes inside tabulated subtrees, subtree by subtree: their input, threshold and bit position.
  readonly accInput: Int32Array;
  readonly accThreshold: Float64Array;
  readonly accShift: Int32Array;
  // Tabulated subtrees of tree t (subStart[t] …): root (tree-local), inner nodes (subAcc[k] …), inner-node
  // count, table, columns.
  readonly subStart: Int32Array;
  readonly subAcc: Int32Array;
  readonly subRoot: Int32Array;
  readonly subBits: Int32Array;
  readonly subTable: Int32Array;
  readonly subWidth: Int32Array;
  readonly subFeatOff: Int32Array;
  readonly subFeature: Int32Array;
  readonly table: Float64Array;
  // Leaves outside tabulated subtrees (leaf tables or direct): indices into the leaf arrays.
  readonly directStart: Int32Array;
  readonly directLeaf: Int32Array;
}

interface WalkNode {
  node: number; // index in the Forest
  self: number; // tree-local index
  value: number; // leaf value (0 for inner nodes)
  height: number;
  /** Slot bit of the node's feature on the path below it (inner nodes). */
  bit: number;
  /** Path slots' features and cover fractions down to this node (leaves: the leaf's game). */
  features: number[];
  zero: number[];
  left?: WalkNode;
  right?: WalkNode;
}

/** Walks tree t from its root, without recursion: tree-local numbering (parents first), slots, heights and each leaf's game. */
function walkTree(forest: Forest, t: number, file: string | undefined): WalkNode[] {
  const preorder: WalkNode[] = [];
  const root: WalkNode = { node: forest.treeStart[t], self: 0, value: 0, height: 0, bit: 0, features: [], zero: [] };
  const stack = [root];
  const limit = forest.treeStart[t + 1] - forest.treeStart[t];
  while (stack.length > 0) {
    const n = stack.pop()!;
    n.self = preorder.length;
    preorder.push(n);
    if (preorder.length > limit) throw new InputError(`tree ${t}: its nodes do not form a tree (a damaged model?)`, { file });
    const k = n.node;
    if (forest.left[k] < 0) {
      n.value = forest.value[k];
      continue;
    }
    const f = forest.feature[k];
    let slot = n.features.indexOf(f);
    if (slot < 0) slot = n.features.length;
    if (slot >= MAX_PATH_FEATURES) {
      throw new InputError(`tree ${t} has a path through more than ${MAX_PATH_FEATURES} distinct features, more than Risk Review's TreeSHAP supports`, { file });
    }
    n.bit = 1 << slot;
    const cover = forest.cover[k];
    const child = (c: number): WalkNode => {
      const fraction = cover > 0 ? forest.cover[c] / cover : 0;
      const features = n.features.slice();
      const zero = n.zero.slice();
      if (slot === features.length) {
        features.push(f);
        zero.push(fraction);
      } else zero[slot] *= fraction;
      return { node: c, self: 0, value: 0, height: 0, bit: 0, features, zero };
    };
    n.left = child(forest.left[k]);
    n.right = child(forest.right[k]);
    stack.push(n.right, n.left); // left first: preorder
  }
  for (let i = preorder.length - 1; i >= 0; i--) {
    const n = preorder[i];
    if (n.left) n.height = 1 + Math.max(n.left.height, n.right!.height);
  }
  return preorder;
}

/** Maximal subtrees of height ≤ h, in preorder. */
function subtreeRoots(preorder: readonly WalkNode[], h: number): WalkNode[] {
  const roots: WalkNode[] = [];
  const inside = new Set<WalkNode>();
  for (const n of preorder) {
    if (inside.has(n)) continue;
    if (n.height <= h) {
      roots.push(n);
      for (const m of nodesBelow(n)) inside.add(m);
    }
  }
  return roots;
}

/** n and every node below it, in preorder. */
function nodesBelow(n: WalkNode): WalkNode[] {
  const out: WalkNode[] = [];
  const stack = [n];
  while (stack.length > 0) {
    const m = stack.pop()!;
    out.push(m);
    if (m.left) stack.push(m.right!, m.left);
  }
  return out;
}

interface SubtreePlan {
  root: WalkNode;
  inner: WalkNode[];
  leaves: WalkNode[];
  /** Distinct features of the leaves' paths: the table row's columns (and one more: the margin's). */
  features: number[];
  /** Table entries (rows × (columns + 1)); Infinity when the index would need more than MAX_TABLE_BITS bits. */
  size: number;
  /** Entries of its leaves' leaf tables (Infinity when a leaf has too many path features for one). */
  leafTableSize: number;
}

/** Entries of a leaf's table C: 2^d, or Infinity beyond MAX_LEAF_TABLE_FEATURES. */
const leafTableSize = (leaf: WalkNode) => (leaf.features.length > MAX_LEAF_TABLE_FEATURES ? Infinity : 2 ** leaf.features.length);

function planSubtree(root: WalkNode): SubtreePlan {
  const nodes = nodesBelow(root);
  const inner = nodes.filter((n) => n.left);
  const leaves = nodes.filter((n) => !n.left);
  const features = [...new Set(leaves.flatMap((l) => l.features))];
  const bits = root.features.length + inner.length;
  return {
    root,
    inner,
    leaves,
    features,
    size: bits > MAX_TABLE_BITS ? Infinity : (features.length + 1) * 2 ** bits,
    leafTableSize: leaves.reduce((a, l) => a + leafTableSize(l), 0),
  };
}

/**
 * The subtree's table: for each failed mask F at its root and direction bits D of its inner nodes (bit
 * k = inner[k] goes right), the sum of its leaves' Shapley vectors, over `plan.features` (each leaf's
 * from its leaf table: O(d) a row and leaf), and in the last column the value of the leaf the case
 * reaches when it reaches the subtree (F = 0), else 0: the tree's share of the margin.
 */
function fillSubtreeTable(plan: SubtreePlan, table: Float64Array, offset: number): void {
  const { root, inner, leaves, features } = plan;
  const width = features.length;
  const stride = width + 1;
  const column = new Map(features.map((f, k) => [f, k]));
  const innerBits = inner.length;
  const innerIndex = new Map(inner.map((n, k) => [n, k]));
  // For every leaf: the subtree inner nodes on its path, and whether the path goes right there.
  const steps = leaves.map((leaf) => {
    const path: { k: number; right: boolean; bit: number }[] = [];
    let n = root;
    while (n !== leaf) {
      const right = leaf.self >= n.right!.self; // preorder: the right subtree's nodes come after the left's
      path.push({ k: innerIndex.get(n)!, right, bit: n.bit });
      n = right ? n.right! : n.left!;
    }
    return path;
  });
  const leafTables = leaves.map((leaf) => {
    const c = new Float64Array(2 ** leaf.features.length);
    fillLeafTable(leaf.zero, c, 0);
    return c;
  });
  const columns = leaves.map((leaf) => Int32Array.from(leaf.features, (f) => column.get(f)!));
  const phi = new Float64Array(MAX_PATH_FEATURES);
  for (let failedAtRoot = 0; failedAtRoot < 1 << root.features.length; failedAtRoot++) {
    for (let dirs = 0; dirs < 1 << innerBits; dirs++) {
      const row = offset + ((failedAtRoot << innerBits) | dirs) * stride;
      for (let li = 0; li < leaves.length; li++) {
        const leaf = leaves[li];
        let failed = failedAtRoot;
        let reached = failedAtRoot === 0;
        for (const s of steps[li]) {
          if (((dirs >> s.k) & 1) === (s.right ? 1 : 0)) continue;
          failed |= s.bit;
          reached = false;
        }
        if (reached) table[row + width] = leaf.value;
        const d = leaf.features.length;
        leafShapley(d, leaf.value, leaf.zero, 0, leafTables[li], 0, failed, phi);
        const cols = columns[li];
        for (let k = 0; k < d; k++) table[row + cols[k]] += phi[k];
      }
    }
  }
}

/**
 * A leaf's Shapley values from its table C (module comment, way 2), one per path slot, into `out`:
 * d path features with cover fractions `z[zOff …]`, value v, the case having failed the slots in `failed`.
 */
function leafShapley(d: number, v: number, z: ArrayLike<number>, zOff: number, c: Float64Array, cOff: number, failed: number, out: Float64Array): void {
  const all = (1 << d) - 1;
  const unmet = failed & all;
  const met = all & ~unmet;
  let zu = v;
  for (let k = 0; k < d; k++) if ((unmet >> k) & 1) zu *= z[zOff + k];
  const shared = -zu * c[cOff + met];
  for (let k = 0; k < d; k++) out[k] = (unmet >> k) & 1 ? shared : zu * (1 - z[zOff + k]) * c[cOff + (met & ~(1 << k))];
}

/** C(S) of the module comment for every S ⊆ {0…d−1} (S = all: unused, left 0), into table[offset …]. */
function fillLeafTable(z: readonly number[], table: Float64Array, offset: number): void {
  const d = z.length;
  const w = shapleyWeights(d);
  const poly = new Float64Array(d + 1);
  for (let set = 0; set < (1 << d) - 1; set++) {
    poly.fill(0);
    poly[0] = 1;
    let degree = 0;
    for (let j = 0; j < d; j++) {
      if (!((set >> j) & 1)) continue;
      // multiply by (z_j + t)
      poly[degree + 1] = poly[degree];
      for (let s = degree; s > 0; s--) poly[s] = poly[s] * z[j] + poly[s - 1];
      poly[0] *= z[j];
      degree++;
    }
    let sum = 0;
    for (let s = 0; s <= degree; s++) sum += w[s] * poly[s];
    table[offset + set] = sum;
  }
}

export function prepareTreeShap(forest: Forest, nFeatures: number, options: TreeShapOptions = {}, file?: string): TreeShapForest {
  const m = nFeatures;
  const h = options.subtreeHeight ?? 2;
  let budget = Math.floor((options.tableBudgetBytes ?? DEFAULT_TABLE_BUDGET_BYTES) / 8);

  const trees = Array.from({ length: forest.nTrees }, (_, t) => {
    const nodes = walkTree(forest, t, file);
    return { nodes, inner: nodes.filter((n) => n.left), leaves: nodes.filter((n) => !n.left), subtrees: subtreeRoots(nodes, h).map(planSubtree) };
  });
  // Subtree tables go to the smallest subtrees first, as long as the leaf tables of the subtrees left
  // out still fit; then the leaves outside tabulated subtrees get leaf tables, smallest first.
  const plans = trees.flatMap((tr) => tr.subtrees);
  let leafReserve = plans.reduce((a, p) => a + (Number.isFinite(p.leafTableSize) ? p.leafTableSize : 0), 0);
  const tabulated = new Set<SubtreePlan>();
  for (const plan of plans.filter((p) => Number.isFinite(p.size)).sort((a, b) => a.size - b.size)) {
    const reserveAfter = leafReserve - (Number.isFinite(plan.leafTableSize) ? plan.leafTableSize : 0);
    if (plan.size + Math.min(reserveAfter, budget) > budget) break;
    tabulated.add(plan);
    budget -= plan.size;
    leafReserve = reserveAfter;
  }
  const withLeafTable = new Set<WalkNode>();
  const untabled = plans.filter((p) => !tabulated.has(p)).flatMap((p) => p.leaves);
  for (const leaf of untabled.filter((l) => Number.isFinite(leafTableSize(l))).sort((a, b) => leafTableSize(a) - leafTableSize(b))) {
    if (leafTableSize(leaf) > budget) break;
    withLeafTable.add(leaf);
    budget -= leafTableSize(leaf);
  }

  const count = (f: (tr: (typeof trees)[number]) => number) => trees.reduce((a, tr) => a + f(tr), 0);
  const nInner = count((tr) => tr.inner.length);
  const nLeaves = count((tr) => tr.leaves.length);
  const nPath = count((tr) => tr.leaves.reduce((a, l) => a + l.features.length, 0));
  const tabled = (tr: (typeof trees)[number]) => tr.subtrees.filter((s) => tabulated.has(s));
  const nAcc = count((tr) => tabled(tr).reduce((a, s) => a + s.inner.length, 0));
  const nSub = count((tr) => tabled(tr).length);
  const nSubFeat = count((tr) => tabled(tr).reduce((a, s) => a + s.features.length, 0));
  const nDirect = untabled.length;
  const tableSize = [...tabulated].reduce((a, s) => a + s.size, 0);
  const leafTablesSize = [...withLeafTable].reduce((a, l) => a + leafTableSize(l), 0);

  let baseValue = forest.baseMargin;
  for (const leaf of trees.flatMap((tr) => tr.leaves)) baseValue += leaf.value * leaf.zero.reduce((a, z) => a * z, 1);

  const channels = channelsOf(forest);
  const f: TreeShapForest = {
    channels,
    nFeatures: m,
    nTrees: forest.nTrees,
    baseValue,
    baseMargin: forest.baseMargin,
    maxTreeNodes: Math.max(1, ...trees.map((tr) => tr.nodes.length)),
    maxSubtrees: Math.max(1, ...trees.map((tr) => tr.subtrees.length)),
    innerStart: new Int32Array(forest.nTrees + 1),
    innerSelf: new Int32Array(nInner),
    innerLeft: new Int32Array(nInner),
    innerRight: new Int32Array(nInner),
    innerInput: new Int32Array(nInner),
    innerThreshold: new Float64Array(nInner),
    innerBit: new Int32Array(nInner),
    leafStart: new Int32Array(forest.nTrees + 1),
    leafSelf: new Int32Array(nLeaves),
    leafValue: new Float64Array(nLeaves),
    leafDepth: new Uint8Array(nLeaves),
    leafPathOff: new Int32Array(nLeaves),
    pathFeature: new Int32Array(nPath),
    pathZero: new Float64Array(nPath),
    leafTable: new Int32Array(nLeaves).fill(-1),
    leafTables: new Float64Array(leafTablesSize),
    topStart: new Int32Array(forest.nTrees + 1),
    topNode: new Int32Array(nInner - nAcc),
    accInput: new Int32Array(nAcc),
    accThreshold: new Float64Array(nAcc),
    accShift: new Int32Array(nAcc),
    subStart: new Int32Array(forest.nTrees + 1),
    subAcc: new Int32Array(nSub + 1),
    subRoot: new Int32Array(nSub),
    subBits: new Int32Array(nSub),
    subTable: new Int32Array(nSub),
    subWidth: new Int32Array(nSub),
    subFeatOff: new Int32Array(nSub),
    subFeature: new Int32Array(nSubFeat),
    table: new Float64Array(tableSize),
    directStart: new Int32Array(forest.nTrees + 1),
    directLeaf: new Int32Array(nDirect),
  };

  let [ii, li, pi, ti, ai, si, sfi, di, tableOff, leafTableOff] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  trees.forEach((tr, t) => {
    f.innerStart[t] = ii;
    f.topStart[t] = ti;
    const innerIndex = new Map<WalkNode, number>();
    const inTable = new Set(tabled(tr).flatMap((s) => s.inner));
    for (const n of tr.inner) {
      innerIndex.set(n, ii);
      f.innerSelf[ii] = n.self;
      f.innerLeft[ii] = n.left!.self;
      f.innerRight[ii] = n.right!.self;
      f.innerInput[ii] = channels.input[n.node];
      f.innerThreshold[ii] = channels.cut[n.node];
      f.innerBit[ii] = n.bit;
      if (!inTable.has(n)) f.topNode[ti++] = ii;
      ii++;
    }
    f.leafStart[t] = li;
    const leafIndex = new Map<WalkNode, number>();
    for (const leaf of tr.leaves) {
      const d = leaf.features.length;
      leafIndex.set(leaf, li);
      f.leafSelf[li] = leaf.self;
      f.leafValue[li] = leaf.value;
      f.leafDepth[li] = d;
      f.leafPathOff[li] = pi;
      f.pathFeature.set(leaf.features, pi);
      f.pathZero.set(leaf.zero, pi);
      if (withLeafTable.has(leaf)) {
        f.leafTable[li] = leafTableOff;
        fillLeafTable(leaf.zero, f.leafTables, leafTableOff);
        leafTableOff += leafTableSize(leaf);
      }
      pi += d;
      li++;
    }
    f.subStart[t] = si;
    f.directStart[t] = di;
    tr.subtrees.forEach((plan) => {
      if (!tabulated.has(plan)) {
        for (const leaf of plan.leaves) f.directLeaf[di++] = leafIndex.get(leaf)!;
        return;
      }
      f.subAcc[si] = ai;
      plan.inner.forEach((n, k) => {
        const src = innerIndex.get(n)!;
        f.accInput[ai] = f.innerInput[src];
        f.accThreshold[ai] = f.innerThreshold[src];
        f.accShift[ai] = k;
        ai++;
      });
      f.subRoot[si] = plan.root.self;
      f.subBits[si] = plan.inner.length;
      f.subTable[si] = tableOff;
      f.subWidth[si] = plan.features.length;
      f.subFeatOff[si] = sfi;
      f.subFeature.set(plan.features, sfi);
      fillSubtreeTable(plan, f.table, tableOff);
      tableOff += plan.size;
      sfi += plan.features.length;
      si++;
    });
  });
  for (const [start, end] of [
    [f.innerStart, ii],
    [f.leafStart, li],
    [f.topStart, ti],
    [f.subStart, si],
    [f.directStart, di],
  ] as const) {
    start[forest.nTrees] = end;
  }
  f.subAcc[nSub] = ai;
  return f;
}

/** Per-thread scratch for explaining cases one block after another without allocating. */
export class TreeShapScratch {
  /** The block's channel values, `width` per case. */
  readonly rows: Float64Array;
  readonly width: number;
  /** Failed masks of a tree's nodes for the block: node k's for case i at k·BLOCK + i. */
  readonly failed: Int32Array;
  /** A subtree's table row for each case of the block. */
  readonly keys: Int32Array;
  /** One case's margin (`addTreeShap`). */
  readonly margin = new Float64Array(1);
  readonly leafPhi = new Float64Array(MAX_PATH_FEATURES);
  readonly poly = new PolyScratch();
  constructor(ts: TreeShapForest) {
    this.width = Math.max(1, ts.channels.count);
    this.rows = new Float64Array(BLOCK * this.width);
    this.failed = new Int32Array(ts.maxTreeNodes * BLOCK);
    this.keys = new Int32Array(BLOCK);
  }
}

/** Adds the Shapley values of leaf l, given the failed mask at it, to phi (leaf table, else the product game). */
function addLeaf(ts: TreeShapForest, l: number, failed: number, phi: Float64Array, phiOff: number, s: TreeShapScratch): void {
  const d = ts.leafDepth[l];
  const p = ts.leafPathOff[l];
  const at = ts.leafTable[l];
  if (at < 0) productGameShapley(d, ts.leafValue[l], ts.pathZero, p, ((1 << d) - 1) & ~failed, s.leafPhi, s.poly);
  else leafShapley(d, ts.leafValue[l], ts.pathZero, p, ts.leafTables, at, failed, s.leafPhi);
  for (let k = 0; k < d; k++) phi[phiOff + ts.pathFeature[p + k]] += s.leafPhi[k];
}

/**
 * Adds the TreeSHAP contributions (margin scale) of `count` cases to `phi`: case i is the row of `x` at
 * `offset + i·stride`, its contributions go to `phi[phiOff + i·nFeatures …]`; the caller zeroes `phi`.
 * Writes case i's margin to `margin[marginOff + i]` — the base margin plus the leaf it reaches in each
 * tree, added in tree order, as the scorer adds them (`forestMargins`), so the two are equal to the bit.
 * Each step runs across the block of cases for one node or subtree at a time, so the node's numbers are
 * read once per block and the inner loops are short and regular.
 */
export function addTreeShapRows(ts: TreeShapForest, x: Float64Array, offset: number, stride: number, count: number, phi: Float64Array, phiOff: number, margin: Float64Array, marginOff: number, s: TreeShapScratch): void {
  const { innerSelf, innerLeft, innerRight, innerInput, innerThreshold, innerBit, topNode } = ts;
  const { accInput, accThreshold, accShift, subAcc } = ts;
  const { subRoot, subBits, subTable, subWidth, subFeatOff, subFeature, table, leafSelf, leafValue, directLeaf } = ts;
  const { rows, width, failed, keys } = s;
  const m = ts.nFeatures;
  for (let first = 0; first < count; first += BLOCK) {
    const n = Math.min(BLOCK, count - first);
    const po = phiOff + first * m;
    const mo = marginOff + first;
    for (let i = 0; i < n; i++) fillChannels(ts.channels, x, offset + (first + i) * stride, rows, i * width);
    margin.fill(ts.baseMargin, mo, mo + n);
    for (let t = 0; t < ts.nTrees; t++) {
      failed.fill(0, 0, n);
      for (let k = ts.topStart[t], end = ts.topStart[t + 1]; k < end; k++) {
        const node = topNode[k];
        const input = innerInput[node];
        const cut = innerThreshold[node];
        const bit = innerBit[node];
        const parent = innerSelf[node] * BLOCK;
        const left = innerLeft[node] * BLOCK;
        const right = innerRight[node] * BLOCK;
        for (let i = 0; i < n; i++) {
          // goesRight is 0 or 1; the masks are chosen by arithmetic, not by a branch the CPU must guess.
          const goesRight = +(rows[i * width + input] >= cut);
          const mask = failed[parent + i];
          failed[left + i] = mask | (bit & -goesRight);
          failed[right + i] = mask | (bit & (goesRight - 1));
        }
      }
      for (let k = ts.subStart[t], end = ts.subStart[t + 1]; k < end; k++) {
        const root = subRoot[k] * BLOCK;
        const bits = subBits[k];
        for (let i = 0; i < n; i++) keys[i] = failed[root + i] << bits;
        for (let a = subAcc[k], aEnd = subAcc[k + 1]; a < aEnd; a++) {
          const input = accInput[a];
          const cut = accThreshold[a];
          const shift = accShift[a];
          for (let i = 0; i < n; i++) keys[i] |= +(rows[i * width + input] >= cut) << shift;
        }
        const w = subWidth[k];
        const t0 = subTable[k];
        for (let i = 0; i < n; i++) keys[i] = t0 + keys[i] * (w + 1);
        for (let c = 0, fo = subFeatOff[k]; c < w; c++) {
          const out = po + subFeature[fo + c];
          for (let i = 0; i < n; i++) phi[out + i * m] += table[keys[i] + c];
        }
        for (let i = 0; i < n; i++) margin[mo + i] += table[keys[i] + w];
      }
      for (let k = ts.directStart[t], end = ts.directStart[t + 1]; k < end; k++) {
        const l = directLeaf[k];
        const self = leafSelf[l] * BLOCK;
        for (let i = 0; i < n; i++) {
          addLeaf(ts, l, failed[self + i], phi, po + i * m, s);
          if (failed[self + i] === 0) margin[mo + i] += leafValue[l];
        }
      }
    }
  }
}

/** Adds one case's TreeSHAP contributions (margin scale) to `phi[phiOff + j]` (the caller zeroes `phi`); returns its margin. */
export function addTreeShap(ts: TreeShapForest, x: Float64Array, offset: number, phi: Float64Array, phiOff: number, s: TreeShapScratch): number {
  addTreeShapRows(ts, x, offset, 0, 1, phi, phiOff, s.margin, 0, s);
  return s.margin[0];
}

/** The failed masks of every node of tree t (the reference pass, used where speed does not matter). */
function markAll(ts: TreeShapForest, t: number, row: Float64Array, failed: Int32Array): void {
  failed[0] = 0;
  for (let n = ts.innerStart[t], end = ts.innerStart[t + 1]; n < end; n++) {
    const right = row[ts.innerInput[n]] >= ts.innerThreshold[n];
    const mask = failed[ts.innerSelf[n]];
    failed[ts.innerLeft[n]] = right ? mask | ts.innerBit[n] : mask;
    failed[ts.innerRight[n]] = right ? mask : mask | ts.innerBit[n];
  }
}

/**
 * TreeSHAP interaction values of one case, as XGBoost's `pred_interactions` lays them out: a row-major
 * (M+1)×(M+1) matrix whose last row and column hold the base value at [M][M]; the matrix sums to the margin.
 */
export function treeShapInteractions(ts: TreeShapForest, x: Float64Array, offset: number): Float64Array {
  const m = ts.nFeatures;
  const width = m + 1;
  const out = new Float64Array(width * width);
  const row = new Float64Array(Math.max(1, ts.channels.count));
  const failed = new Int32Array(ts.maxTreeNodes);
  const poly = new PolyScratch();
  fillChannels(ts.channels, x, offset, row, 0);
  const local = new Float64Array(MAX_PATH_FEATURES * MAX_PATH_FEATURES);
  for (let t = 0; t < ts.nTrees; t++) {
    markAll(ts, t, row, failed);
    for (let l = ts.leafStart[t], end = ts.leafStart[t + 1]; l < end; l++) {
      const d = ts.leafDepth[l];
      const p = ts.leafPathOff[l];
      productGameInteractions(d, ts.leafValue[l], ts.pathZero, p, ((1 << d) - 1) & ~failed[ts.leafSelf[l]], local, poly);
      for (let a = 0; a < d; a++) {
        const fa = ts.pathFeature[p + a];
        for (let b = 0; b < d; b++) out[fa * width + ts.pathFeature[p + b]] += local[a * d + b];
      }
    }
  }
  out[m * width + m] = ts.baseValue;
  return out;
}
