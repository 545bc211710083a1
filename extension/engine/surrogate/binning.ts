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
  /** n rows of one code per column, as ml-cart takes its training set. */
  readonly rows: number[][];
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

/** Edges for the present values of a numeric feature (sorted ascending). */
export function numericEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const edges: number[] = [];
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct <= maxBins) {
    for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) edges.push(readableCut(sorted[i - 1], sorted[i]));
    return Float64Array.from(edges);
  }
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

/** Category indexes ordered by the mean score of their cases; categories no case has come last. */
function categoryOrder(x: Float64Array, m: number, j: number, n: number, score: Float64Array, k: number): number[] {
  const sum = new Float64Array(k);
  const count = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const v = x[i * m + j];
    if (v !== v) continue;
    sum[v] += score[i];
    count[v]++;
  }
  const seen = [...Array(k).keys()].filter((c) => count[c] > 0).sort((a, b) => sum[a] / count[a] - sum[b] / count[b] || a - b);
  return [...seen, ...[...Array(k).keys()].filter((c) => count[c] === 0)];
}

/** The code of a present value. */
export function codeOf(binning: Binning, v: number, rank?: Int32Array): number {
  if (binning.kind === 'numeric') return upperBound(binning.edges, v);
  return rank ? rank[v] : binning.order.indexOf(v);
}

export function encodeFeatures(x: Float64Array, n: number, features: readonly FeatureInfo[], score: Float64Array, maxBins: number): Encoded {
  const m = features.length;
  const columns: EncodedColumn[] = [];
  const codes: Int32Array[] = [];
  for (let j = 0; j < m; j++) {
    const present: number[] = [];
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i * m + j];
      if (v !== v) missing++;
      else present.push(v);
    }
    const categories = features[j].categories;
    let binning: Binning;
    let nCodes: number;
    let rank: Int32Array | undefined;
    if (categories) {
      const order = categoryOrder(x, m, j, n, score, categories.length);
      binning = { kind: 'categories', order };
      nCodes = order.length;
      rank = new Int32Array(order.length);
      order.forEach((c, r) => (rank![c] = r));
    } else {
      const sorted = Float64Array.from(present).sort();
      binning = { kind: 'numeric', edges: numericEdges(sorted, maxBins) };
      nCodes = binning.edges.length + 1;
    }
    const distinctCodes = new Set<number>();
    const code = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = x[i * m + j];
      if (v === v) {
        code[i] = codeOf(binning, v, rank);
        distinctCodes.add(code[i]);
      }
    }
    // A column with one value offers no split.
    if (distinctCodes.size + (missing > 0 ? 1 : 0) < 2) continue;
    const missingCodes = missing > 0 ? [-1, nCodes] : [null];
    for (const missingCode of missingCodes) {
      columns.push({ feature: j, binning, nCodes, missingCode });
      const c = Int32Array.from(code);
      if (missingCode !== null) for (let i = 0; i < n; i++) if (x[i * m + j] !== x[i * m + j]) c[i] = missingCode;
      codes.push(c);
    }
  }
  const rows = new Array<number[]>(n);
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(codes.length);
    for (let c = 0; c < codes.length; c++) row[c] = codes[c][i];
    rows[i] = row;
  }
  return { columns, rows };
}
