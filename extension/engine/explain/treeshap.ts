/**
 * Exact path-dependent TreeSHAP (what XGBoost's `pred_contribs` computes), laid out for speed.
 *
 * Each leaf defines a product game over the distinct features on its path (see productgame.ts). Its
 * Shapley values depend on the case only through the set O of path features whose splits the case all
 * satisfies, so for a leaf with d path features we tabulate the d values for every one of the 2^d sets
 * once per model (the idea of Fast TreeSHAP v2, Yang 2021). Explaining a case then takes, per tree:
 *   1. one comparison per inner node, pushing down a bit mask of path features whose split the case fails
 *      (nodes are laid out parents-first, so one forward pass does it), and
 *   2. per leaf, O = (all path features) minus the failed ones, and d table entries added to φ.
 * That is O(L·D) per tree instead of the O(L·D²) of Lundberg's recursive algorithm. Leaves whose tables
 * would not fit the memory budget (deep trees) compute their game directly, O(D²) per leaf and case.
 *
 * A feature's bit in the mask is its slot on the path: slots are numbered by first appearance from the
 * root, so every node on a path agrees on them and siblings share their parent's.
 *
 * The base value is the model's expected margin under the training cover: the base margin plus each
 * tree's cover-weighted mean leaf value (XGBoost's bias column).
 *
 * Inputs are compared as XGBoost does: float32-rounded, `x < threshold` goes left, missing follows the
 * node's default branch.
 */
import { InputError } from '../errors';
import type { Forest } from '../models/types';
import { PolyScratch, productGameInteractions, productGameShapley } from './productgame';

/** Distinct features on one path are numbered by bits of an int32. */
const MAX_PATH_FEATURES = 30;

/** Default memory for the leaf tables: 64 MiB of float64. */
export const DEFAULT_TABLE_BUDGET_BYTES = 64 * 1024 * 1024;

export interface TreeShapOptions {
  /** Bytes the per-leaf tables may take; leaves beyond it are computed directly (0 = never tabulate). */
  readonly tableBudgetBytes?: number;
}

/** A forest rearranged for TreeSHAP: per tree, inner nodes parents-first, then leaves with their paths. */
export interface TreeShapForest {
  readonly nFeatures: number;
  readonly nTrees: number;
  readonly baseValue: number;
  /** Inner nodes of tree t: innerStart[t] … innerStart[t+1]−1, parents before children. */
  readonly innerStart: Int32Array;
  /** Node-local index (into a per-tree mask scratch) of the inner node, and of its children. */
  readonly innerSelf: Int32Array;
  readonly innerLeft: Int32Array;
  readonly innerRight: Int32Array;
  readonly innerFeature: Int32Array;
  readonly innerThreshold: Float64Array;
  readonly innerDefaultLeft: Uint8Array;
  /** 1 << (slot of the node's feature on the path to its children). */
  readonly innerBit: Int32Array;
  /** Leaves of tree t: leafStart[t] … leafStart[t+1]−1. */
  readonly leafStart: Int32Array;
  readonly leafSelf: Int32Array;
  readonly leafValue: Float64Array;
  /** Number of distinct features on the leaf's path (d). */
  readonly leafDepth: Uint8Array;
  /** Where the leaf's d path features and cover fractions start in pathFeature / pathZero. */
  readonly leafPathOff: Int32Array;
  readonly pathFeature: Int32Array;
  readonly pathZero: Float64Array;
  /** Offset of the leaf's 2^d × d table in `table`, or −1 when it is computed directly. */
  readonly leafTable: Int32Array;
  readonly table: Float64Array;
  /** Largest node count of a tree (the mask scratch size). */
  readonly maxTreeNodes: number;
  /** Leaves computed directly (for the record: 0 unless trees are deep). */
  readonly directLeaves: number;
}

interface PathLeaf {
  self: number;
  value: number;
  features: number[];
  zero: number[];
}

