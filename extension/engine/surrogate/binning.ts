/**
 * Features coded as small whole numbers before the tree is grown, so that every node weighs a bounded
 * number of candidate splits whatever the number of cases.
 *
 * - A numeric feature with at most `maxBins` distinct values keeps each value as its own code; one with
 *   more is cut at quantiles into at most `maxBins` codes. Code(v) = number of edges ≤ v, so the split
 *   "code < k" is "v < edges[k−1]". Each edge is the shortest decimal in (u, w], where u < w are the
 *   neighbouring values it separates, so rules read "≥ 3" rather than "≥ 2.5", and the cases on each side
 *   are exactly those the codes put there.
 * - A categorical feature is coded by the rank of its categories' mean score (categories no case has
 *   come last). For squared error, the best split of a node into two sets of categories is a cut of the
 *   categories ordered by their mean (Breiman et al., 1984, §9.4); ranking once by the mean over every
 *   case makes that exact at the root and a close approximation below it.
 * - A feature with missing values gets two columns: one where missing sorts below every value, one
 *   where it sorts above. The tree picks whichever gives the better split, which is a default direction
 *   for missing values learnt split by split (as XGBoost does), and a cut between missing and the rest
 *   ("is the value known") is available in both.
 */
import type { FeatureInfo } from '../models/types';

export type Binning =
  | { readonly kind: 'numeric'; readonly edges: Float64Array }
  /** `order[r]` is the category index of rank r. */
  | { readonly kind: 'categories'; readonly order: readonly number[] };

export interface EncodedColumn {
  /** Index of the feature in model order. */
  readonly feature: number;
  readonly binning: Binning;
  /** Codes of present values are 0 … nCodes − 1. */
  readonly nCodes: number;
  /** The code of a missing value: −1, nCodes, or null when no case has the value missing. */
  readonly missingCode: number | null;
}

export interface Encoded {
  readonly columns: readonly EncodedColumn[];
  /** The codes of every case, one array per column (shifted by CODE_SHIFT). */
  readonly codes: readonly Int32Array[];
}

/** The shortest decimal t with lo < t ≤ hi (hi itself when none is shorter). */
export function readableCut(lo: number, hi: number): number {
  for (let digits = -15; digits <= 15; digits++) {
    // The next multiple of 10^−digits above lo, computed so that 10^digits stays an exact integer.
    const t = digits < 0 ? (Math.floor(lo / 10 ** -digits) + 1) * 10 ** -digits : (Math.floor(lo * 10 ** digits) + 1) / 10 ** digits;
    if (t > lo && t <= hi) return t;
  }
  return hi;
}

/** The number of entries ≤ v. */
function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Edges for the present values of a numeric feature. */
export function numericEdges(values: Float64Array, maxBins: number): Float64Array {
  const distinct = new Set<number>();
  for (let i = 0; i < values.length && distinct.size <= maxBins; i++) distinct.add(values[i]);
  const edges: number[] = [];
  if (distinct.size <= maxBins) {
    const sorted = Float64Array.from(distinct).sort();
    for (let k = 1; k < sorted.length; k++) edges.push(readableCut(sorted[k - 1], sorted[k]));
    return Float64Array.from(edges);
  }
  // Quantiles of an evenly spaced sample: any edges give exact splits; these only need to be near quantiles.
  const stride = Math.max(1, Math.floor(values.length / QUANTILE_SAMPLE));
  const sorted = new Float64Array(Math.ceil(values.length / stride));
  for (let i = 0, k = 0; i < values.length; i += stride, k++) sorted[k] = values[i];
  sorted.sort();
  let lastStart = -Infinity;
  for (let q = 1; q < maxBins; q++) {
    const v = sorted[Math.floor((q * sorted.length) / maxBins)];
    if (v === lastStart) continue;
    const below = lowerBound(sorted, v);
    if (below === 0) continue;
    edges.push(readableCut(sorted[below - 1], v));
    lastStart = v;
  }
  return Float64Array.from(edges);
}

/** Cases a continuous feature's quantiles are estimated from. */
const QUANTILE_SAMPLE = 16384;

