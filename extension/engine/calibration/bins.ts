/**
 * Reliability-diagram bins, placed exactly as scikit-learn 1.2's `calibration_curve` places them.
 *
 * Edges e_0 < … < e_B (B bins):
 *   - uniform:  e = numpy.linspace(0, 1, B + 1), i.e. e_k = k · (1/B) in floating point, e_B = 1 exactly
 *     (so e_3 of 10 bins is 0.30000000000000004, as numpy has it);
 *   - quantile: e = numpy.percentile(scores, linspace(0, 1, B + 1) · 100) with numpy's default "linear"
 *     rule: the q-th quantile of the sorted scores s_0 ≤ … ≤ s_{N−1} sits at virtual index h = (N − 1)·q;
 *     with i = ⌊h⌋ and γ = h − i it is s_i + (s_{i+1} − s_i)·γ, computed from the upper end,
 *     s_{i+1} − (s_{i+1} − s_i)·(1 − γ), when γ ≥ ½ (numpy's `_lerp`), and s_{N−1} when h ≥ N − 1.
 *     Ties can make neighbouring edges equal; the bins between them are then empty;
 *   - values:   one bin per distinct score v_0 < … < v_{B−1} (a score on its own scale with few values,
 *     such as deciles or an instrument's total): e = (v_0, v_0, v_1, …, v_{B−1}), so that bin 0 is
 *     [v_0, v_0] and bin b > 0 is (v_{b−1}, v_b], which holds v_b alone.
 *
 * A score p goes to bin b = #{k ∈ 1..B−1 : e_k < p}, numpy.searchsorted(e[1:-1], p) (side "left"):
 * bin 0 is [e_0, e_1], bin b > 0 is (e_b, e_{b+1}]. A score exactly on an inner edge therefore belongs to
 * the bin *below* it (scikit-learn ≥ 1.1; older releases used numpy.digitize, which puts it above),
 * and a score of 0 or 1 to the first or last bin. Unlike scikit-learn, which drops empty bins, every bin
 * is kept (with n = 0) so that the bins of different groups line up.
 */

export type BinStrategy = 'uniform' | 'quantile' | 'values';

/** numpy.linspace(0, 1, count + 1). */
export function uniformEdges(count: number): Float64Array {
  const edges = new Float64Array(count + 1);
  const step = 1 / count;
  for (let k = 0; k < count; k++) edges[k] = k * step;
  edges[count] = 1;
  return edges;
}

/**
 * numpy.percentile(sorted, qs) with the default linear method, for `qs` in percent; `sorted` ascending
 * and non-empty. Shared by the quantile bins and the bootstrap intervals.
 */
export function percentilesOfSorted(sorted: ArrayLike<number>, qs: ArrayLike<number>): Float64Array {
  const n = sorted.length;
  const out = new Float64Array(qs.length);
  for (let k = 0; k < qs.length; k++) {
    const h = (n - 1) * (qs[k] / 100);
    if (h >= n - 1) {
      out[k] = sorted[n - 1];
      continue;
    }
    const i = Math.floor(h);
    const gamma = h - i;
    const a = sorted[i];
    const b = sorted[i + 1];
    const diff = b - a;
    out[k] = gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
  }
  return out;
}

/** Quantile edges of ascending `sorted` scores (at least one). */
export function quantileEdges(sorted: ArrayLike<number>, count: number): Float64Array {
  const qs = uniformEdges(count).map((q) => q * 100);
  return percentilesOfSorted(sorted, qs);
}

/** Edges of one bin per distinct value of ascending `sorted` scores (at least one). */
export function valueEdges(sorted: ArrayLike<number>): Float64Array {
  const values: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) values.push(sorted[i]);
  return Float64Array.from([values[0], ...values]);
}

/**
 * The bin of score p: how many inner edges lie strictly below it (numpy.searchsorted, side "left"),
 * by binary search.
 */
export function binOf(edges: ArrayLike<number>, p: number): number {
  let lo = 1;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < p) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * The same bin as `binOf`, found by walking from a guess: for uniform edges ⌊p·B⌋ is at most one bin off
 * (rounding at the edges), so this takes one or two comparisons instead of a binary search.
 */
export function binFrom(edges: ArrayLike<number>, p: number, guess: number): number {
  let b = guess;
  while (b > 0 && !(edges[b] < p)) b--;
  while (b < edges.length - 2 && edges[b + 1] < p) b++;
  return b;
}