/** Walks tree t depth-first, numbering nodes locally and collecting each leaf's path game. */
function walkTree(forest: Forest, t: number, file: string | undefined) {
  const root = forest.treeStart[t];
  const nodes = forest.treeStart[t + 1] - root;
  const inner: { self: number; left: number; right: number; node: number; bit: number }[] = [];
  const leaves: PathLeaf[] = [];
  let nextLocal = 0;
  let expected = 0;
  const visit = (node: number, self: number, features: number[], zero: number[]) => {
    if (forest.left[node] < 0) {
      let reach = 1;
      for (const z of zero) reach *= z;
      expected += reach * forest.value[node];
      leaves.push({ self, value: forest.value[node], features, zero });
      return;
    }
    const f = forest.feature[node];
    let slot = features.indexOf(f);
    if (slot < 0) {
      slot = features.length;
      if (slot >= MAX_PATH_FEATURES) {
        throw new InputError(`tree ${t} has a path through more than ${MAX_PATH_FEATURES} distinct features; Risk Review's TreeSHAP does not support such deep trees`, { file });
      }
    }
    const left = nextLocal++;
    const right = nextLocal++;
    inner.push({ self, left, right, node, bit: 1 << slot });
    const cover = forest.cover[node];
    for (const [child, local] of [
      [forest.left[node], left],
      [forest.right[node], right],
    ] as const) {
      const fraction = cover > 0 ? forest.cover[child] / cover : 0;
      const fs = features.slice();
      const zs = zero.slice();
      if (slot === fs.length) {
        fs.push(f);
        zs.push(fraction);
      } else zs[slot] *= fraction;
      visit(child, local, fs, zs);
    }
  };
  visit(root, nextLocal++, [], []);
  return { inner, leaves, nodes, expected };
}

function tableSize(d: number): number {
  return d * (1 << d);
}

export function prepareTreeShap(forest: Forest, nFeatures: number, options: TreeShapOptions = {}, file?: string): TreeShapForest {
  const budget = Math.floor((options.tableBudgetBytes ?? DEFAULT_TABLE_BUDGET_BYTES) / 8);
  const trees = Array.from({ length: forest.nTrees }, (_, t) => walkTree(forest, t, file));
  const nInner = trees.reduce((a, tr) => a + tr.inner.length, 0);
  const nLeaves = trees.reduce((a, tr) => a + tr.leaves.length, 0);
  const nPath = trees.reduce((a, tr) => a + tr.leaves.reduce((b, l) => b + l.features.length, 0), 0);

  // Tables go to the shallowest leaves first, so a tight budget still covers as many leaves as it can.
  const leafOrder = trees.flatMap((tr) => tr.leaves).sort((a, b) => a.features.length - b.features.length);
  const tabulated = new Set<PathLeaf>();
  let tableTotal = 0;
  for (const leaf of leafOrder) {
    const size = tableSize(leaf.features.length);
    if (tableTotal + size > budget) break;
    tabulated.add(leaf);
    tableTotal += size;
  }

  const innerStart = new Int32Array(forest.nTrees + 1);
  const innerSelf = new Int32Array(nInner);
  const innerLeft = new Int32Array(nInner);
  const innerRight = new Int32Array(nInner);
  const innerFeature = new Int32Array(nInner);
  const innerThreshold = new Float64Array(nInner);
  const innerDefaultLeft = new Uint8Array(nInner);
  const innerBit = new Int32Array(nInner);
  const leafStart = new Int32Array(forest.nTrees + 1);
  const leafSelf = new Int32Array(nLeaves);
  const leafValue = new Float64Array(nLeaves);
  const leafDepth = new Uint8Array(nLeaves);
  const leafPathOff = new Int32Array(nLeaves);
  const leafTable = new Int32Array(nLeaves);
  const pathFeature = new Int32Array(nPath);
  const pathZero = new Float64Array(nPath);
  const table = new Float64Array(tableTotal);

  const scratch = new PolyScratch();
  let ii = 0;
  let li = 0;
  let pi = 0;
  let ti = 0;
  let baseValue = forest.baseMargin;
  let maxTreeNodes = 1;
  trees.forEach((tr, t) => {
    baseValue += tr.expected;
    maxTreeNodes = Math.max(maxTreeNodes, tr.nodes);
    innerStart[t] = ii;
    for (const n of tr.inner) {
      innerSelf[ii] = n.self;
      innerLeft[ii] = n.left;
      innerRight[ii] = n.right;
      innerFeature[ii] = forest.feature[n.node];
      innerThreshold[ii] = forest.threshold[n.node];
      innerDefaultLeft[ii] = forest.defaultLeft[n.node];
      innerBit[ii] = n.bit;
      ii++;
    }
    leafStart[t] = li;
    for (const leaf of tr.leaves) {
      const d = leaf.features.length;
      leafSelf[li] = leaf.self;
      leafValue[li] = leaf.value;
      leafDepth[li] = d;
      leafPathOff[li] = pi;
      for (let k = 0; k < d; k++) {
        pathFeature[pi + k] = leaf.features[k];
        pathZero[pi + k] = leaf.zero[k];
      }
      if (tabulated.has(leaf)) {
        leafTable[li] = ti;
        for (let set = 0; set < 1 << d; set++) {
          productGameShapley(d, leaf.value, pathZero, pi, set, scratch.r, scratch);
          table.set(scratch.r.subarray(0, d), ti + set * d);
        }
        ti += tableSize(d);
      } else leafTable[li] = -1;
      pi += d;
      li++;
    }
  });
  innerStart[forest.nTrees] = ii;
  leafStart[forest.nTrees] = li;
  return {
    nFeatures,
    nTrees: forest.nTrees,
    baseValue,
    innerStart,
    innerSelf,
    innerLeft,
    innerRight,
    innerFeature,
    innerThreshold,
    innerDefaultLeft,
    innerBit,
    leafStart,
    leafSelf,
    leafValue,
    leafDepth,
    leafPathOff,
    pathFeature,
    pathZero,
    leafTable,
    table,
    maxTreeNodes,
    directLeaves: nLeaves - tabulated.size,
  };
}

