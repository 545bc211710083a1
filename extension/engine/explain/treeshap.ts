/**
 * Exact path-dependent TreeSHAP (the values of XGBoost's `pred_contribs`), laid out for speed.
 *
 * The maths. Each leaf defines a product game over the distinct features on its path (productgame.ts):
 * its Shapley values depend on the case only through the set O of path features whose splits the case
 * all satisfies. A tree's attributions are the sum of its leaves' games. The base value is the expected
 * margin under the training cover: the base margin plus each tree's cover-weighted mean leaf value
 * (XGBoost's bias column).
 *
 * The layout. Precomputing each leaf's values for all 2^d sets O (the idea of Fast TreeSHAP v2, Yang
 * 2021) makes a case cost O(L·D) per tree. We go one step further and tabulate small *subtrees* instead
 * of single leaves: cut each tree into the maximal subtrees of height ≤ h (h = 2 by default: a node, its
 * two children, four leaves). Every leaf below a subtree root r is determined by
 *   - F, which of the features on the path root→r the case has already failed (d_r bits), and
 *   - the directions the case takes at r's inner nodes (one bit each, ≤ 2^h − 1 bits),
 * so the sum of those leaves' Shapley vectors is one table row indexed by (F, directions), over the
 * union of the leaves' path features. Explaining a case then takes, per tree:
 *   1. above the subtrees, one comparison per inner node, pushing the failed-feature mask down (nodes
 *      are parents-first, so one forward pass does it);
 *   2. inside the subtrees, one comparison per inner node, setting a direction bit;
 *   3. per subtree, one table row added to φ (about D + h values).
 * For a depth-5 tree that is 31 comparisons and ~8 short rows, against ~32·5 table reads per tree for
 * leaf tables and O(L·D²) with large constants for the recursive algorithm. Subtrees whose tables would
 * exceed the memory budget (deep trees) have their leaves computed directly instead: O(D²) per leaf.
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
import { PolyScratch, productGameInteractions, productGameShapley } from './productgame';

/** Failed masks are int32 bit sets over path slots. */
const MAX_PATH_FEATURES = 30;
/** Subtree tables are indexed by at most this many bits (a 4096-row table). */
const MAX_TABLE_BITS = 12;

/** Default memory for the subtree tables: 64 MiB of float64. */
const DEFAULT_TABLE_BUDGET_BYTES = 64 * 1024 * 1024;

export interface TreeShapOptions {
  /** Bytes the tables may take; subtrees beyond it are computed leaf by leaf (0 = never tabulate). */
  readonly tableBudgetBytes?: number;
  /** Height of the tabulated subtrees (0 = one table per leaf). Default 2. */
  readonly subtreeHeight?: number;
}

/** A forest rearranged for TreeSHAP (see the module comment). All node indices are tree-local. */
export interface TreeShapForest {
  readonly channels: Channels;
  readonly nFeatures: number;
  readonly nTrees: number;
  readonly baseValue: number;
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

