/**
 * Logistic recalibration (Cox 1958): the calibration slope and intercept are the maximum-likelihood
 * coefficients (a, b) of
 *
 *     P(y = 1 | s) = σ(a + b · logit(s)),   s clipped to [1e-15, 1 − 1e-15],
 *
 * unpenalised. A perfectly calibrated score has a = 0, b = 1; b < 1 means the scores are too extreme
 * (over-fitting), b > 1 too timid. The fit is Newton's method (iteratively reweighted least squares) on
 * the 2 × 2 system: gradient g = Σ (y − μ)(1, x), Hessian H = Σ μ(1 − μ)(1, x)ᵀ(1, x), step H⁻¹g,
 * started at the calibrated point (0, 1) and halved while the log-likelihood would fall (by more than its
 * rounding, 1e-12 relative). Convergence is quadratic, so once the next step is below 1e-7 (relative)
 * it is taken and the fit stops: the error left is of the order of the step's square, far inside the
 * 1e-6 the fit is checked to.
 *
 * Standard errors (Wald): the observed Fisher information at the fit is I = H(â, b̂) (for the logistic
 * model it equals the expected information), and the estimates are asymptotically normal with covariance
 * I⁻¹, so
 *
 *     se(â) = √(I⁻¹)₀₀ = √(H₁₁ / det H),   se(b̂) = √(I⁻¹)₁₁ = √(H₀₀ / det H),   det H = H₀₀H₁₁ − H₀₁²,
 *
 * what statsmodels' `Logit(...).fit().bse` reports. H must be the one at the final estimate θ + δ, not at
 * the iterate θ the last step δ (≤ 1e-7) was taken from: that would be off by about 1e-7 relative. Rather
 * than a further pass over the cases, the pass at θ also sums the Hessian's derivatives
 * T_k = Σ w(1 − 2μ) x^k (∂w/∂η = w(1 − 2μ), w = μ(1 − μ)), and H(θ + δ) = H(θ) + Σ w(1 − 2μ)(δa + δb·x)(1, x)ᵀ(1, x),
 * exact up to O(δ²) ≈ 1e-14.
 *
 * No finite maximum exists when the outcomes are all one class, when every case has the same score, or
 * when the score separates the outcomes perfectly; the fit then says which, instead of a number.
 */
import { logit } from '../models/score';

export type Recalibration =
  | { readonly slope: number; readonly intercept: number; readonly slopeStandardError: number; readonly interceptStandardError: number }
  | { readonly slope: null; readonly intercept: null; readonly reason: string };

const EPS = 1e-15;
const MAX_ITERATIONS = 100;
const TOLERANCE = 1e-7;

/** logit(s) with s clipped to [1e-15, 1 − 1e-15], into `out`. */
export function clippedLogits(scores: Float64Array, out = new Float64Array(scores.length)): Float64Array {
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    out[i] = logit(s < EPS ? EPS : s > 1 - EPS ? 1 - EPS : s);
  }
  return out;
}

interface Evaluation {
  readonly ll: number;
  readonly g0: number;
  readonly g1: number;
  readonly h00: number;
  readonly h01: number;
  readonly h11: number;
  /** T_k = Σ w(1 − 2μ) x^k, k = 0..3: the Hessian's derivatives (∂w/∂η = w(1 − 2μ)). */
  readonly t0: number;
  readonly t1: number;
  readonly t2: number;
  readonly t3: number;
}

/** Log-likelihood, gradient, Hessian and the Hessian's derivatives at (a, b), in one pass (one exp and one log1p a case). */
function evaluate(x: Float64Array, y: Uint8Array, a: number, b: number): Evaluation {
  let ll = 0, g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const eta = a + b * xi;
    const t = Math.exp(-Math.abs(eta));
    const mu = eta >= 0 ? 1 / (1 + t) : t / (1 + t);
    // log σ(η) = −softplus(−η) and log(1 − σ(η)) = −softplus(−η) − η, stable for large |η|
    const softplusOfMinus = (eta < 0 ? -eta : 0) + Math.log1p(t);
    ll -= y[i] ? softplusOfMinus : softplusOfMinus + eta;
    const r = y[i] - mu;
    const w = mu * (1 - mu);
    g0 += r;
    g1 += r * xi;
    const wx = w * xi;
    const wxx = wx * xi;
    h00 += w;
    h01 += wx;
    h11 += wxx;
    const v = 1 - 2 * mu;
    t0 += w * v;
    t1 += wx * v;
    t2 += wxx * v;
    t3 += wxx * xi * v;
  }
  return { ll, g0, g1, h00, h01, h11, t0, t1, t2, t3 };
}

/**
 * Fits (a, b) on logits `x` (from `clippedLogits`) and outcomes `y` (0/1) with `positives` ones,
 * starting from `start` (default the calibrated point; a nearby fit, such as everyone's for a group,
 * saves an iteration).
 */
export function recalibrate(x: Float64Array, y: Uint8Array, positives: number, start: { readonly slope: number; readonly intercept: number } = { slope: 1, intercept: 0 }): Recalibration {
  const n = x.length;
  if (positives === 0 || positives === n) {
    return { slope: null, intercept: null, reason: `every case had outcome ${positives === 0 ? 0 : 1}, so no slope can be fitted` };
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (x[i] < min) min = x[i];
    if (x[i] > max) max = x[i];
  }
  if (min === max) return { slope: null, intercept: null, reason: 'every case had the same score, so no slope can be fitted' };

  let a = start.intercept;
  let b = start.slope;
  let cur = evaluate(x, y, a, b);
  for (let iter = 0; iter < MAX_ITERATIONS; iter++) {
    // Every outcome predicted with certainty: the score separates them and the fit runs off to infinity.
    if (cur.ll > -1e-9) break;
    const det = cur.h00 * cur.h11 - cur.h01 * cur.h01;
    if (!(det > 0)) break;
    let da = (cur.h11 * cur.g0 - cur.h01 * cur.g1) / det;
    let db = (cur.h00 * cur.g1 - cur.h01 * cur.g0) / det;
    // Within the quadratic region the error after this step is of the order of its square: take it and stop.
    if (Math.abs(da) <= TOLERANCE * (1 + Math.abs(a)) && Math.abs(db) <= TOLERANCE * (1 + Math.abs(b))) {
      // The information at the estimate, H(θ + δ) = H(θ) + Σ w(1 − 2μ)(δa + δb·x)(1, x)ᵀ(1, x) + O(δ²).
      const h00 = cur.h00 + da * cur.t0 + db * cur.t1;
      const h01 = cur.h01 + da * cur.t1 + db * cur.t2;
      const h11 = cur.h11 + da * cur.t2 + db * cur.t3;
      const detH = h00 * h11 - h01 * h01;
      return { slope: b + db, intercept: a + da, slopeStandardError: Math.sqrt(h00 / detH), interceptStandardError: Math.sqrt(h11 / detH) };
    }
    let next = evaluate(x, y, a + da, b + db);
    // Halve only on a real fall: near the optimum the log-likelihood changes less than its rounding.
    for (let halvings = 0; !(next.ll >= cur.ll - 1e-12 * Math.abs(cur.ll)) && halvings < 60; halvings++) {
      da /= 2;
      db /= 2;
      next = evaluate(x, y, a + da, b + db);
    }
    a += da;
    b += db;
    cur = next;
  }
  return { slope: null, intercept: null, reason: 'the score separates the outcomes perfectly, so the fit has no finite slope' };
}