/** Category indexes ordered by the mean score of their cases; categories no case has come last. */
function categoryOrder(values: Float64Array, score: Float64Array, k: number): number[] {
  const sum = new Float64Array(k);
  const count = new Float64Array(k);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    sum[v] += score[i];
    count[v]++;
  }
  const seen = [...Array(k).keys()].filter((c) => count[c] > 0).sort((a, b) => sum[a] / count[a] - sum[b] / count[b] || a - b);
  return [...seen, ...[...Array(k).keys()].filter((c) => count[c] === 0)];
}

function presentValues(values: Float64Array, missing: number): Float64Array {
  if (!missing) return values;
  const out = new Float64Array(values.length - missing);
  for (let i = 0, k = 0; i < values.length; i++) if (values[i] === values[i]) out[k++] = values[i];
  return out;
}

/**
 * The codes ml-cart sees are shifted up by one so that all are whole numbers from 0: a missing value
 * coded below every value is 0, present values 1 … nCodes, a missing value coded above them nCodes + 1.
 */
export const CODE_SHIFT = 1;

/** Each present value's code, shifted by CODE_SHIFT (missing values are filled in per column). */
function presentCodes(values: Float64Array, binning: Binning): Int32Array {
  const code = new Int32Array(values.length);
  if (binning.kind === 'categories') {
    const rank = new Int32Array(binning.order.length);
    binning.order.forEach((c, r) => (rank[c] = r));
    for (let i = 0; i < values.length; i++) if (values[i] === values[i]) code[i] = rank[values[i]] + CODE_SHIFT;
    return code;
  }
  const edges = binning.edges;
  const last = edges.length - 1;
  if (last < 15) {
    for (let i = 0; i < values.length; i++) if (values[i] === values[i]) code[i] = upperBound(edges, values[i]) + CODE_SHIFT;
    return code;
  }
  // A binary search per value mispredicts a branch at every level; instead, a grid over the edges' range
  // gives a first guess, and a step or two from it finds the code (exactly, whatever the guess).
  const cells = 4 * edges.length;
  const width = (edges[last] - edges[0]) / cells;
  const guess = new Int32Array(cells + 1);
  for (let g = 0; g <= cells; g++) guess[g] = upperBound(edges, edges[0] + g * width);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    let c = v < edges[0] ? 0 : v >= edges[last] ? last + 1 : guess[Math.min(cells, Math.floor((v - edges[0]) / width))];
    while (c <= last && edges[c] <= v) c++;
    while (c > 0 && edges[c - 1] > v) c--;
    code[i] = c + CODE_SHIFT;
  }
  return code;
}

/** The row-major n × m matrix as m columns, in one pass over the rows. */
function columnsOf(x: Float64Array, n: number, m: number): Float64Array[] {
  const columns = Array.from({ length: m }, () => new Float64Array(n));
  for (let i = 0, at = 0; i < n; i++) for (let j = 0; j < m; j++, at++) columns[j][i] = x[at];
  return columns;
}

export function encodeFeatures(x: Float64Array, n: number, features: readonly FeatureInfo[], score: Float64Array, maxBins: number): Encoded {
  const columns: EncodedColumn[] = [];
  const codes: Int32Array[] = [];
  columnsOf(x, n, features.length).forEach((values, j) => {
    let missing = 0;
    for (let i = 0; i < n; i++) if (values[i] !== values[i]) missing++;
    const categories = features[j].categories;
    const binning: Binning = categories
      ? { kind: 'categories', order: categoryOrder(values, score, categories.length) }
      : { kind: 'numeric', edges: numericEdges(presentValues(values, missing), maxBins) };
    const nCodes = binning.kind === 'numeric' ? binning.edges.length + 1 : binning.order.length;
    const code = presentCodes(values, binning);
    const seen = new Uint8Array(nCodes + CODE_SHIFT);
    let distinct = 0;
    for (let i = 0; i < n; i++) {
      if (values[i] !== values[i] || seen[code[i]]) continue;
      seen[code[i]] = 1;
      distinct++;
    }
    // A column with one value offers no split.
    if (distinct + (missing > 0 ? 1 : 0) < 2) return;
    for (const missingCode of missing > 0 ? [-1, nCodes] : [null]) {
      columns.push({ feature: j, binning, nCodes, missingCode });
      if (missingCode === null) {
        codes.push(code);
        continue;
      }
      const c = Int32Array.from(code);
      for (let i = 0; i < n; i++) if (values[i] !== values[i]) c[i] = missingCode + CODE_SHIFT;
      codes.push(c);
    }
  });
  return { columns, codes };
}