  // The fast layout. Inner nodes above the subtrees (and inside untabulated ones): topStart[t] …
  readonly topStart: Int32Array;
  readonly topNode: Int32Array;
  // Inner nodes inside tabulated subtrees: their input, threshold, subtree (tree-local) and bit position.
  readonly accStart: Int32Array;
  readonly accInput: Int32Array;
  readonly accThreshold: Float64Array;
  readonly accSubtree: Int32Array;
  readonly accShift: Int32Array;
  // Tabulated subtrees: root (local node), direction bits, table offset, row width and row features.
  readonly subStart: Int32Array;
  readonly subRoot: Int32Array;
  readonly subBits: Int32Array;
  readonly subTable: Int32Array;
  readonly subWidth: Int32Array;
  readonly subFeatOff: Int32Array;
  readonly subFeature: Int32Array;
  readonly table: Float64Array;
  // Leaves of untabulated subtrees, computed directly: indices into the leaf arrays.
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

/** Walks tree t depth-first: tree-local numbering (parents first), slots, heights and each leaf's game. */
function walkTree(forest: Forest, t: number, file: string | undefined): WalkNode {
  let nextLocal = 0;
  const visit = (node: number, features: number[], zero: number[]): WalkNode => {
    const self = nextLocal++;
    if (forest.left[node] < 0) return { node, self, value: forest.value[node], height: 0, bit: 0, features, zero };
    const f = forest.feature[node];
    let slot = features.indexOf(f);
    if (slot < 0) slot = features.length;
    if (slot >= MAX_PATH_FEATURES) {
      throw new InputError(`tree ${t} has a path through more than ${MAX_PATH_FEATURES} distinct features, more than Risk Review's TreeSHAP supports`, { file });
    }
    const cover = forest.cover[node];
    const child = (c: number) => {
      const fraction = cover > 0 ? forest.cover[c] / cover : 0;
      const fs = features.slice();
      const zs = zero.slice();
      if (slot === fs.length) {
        fs.push(f);
        zs.push(fraction);
      } else zs[slot] *= fraction;
      return visit(c, fs, zs);
    };
    const left = child(forest.left[node]);
    const right = child(forest.right[node]);
    return { node, self, value: 0, height: 1 + Math.max(left.height, right.height), bit: 1 << slot, features, zero, left, right };
  };
  return visit(forest.treeStart[t], [], []);
}

function preorder(n: WalkNode, out: WalkNode[] = []): WalkNode[] {
  out.push(n);
  if (n.left) preorder(n.left, out);
  if (n.right) preorder(n.right, out);
  return out;
}

/** Maximal subtrees of height ≤ h, in preorder. */
function subtreeRoots(n: WalkNode, h: number, out: WalkNode[] = []): WalkNode[] {
  if (n.height <= h) out.push(n);
  else {
    subtreeRoots(n.left!, h, out);
    subtreeRoots(n.right!, h, out);
  }
  return out;
}

interface SubtreePlan {
  root: WalkNode;
  inner: WalkNode[];
  leaves: WalkNode[];
  /** Distinct features of the leaves' paths: the table row's columns. */
  features: number[];
  /** Table entries (rows × width); Infinity when the index would need more than MAX_TABLE_BITS bits. */
  size: number;
}

function planSubtree(root: WalkNode): SubtreePlan {
  const nodes = preorder(root);
  const inner = nodes.filter((n) => n.left);
  const leaves = nodes.filter((n) => !n.left);
  const features = [...new Set(leaves.flatMap((l) => l.features))];
  const bits = root.features.length + inner.length;
  return { root, inner, leaves, features, size: bits > MAX_TABLE_BITS ? Infinity : features.length * 2 ** bits };
}

/**
 * The subtree's table: for each failed mask F at its root and direction bits D of its inner nodes (bit
 * k = inner[k] goes right), the sum of its leaves' Shapley vectors, over `plan.features`.
 */
function fillSubtreeTable(plan: SubtreePlan, table: Float64Array, offset: number, scratch: PolyScratch): void {
  const { root, inner, leaves, features } = plan;
  const width = features.length;
  const column = new Map(features.map((f, k) => [f, k]));
  const innerBits = inner.length;
  // For every leaf: the subtree inner nodes on its path, and whether the path goes right there.
  const steps = leaves.map((leaf) => {
    const path: { k: number; right: boolean; bit: number }[] = [];
    let n = root;
    while (n !== leaf) {
      const k = inner.indexOf(n);
      const right = preorder(n.right!).includes(leaf);
      path.push({ k, right, bit: n.bit });
      n = right ? n.right! : n.left!;
    }
    return path;
  });
  const phi = new Float64Array(MAX_PATH_FEATURES);
  const zero = new Float64Array(MAX_PATH_FEATURES);
  for (let failedAtRoot = 0; failedAtRoot < 1 << root.features.length; failedAtRoot++) {
    for (let dirs = 0; dirs < 1 << innerBits; dirs++) {
      const row = offset + ((failedAtRoot << innerBits) | dirs) * width;
      leaves.forEach((leaf, li) => {
        let failed = failedAtRoot;
        for (const s of steps[li]) if (((dirs >> s.k) & 1) !== (s.right ? 1 : 0)) failed |= s.bit;
        const d = leaf.features.length;
        zero.set(leaf.zero);
        productGameShapley(d, leaf.value, zero, 0, ((1 << d) - 1) & ~failed, phi, scratch);
        for (let k = 0; k < d; k++) table[row + column.get(leaf.features[k])!] += phi[k];
      });
    }
  }
}

export function prepareTreeShap(forest: Forest, nFeatures: number, options: TreeShapOptions = {}, file?: string): TreeShapForest {
  const m = nFeatures;
  const h = options.subtreeHeight ?? 2;
  let budget = Math.floor((options.tableBudgetBytes ?? DEFAULT_TABLE_BUDGET_BYTES) / 8);

  const roots = Array.from({ length: forest.nTrees }, (_, t) => walkTree(forest, t, file));
  const trees = roots.map((root) => {
    const nodes = preorder(root);
    return { root, nodes, inner: nodes.filter((n) => n.left), leaves: nodes.filter((n) => !n.left), subtrees: subtreeRoots(root, h).map(planSubtree) };
  });
  // Tables go to the smallest subtrees first, so a tight budget still covers as many as it can.
  const tabulated = new Set<SubtreePlan>();
  const candidates = trees.flatMap((tr) => tr.subtrees).filter((p) => Number.isFinite(p.size));
  for (const plan of candidates.sort((a, b) => a.size - b.size)) {
    if (plan.size > budget) break;
    tabulated.add(plan);
    budget -= plan.size;
  }

  const count = (f: (tr: (typeof trees)[number]) => number) => trees.reduce((a, tr) => a + f(tr), 0);
  const nInner = count((tr) => tr.inner.length);
  const nLeaves = count((tr) => tr.leaves.length);
  const nPath = count((tr) => tr.leaves.reduce((a, l) => a + l.features.length, 0));
  const tabled = (tr: (typeof trees)[number]) => tr.subtrees.filter((s) => tabulated.has(s));
  const nAcc = count((tr) => tabled(tr).reduce((a, s) => a + s.inner.length, 0));
  const nSub = count((tr) => tabled(tr).length);
  const nSubFeat = count((tr) => tabled(tr).reduce((a, s) => a + s.features.length, 0));
  const nDirect = count((tr) => tr.subtrees.filter((s) => !tabulated.has(s)).reduce((a, s) => a + s.leaves.length, 0));
  const tableSize = [...tabulated].reduce((a, s) => a + s.size, 0);

  let baseValue = forest.baseMargin;
  for (const leaf of trees.flatMap((tr) => tr.leaves)) baseValue += leaf.value * leaf.zero.reduce((a, z) => a * z, 1);

  const channels = channelsOf(forest);
  const f: TreeShapForest = {
    channels,
    nFeatures: m,
    nTrees: forest.nTrees,
    baseValue,
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
    topStart: new Int32Array(forest.nTrees + 1),
    topNode: new Int32Array(nInner - nAcc),
    accStart: new Int32Array(forest.nTrees + 1),
    accInput: new Int32Array(nAcc),
    accThreshold: new Float64Array(nAcc),
    accSubtree: new Int32Array(nAcc),
    accShift: new Int32Array(nAcc),
    subStart: new Int32Array(forest.nTrees + 1),
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

  const scratch = new PolyScratch();
  let [ii, li, pi, ti, ai, si, sfi, di, tableOff] = [0, 0, 0, 0, 0, 0, 0, 0, 0];
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
      f.leafValue[li] = forest.value[leaf.node];
      f.leafDepth[li] = d;
      f.leafPathOff[li] = pi;
      f.pathFeature.set(leaf.features, pi);
      f.pathZero.set(leaf.zero, pi);
      pi += d;
      li++;
    }
    f.accStart[t] = ai;
    f.subStart[t] = si;
    f.directStart[t] = di;
    tr.subtrees.forEach((plan) => {
      if (!tabulated.has(plan)) {
        for (const leaf of plan.leaves) f.directLeaf[di++] = leafIndex.get(leaf)!;
        return;
      }
      const local = si - f.subStart[t];
      plan.inner.forEach((n, k) => {
        const src = innerIndex.get(n)!;
        f.accInput[ai] = f.innerInput[src];
        f.accThreshold[ai] = f.innerThreshold[src];
        f.accSubtree[ai] = local;
        f.accShift[ai] = k;
        ai++;
      });
      f.subRoot[si] = plan.root.self;
      f.subBits[si] = plan.inner.length;
      f.subTable[si] = tableOff;
      f.subWidth[si] = plan.features.length;
      f.subFeatOff[si] = sfi;
      f.subFeature.set(plan.features, sfi);
      fillSubtreeTable(plan, f.table, tableOff, scratch);
      tableOff += plan.size;
      sfi += plan.features.length;
      si++;
    });
  });
  for (const [start, end] of [
    [f.innerStart, ii],
    [f.leafStart, li],
    [f.topStart, ti],
    [f.accStart, ai],
    [f.subStart, si],
    [f.directStart, di],
  ] as const) {
    start[forest.nTrees] = end;
  }
  return f;
}

