/**
 * The values a changeable feature is tried at: its domain's values other than the case's own, in its
 * direction — all of them where the model is smooth along the feature (a logistic weight), and one per
 * piece where the model is constant on pieces of the feature's axis (a tree ensemble between split
 * thresholds, an instrument item between bin edges): the value of the piece nearest the case's own. Any
 * other value of a piece scores the same and is further away, so it can never be part of a smallest change.
 *
 * The size of a change is |new − old| in the feature's own units (for a whole-number coded item, the
 * number of levels moved), and 1 for a change of category.
 */
import { allowedDirection, gridValue, type ChangeRule, type Domain } from './rules';

export interface Candidate {
  readonly value: number;
  readonly cost: number;
  /** Below (−1) or above (+1) the case's own value; 0 for a category. */
  readonly side: -1 | 0 | 1;
}

/**
 * Where a piecewise-constant model can change along a feature: ascending cuts, a piece starting at each
 * (holding the values v with read(v) ≥ cut). `float32`: values are read as float32 first (XGBoost).
 */
export interface Pieces {
  readonly cuts: Float64Array;
  readonly float32: boolean;
}

/** The piece a present value falls in: how many cuts it has reached. */
export function pieceOf(p: Pieces, v: number): number {
  const r = p.float32 ? Math.fround(v) : v;
  let lo = 0;
  let hi = p.cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (r >= p.cuts[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The smallest k in [from, to] with pred(k), pred monotone (false then true); to + 1 when none. */
function firstTrue(from: number, to: number, pred: (k: number) => boolean): number {
  let lo = from;
  let hi = to + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

type Grid = Extract<Domain, { kind: 'grid' }>;

/** Grid values above x (side +1) or below (−1), nearest first: every one, or the nearest of each piece. */
function gridSide(grid: Grid, x: number, side: 1 | -1, pieces: Pieces | null): Candidate[] {
  const out: Candidate[] = [];
  const at = (k: number) => gridValue(grid, k);
  const push = (k: number) => out.push({ value: at(k), cost: Math.abs(at(k) - x), side });
  if (side === 1) {
    let k = firstTrue(grid.first, grid.last, (i) => at(i) > x);
    if (!pieces) {
      for (; k <= grid.last; k++) push(k);
      return out;
    }
    for (let piece = pieceOf(pieces, x); k <= grid.last; k++) {
      const p = piece;
      k = firstTrue(k, grid.last, (i) => pieceOf(pieces, at(i)) > p);
      if (k > grid.last) break;
      push(k);
      piece = pieceOf(pieces, at(k));
    }
    return out;
  }
  // Below: mirror the search on −k (the last k with at(k) < x, then downwards).
  let k = firstTrue(grid.first, grid.last, (i) => at(i) >= x) - 1;
  if (!pieces) {
    for (; k >= grid.first; k--) push(k);
    return out;
  }
  for (let piece = pieceOf(pieces, x); k >= grid.first; k--) {
    const p = piece;
    // The largest i ≤ k whose piece is below p: piece(at(i)) < p holds for i up to some point.
    const firstNotBelow = firstTrue(grid.first, k, (i) => pieceOf(pieces, at(i)) >= p);
    k = firstNotBelow - 1;
    if (k < grid.first) break;
    push(k);
    piece = pieceOf(pieces, at(k));
  }
  return out;
}

/**
 * The candidate values of a dynamic feature whose case value is x (none when x is missing), cheapest
 * first (ties: lower value first). `pieces` is null where the model is smooth along the feature.
 */
export function candidateValues(rule: ChangeRule, x: number, pieces: Pieces | null): Candidate[] {
  if (x !== x) return [];
  const d = rule.domain;
  let out: Candidate[];
  if (d.kind === 'categories') {
    out = [];
    for (let c = 0; c < d.count; c++) if (c !== x && allowedDirection(rule.direction, x, c)) out.push({ value: c, cost: 1, side: 0 });
  } else {
    out = [...(rule.direction !== 'decrease' ? gridSide(d, x, 1, pieces) : []), ...(rule.direction !== 'increase' ? gridSide(d, x, -1, pieces) : [])];
  }
  return out.sort((a, b) => a.cost - b.cost || a.value - b.value);
}

/**
 * For an additive model (the margin a sum of one term per feature), the candidates that can be part of
 * a smallest change: those that lower the term (gain > 0) more than every nearer value on the same
 * side does. Any other is beaten by a nearer value, so every option using it contains a smaller one.
 * Categories all cost 1 and have no sides: each that lowers the term is kept.
 */
export function additiveFrontier(candidates: readonly Candidate[], gain: (v: number) => number): Candidate[] {
  const best = { [-1]: 0, 0: 0, 1: 0 } as Record<number, number>;
  return candidates.filter((c) => {
    const g = gain(c.value);
    if (!(g > best[c.side])) return false;
    if (c.side !== 0) best[c.side] = g;
    return true;
  });
}