/** Per-thread scratch for explaining cases one after another without allocating. */
export class TreeShapScratch {
  readonly row: Float64Array;
  readonly failed: Int32Array;
  readonly poly = new PolyScratch();
  constructor(ts: TreeShapForest) {
    this.row = new Float64Array(ts.nFeatures);
    this.failed = new Int32Array(ts.maxTreeNodes);
  }
}

/** Float32-rounds the case's inputs once, as XGBoost compares them. */
function loadRow(x: Float64Array, offset: number, row: Float64Array): void {
  for (let j = 0; j < row.length; j++) row[j] = Math.fround(x[offset + j]);
}

/** Pushes the failed-feature mask down tree t for the row in `s.row`. */
function markFailures(ts: TreeShapForest, t: number, s: TreeShapScratch): void {
  const { innerSelf, innerLeft, innerRight, innerFeature, innerThreshold, innerDefaultLeft, innerBit } = ts;
  const row = s.row;
  const failed = s.failed;
  failed[0] = 0;
  for (let n = ts.innerStart[t], end = ts.innerStart[t + 1]; n < end; n++) {
    const v = row[innerFeature[n]];
    const goLeft = v !== v ? innerDefaultLeft[n] === 1 : v < innerThreshold[n];
    const mask = failed[innerSelf[n]];
    const bit = innerBit[n];
    failed[innerLeft[n]] = goLeft ? mask : mask | bit;
    failed[innerRight[n]] = goLeft ? mask | bit : mask;
  }
}

/**
 * Adds the case's TreeSHAP contributions (margin scale) to `phi[phiOff + j]`; the caller zeroes `phi`.
 */
export function addTreeShap(ts: TreeShapForest, x: Float64Array, offset: number, phi: Float64Array, phiOff: number, s: TreeShapScratch): void {
  const { leafSelf, leafDepth, leafPathOff, leafTable, pathFeature, table } = ts;
  loadRow(x, offset, s.row);
  const failed = s.failed;
  const direct = s.poly.r;
  for (let t = 0; t < ts.nTrees; t++) {
    markFailures(ts, t, s);
    for (let l = ts.leafStart[t], end = ts.leafStart[t + 1]; l < end; l++) {
      const d = leafDepth[l];
      const satisfied = ((1 << d) - 1) & ~failed[leafSelf[l]];
      const p = leafPathOff[l];
      const tb = leafTable[l];
      if (tb >= 0) {
        const base = tb + satisfied * d;
        for (let k = 0; k < d; k++) phi[phiOff + pathFeature[p + k]] += table[base + k];
      } else {
        productGameShapley(d, ts.leafValue[l], ts.pathZero, p, satisfied, direct, s.poly);
        for (let k = 0; k < d; k++) phi[phiOff + pathFeature[p + k]] += direct[k];
      }
    }
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
  loadRow(x, offset, s.row);
  const local = new Float64Array(MAX_PATH_FEATURES * MAX_PATH_FEATURES);
  for (let t = 0; t < ts.nTrees; t++) {
    markFailures(ts, t, s);
    for (let l = ts.leafStart[t], end = ts.leafStart[t + 1]; l < end; l++) {
      const d = ts.leafDepth[l];
      const satisfied = ((1 << d) - 1) & ~s.failed[ts.leafSelf[l]];
      const p = ts.leafPathOff[l];
      productGameInteractions(d, ts.leafValue[l], ts.pathZero, p, satisfied, local, s.poly);
      for (let a = 0; a < d; a++) {
        const fa = ts.pathFeature[p + a];
        for (let b = 0; b < d; b++) out[fa * width + ts.pathFeature[p + b]] += local[a * d + b];
      }
    }
  }
  out[m * width + m] = ts.baseValue;
  return out;
}