/** Per-thread scratch for explaining cases one after another without allocating. */
export class TreeShapScratch {
  /** The case's channel values. */
  readonly row: Float64Array;
  readonly failed: Int32Array;
  readonly directions: Int32Array;
  readonly leafPhi = new Float64Array(MAX_PATH_FEATURES);
  readonly poly = new PolyScratch();
  constructor(ts: TreeShapForest) {
    this.row = new Float64Array(Math.max(1, ts.channels.count));
    this.failed = new Int32Array(ts.maxTreeNodes);
    this.directions = new Int32Array(ts.maxSubtrees);
  }
}

/** Adds the Shapley values of leaf l, given the failed mask at it, to phi. */
function addLeafDirect(ts: TreeShapForest, l: number, failed: number, phi: Float64Array, phiOff: number, s: TreeShapScratch): void {
  const d = ts.leafDepth[l];
  const p = ts.leafPathOff[l];
  productGameShapley(d, ts.leafValue[l], ts.pathZero, p, ((1 << d) - 1) & ~failed, s.leafPhi, s.poly);
  for (let k = 0; k < d; k++) phi[phiOff + ts.pathFeature[p + k]] += s.leafPhi[k];
}

/**
 * Adds the case's TreeSHAP contributions (margin scale) to `phi[phiOff + j]`; the caller zeroes `phi`.
 */
