/**
 * Shapley values of a *product game*, the building block of exact path-dependent TreeSHAP.
 *
 * One leaf of a tree, reached through splits on d distinct features, defines a game on those d features
 * (Lundberg et al. 2020, "From local explanations to global understanding", Algorithm 1, read one leaf
 * at a time). For a coalition S the leaf's share of the expected prediction is
 *
 *     v(S) = value · Π_{k∈S} o_k · Π_{k∉S} z_k
 *
 * where o_k ∈ {0,1} says whether the case satisfies *every* split on feature k along the leaf's path, and
 * z_k ∈ (0,1] is the product of the cover fractions (child cover / parent cover) of those splits: the
 * share of training cover that would flow towards the leaf if k were unknown. Shapley values are linear
 * in the game, so a tree's attributions are the sum over its leaves of this game's values.
 *
 * For a product game the Shapley formula collapses to a polynomial. With
 *     w_s = s! (d−1−s)! / d!               (the weight of a coalition of size s not containing k)
 *     E_k(t) = Π_{j≠k} (z_j + o_j·t) = Σ_s e_{k,s} t^s
 * the Shapley value of k is
 *     φ_k = value · (o_k − z_k) · Σ_{s=0}^{d−1} w_s · e_{k,s},
 * because v(S∪{k}) − v(S) = value·(o_k − z_k)·Π_{j∈S} o_j·Π_{j∉S∪{k}} z_j and e_{k,s} sums exactly
 * those products over the coalitions of size s. E_k is the full product P(t) = Π_j (z_j + o_j t) with
 * k's factor divided out, so all d values cost O(d²).
 *
 * The pairwise interaction values XGBoost's `pred_interactions` reports (Lundberg et al. 2020, eq. 10
 * in the path-dependent form) condition the game on feature i being known (`o_i`) or unknown (`z_i`):
 *     Φ_ij = ½ · (φ_j | i known − φ_j | i unknown) = ½ · value · (o_i − z_i)(o_j − z_j) · Σ_{s=0}^{d−2} u_s · e_{ij,s}
 * with u_s = s!(d−2−s)!/(d−1)! and e_{ij} the coefficients of P with both i's and j's factors divided
 * out. The main effect is what is left: Φ_ii = φ_i − Σ_{j≠i} Φ_ij.
 *
 * The satisfied set O is passed as a bit mask (bit k ⇔ o_k = 1); features are the leaf's path slots.
 */

/** `weights(d)[s]` = s!(d−1−s)!/d!, s = 0 … d−1; cached because every leaf of depth d shares them. */
const weightCache: Float64Array[] = [];

export function shapleyWeights(d: number): Float64Array {
  let w = weightCache[d];
  if (w === undefined) {
    w = new Float64Array(Math.max(d, 1));
    // s!(d−1−s)!/d! = 1 / (d · C(d−1, s)); the binomial is built by the recurrence to stay exact for small d.
    let binom = 1;
    for (let s = 0; s < d; s++) {
      w[s] = 1 / (d * binom);
      binom = (binom * (d - 1 - s)) / (s + 1);
    }
    weightCache[d] = w;
  }
  return w;
}

/**
 * Coefficients of P(t) = Π_{k<d} (z_k + o_k t) into `poly[0..d]`.
 * `z` is read at `zOff`; `skip` (a bit mask) leaves factors out.
 */
function expand(d: number, z: Float64Array, zOff: number, satisfied: number, skip: number, poly: Float64Array): number {
  poly[0] = 1;
  let degree = 0;
  for (let k = 0; k < d; k++) {
    if ((skip >> k) & 1) continue;
    const zk = z[zOff + k];
    if ((satisfied >> k) & 1) {
      // multiply by (zk + t)
      poly[degree + 1] = poly[degree];
      for (let s = degree; s > 0; s--) poly[s] = poly[s] * zk + poly[s - 1];
      poly[0] *= zk;
      degree++;
    } else {
      for (let s = 0; s <= degree; s++) poly[s] *= zk;
    }
  }
  return degree;
}

/**
 * Divides P (of the given degree) by k's factor into `q`; returns q's degree. Dividing by (z + t) runs
 * from the top coefficient down, which only ever multiplies by z ≤ 1 and so does not amplify rounding.
 * A zero cover fraction cannot be divided by; the caller then re-expands without the factor.
 */
function divideOut(poly: Float64Array, degree: number, zk: number, satisfiedK: boolean, q: Float64Array): number {
  if (satisfiedK) {
    q[degree - 1] = poly[degree];
    for (let s = degree - 1; s > 0; s--) q[s - 1] = poly[s] - zk * q[s];
    return degree - 1;
  }
  const inv = 1 / zk;
  for (let s = 0; s <= degree; s++) q[s] = poly[s] * inv;
  return degree;
}

/** Scratch polynomials, sized for the deepest path a forest has (grown on demand). */
export class PolyScratch {
  poly = new Float64Array(33);
  q = new Float64Array(33);
  r = new Float64Array(33);
}

function weightedSum(w: Float64Array, q: Float64Array, degree: number): number {
  let sum = 0;
  for (let s = 0; s <= degree; s++) sum += w[s] * q[s];
  return sum;
}

/**
 * The product game's Shapley values, one per path slot, into `out[0..d)`. `z` is read at `zOff`.
 */
export function productGameShapley(d: number, value: number, z: Float64Array, zOff: number, satisfied: number, out: Float64Array, scratch: PolyScratch): void {
  const { poly, q } = scratch;
  const w = shapleyWeights(d);
  const degree = expand(d, z, zOff, satisfied, 0, poly);
  for (let k = 0; k < d; k++) {
    const zk = z[zOff + k];
    const ok = (satisfied >> k) & 1;
    let qDegree: number;
    if (zk === 0 && !ok) qDegree = expand(d, z, zOff, satisfied, 1 << k, q);
    else qDegree = divideOut(poly, degree, zk, ok === 1, q);
    out[k] = value * (ok - zk) * weightedSum(w, q, qDegree);
  }
}

/**
 * The product game's interaction values in slot space: the row-major d×d matrix `out` gets Φ_ij off the
 * diagonal (each of Φ_ij and Φ_ji is half the pair's joint effect) and the main effects Φ_ii on it.
 * O(d⁴), which is fine one case at a time (the panel, `explain --case`).
 */
export function productGameInteractions(d: number, value: number, z: Float64Array, zOff: number, satisfied: number, out: Float64Array, scratch: PolyScratch): void {
  const main = scratch.r;
  productGameShapley(d, value, z, zOff, satisfied, main, scratch);
  const u = shapleyWeights(d - 1);
  const r = scratch.q;
  for (let i = 0; i < d; i++) out[i * d + i] = main[i];
  for (let i = 0; i < d; i++) {
    const di = ((satisfied >> i) & 1) - z[zOff + i];
    for (let j = i + 1; j < d; j++) {
      const dj = ((satisfied >> j) & 1) - z[zOff + j];
      const degree = expand(d, z, zOff, satisfied, (1 << i) | (1 << j), r);
      const phi = 0.5 * value * di * dj * weightedSum(u, r, degree);
      out[i * d + j] = phi;
      out[j * d + i] = phi;
      out[i * d + i] -= phi;
      out[j * d + j] -= phi;
    }
  }
}