export function addTreeShap(ts: TreeShapForest, x: Float64Array, offset: number, phi: Float64Array, phiOff: number, s: TreeShapScratch): void {
  const { innerSelf, innerLeft, innerRight, innerInput, innerThreshold, innerBit, topNode } = ts;
  const { accInput, accThreshold, accSubtree, accShift } = ts;
  const { subRoot, subBits, subTable, subWidth, subFeatOff, subFeature, table } = ts;
  const { row, failed, directions } = s;
  fillChannels(ts.channels, x, offset, row, 0);
  for (let t = 0; t < ts.nTrees; t++) {
    failed[0] = 0;
    for (let k = ts.topStart[t], end = ts.topStart[t + 1]; k < end; k++) {
      const n = topNode[k];
      // goesRight is 0 or 1; the masks below are chosen by arithmetic, not by a branch the CPU must guess.
      const goesRight = +(row[innerInput[n]] >= innerThreshold[n]);
      const mask = failed[innerSelf[n]];
      const bit = innerBit[n];
      failed[innerLeft[n]] = mask | (bit & -goesRight);
      failed[innerRight[n]] = mask | (bit & (goesRight - 1));
    }
    const s0 = ts.subStart[t];
    const s1 = ts.subStart[t + 1];
    directions.fill(0, 0, s1 - s0);
    for (let a = ts.accStart[t], end = ts.accStart[t + 1]; a < end; a++) {
      directions[accSubtree[a]] |= +(row[accInput[a]] >= accThreshold[a]) << accShift[a];
    }
    for (let k = s0; k < s1; k++) {
      const width = subWidth[k];
      const base = subTable[k] + ((failed[subRoot[k]] << subBits[k]) | directions[k - s0]) * width;
      const fo = subFeatOff[k];
      for (let c = 0; c < width; c++) phi[phiOff + subFeature[fo + c]] += table[base + c];
    }
    for (let k = ts.directStart[t], end = ts.directStart[t + 1]; k < end; k++) {
      const l = ts.directLeaf[k];
      addLeafDirect(ts, l, failed[ts.leafSelf[l]], phi, phiOff, s);
    }
  }
}

/** The failed masks of every node of tree t (the reference pass, used where speed does not matter). */
function markAll(ts: TreeShapForest, t: number, s: TreeShapScratch): void {
  const { row, failed } = s;
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
  const s = new TreeShapScratch(ts);
  fillChannels(ts.channels, x, offset, s.row, 0);
  const local = new Float64Array(MAX_PATH_FEATURES * MAX_PATH_FEATURES);
  for (let t = 0; t < ts.nTrees; t++) {
    markAll(ts, t, s);
    for (let l = ts.leafStart[t], end = ts.leafStart[t + 1]; l < end; l++) {
      const d = ts.leafDepth[l];
      const p = ts.leafPathOff[l];
      productGameInteractions(d, ts.leafValue[l], ts.pathZero, p, ((1 << d) - 1) & ~s.failed[ts.leafSelf[l]], local, s.poly);
      for (let a = 0; a < d; a++) {
        const fa = ts.pathFeature[p + a];
        for (let b = 0; b < d; b++) out[fa * width + ts.pathFeature[p + b]] += local[a * d + b];
      }
    }
  }
  out[m * width + m] = ts.baseValue;
  return out;
}
