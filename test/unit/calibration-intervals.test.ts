/**
 * The analytic intervals of the AUC (DeLong), Brier score (central limit theorem) and calibration slope
 * and intercept (Wald): DeLong's standard error against its definition over all pairs, the interval
 * helpers' properties, the cases where there is no interval and why, and — what shows they are intervals
 * and not only formulas — their coverage in a seeded simulation of a well-calibrated score whose true
 * AUC, Brier score, slope (1) and intercept (0) are known.
 * (The figures themselves are checked against brute-force DeLong, numpy and statsmodels in calibration.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { calibrationStats, deLongAuc, logitInterval, waldInterval, Z_95, type CalibrationStats } from '../../extension/engine/calibration/index';

const RUNS = { numRuns: 200, seed: 20240605 };
const OPTIONS = { bins: 10, strategy: 'uniform', threshold: 0.5 } as const;

function statsOf(scores: number[], outcomes: number[]): CalibrationStats {
  return calibrationStats({ label: 'set', scores: Float64Array.from(scores), outcomes: Uint8Array.from(outcomes), excluded: 0 }, OPTIONS);
}

test("DeLong: AUC and standard error equal the definition over all m × n pairs, ties one half", () => {
  const score = fc.integer({ min: 0, max: 8 }).map((k) => k / 8);
  fc.assert(
    fc.property(fc.array(score, { minLength: 1, maxLength: 40 }), fc.array(score, { minLength: 1, maxLength: 40 }), (p, q) => {
      const m = p.length, n = q.length;
      const psi = (a: number, b: number) => (a > b ? 1 : a === b ? 0.5 : 0);
      const v10 = p.map((a) => q.reduce((s, b) => s + psi(a, b), 0) / n);
      const v01 = q.map((b) => p.reduce((s, a) => s + psi(a, b), 0) / m);
      const auc = v10.reduce((s, v) => s + v, 0) / m;
      const variance = (v: number[]) => v.reduce((s, x) => s + (x - auc) ** 2, 0) / (v.length - 1);
      const got = deLongAuc(Float64Array.from(p).sort(), Float64Array.from(q).sort());
      assert.ok(Math.abs(got.auc - auc) < 1e-12);
      if (m < 2 || n < 2) return assert.equal(got.standardError, null);
      const se = Math.sqrt(variance(v10) / m + variance(v01) / n);
      assert.ok(Math.abs(got.standardError! - se) <= 1e-12 * Math.max(se, 1e-3), `${got.standardError} vs ${se}`);
    }),
    RUNS,
  );
});

test('intervals: Wald is θ̂ ± z·se clipped; the logit interval stays inside (0, 1) and holds θ̂; none without a positive se', () => {
  assert.deepEqual(waldInterval(0.9, 0.1), { ciLow: 0.9 - Z_95 * 0.1, ciHigh: 0.9 + Z_95 * 0.1 });
  assert.deepEqual(waldInterval(0.01, 0.01, 0, 1), { ciLow: 0, ciHigh: 0.01 + Z_95 * 0.01 });
  for (const se of [0, null, NaN]) {
    assert.equal(waldInterval(0.5, se), null);
    assert.equal(logitInterval(0.5, se), null);
  }
  assert.equal(logitInterval(1, 0.1), null);
  assert.equal(logitInterval(0, 0.1), null);
  fc.assert(
    fc.property(fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), fc.double({ min: 1e-9, max: 1, noNaN: true }), (auc, se) => {
      const ci = logitInterval(auc, se)!;
      assert.ok(0 <= ci.ciLow && ci.ciLow <= auc && auc <= ci.ciHigh && ci.ciHigh <= 1);
      // On the logit scale the interval is symmetric, of half-width z·se/(θ̂(1 − θ̂)).
      const lg = (x: number) => Math.log(x / (1 - x));
      const half = (Z_95 * se) / (auc * (1 - auc));
      if (half < 30) assert.ok(Math.abs(lg(ci.ciHigh) - lg(auc) - half) < 1e-6 * Math.max(1, half) && Math.abs(lg(auc) - lg(ci.ciLow) - half) < 1e-6 * Math.max(1, half));
    }),
    RUNS,
  );
});

test('no interval where the method has none, and the warnings say why', () => {
  // Perfect separation: AUC 1, DeLong's variance 0, no slope.
  const separated = statsOf([0.1, 0.2, 0.3, 0.7, 0.8, 0.9], [0, 0, 0, 1, 1, 1]);
  assert.equal(separated.auc, 1);
  assert.equal(separated.standardErrors.auc, 0);
  assert.equal(separated.intervals.auc, null);
  assert.match(separated.warnings.join('\n'), /no AUC interval: the scores separate the outcomes perfectly, so DeLong's variance is 0/);
  assert.deepEqual([separated.intervals.calibrationSlope, separated.intervals.calibrationIntercept, separated.standardErrors.calibrationSlope], [null, null, null]);
  assert.ok(separated.intervals.brier !== null, 'the Brier score still has its interval');
  // One case of a class: an AUC, but no DeLong variance.
  const onePositive = statsOf([0.1, 0.2, 0.3, 0.4, 0.5, 0.35], [0, 0, 0, 0, 0, 1]);
  assert.equal(onePositive.auc, 0.6);
  assert.equal(onePositive.standardErrors.auc, null);
  assert.equal(onePositive.intervals.auc, null);
  assert.match(onePositive.warnings.join('\n'), /no AUC interval: only one case had outcome 1, and DeLong's variance needs at least 2 of each/);
  // Every score the same: AUC ½ with no spread at all.
  const tied = statsOf([0.4, 0.4, 0.4, 0.4], [0, 1, 0, 1]);
  assert.equal(tied.auc, 0.5);
  assert.equal(tied.intervals.auc, null);
  assert.match(tied.warnings.join('\n'), /no AUC interval: every case had the same score/);
  // One case: no spread for the Brier score either.
  const one = statsOf([0.3], [1]);
  assert.equal(one.standardErrors.brier, null);
  assert.equal(one.intervals.brier, null);
  // An ordinary set: every interval, each holding its estimate; the Brier interval inside [0, 1].
  const ordinary = statsOf([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.35, 0.45], [0, 0, 1, 0, 1, 0, 1, 1, 0, 1]);
  for (const name of ['auc', 'brier', 'calibrationSlope', 'calibrationIntercept'] as const) {
    const ci = ordinary.intervals[name]!;
    assert.ok(ci.ciLow <= ordinary[name]! && ordinary[name]! <= ci.ciHigh, name);
  }
  assert.ok(ordinary.intervals.brier!.ciLow >= 0);
});

/** Seeded draws: Mulberry32 uniforms on [0, 1), and standard normals from them by Box–Muller. */
function generator(seed: number): { uniform: () => number; normal: () => number } {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { uniform, normal: () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()) };
}

const sigma = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * A well-calibrated score s = σ(η), η ~ N(μ, τ²), outcome ~ Bernoulli(s): its true slope is 1 and
 * intercept 0, and its AUC and Brier score are integrals over η, here by the midpoint rule on 200,001
 * points over μ ± 12τ (error far below 1e-6):
 *   AUC = ∫∫_{η₁ > η₀} σ(η₁) (1 − σ(η₀)) φ(η₁) φ(η₀) / (π (1 − π)),   π = ∫ σ φ;   Brier = ∫ σ (1 − σ) φ.
 */
function truth(mu: number, tau: number): { auc: number; brier: number } {
  const K = 200_001;
  const h = (24 * tau) / K;
  let below0 = 0, pairs = 0, pi = 0, brier = 0;
  for (let k = 0; k < K; k++) {
    const eta = mu - 12 * tau + (k + 0.5) * h;
    const w = (Math.exp(-0.5 * ((eta - mu) / tau) ** 2) / (tau * Math.sqrt(2 * Math.PI))) * h;
    const s = sigma(eta);
    const f1 = w * s, f0 = w * (1 - s);
    pairs += f1 * (below0 + 0.5 * f0);
    below0 += f0;
    pi += f1;
    brier += w * s * (1 - s);
  }
  return { auc: pairs / (pi * (1 - pi)), brier };
}

test('coverage: over 400 seeded samples of a well-calibrated score, each 95% interval holds the truth 90–99% of the time', (t) => {
  const mu = -0.6, tau = 1.1;
  const truths = { ...truth(mu, tau), calibrationSlope: 1, calibrationIntercept: 0 };
  t.diagnostic(`true AUC ${truths.auc.toFixed(6)}, true Brier ${truths.brier.toFixed(6)}`);
  const replicates = 400;
  for (const n of [150, 1000]) {
    const { uniform, normal } = generator(1000 + n);
    const covered = { auc: 0, brier: 0, calibrationSlope: 0, calibrationIntercept: 0 };
    for (let r = 0; r < replicates; r++) {
      const scores = new Float64Array(n);
      const outcomes = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        scores[i] = sigma(mu + tau * normal());
        outcomes[i] = uniform() < scores[i] ? 1 : 0;
      }
      const s = calibrationStats({ label: 'sample', scores, outcomes, excluded: 0 }, OPTIONS);
      for (const name of Object.keys(covered) as (keyof typeof covered)[]) {
        const ci = s.intervals[name];
        if (ci && ci.ciLow <= truths[name] && truths[name] <= ci.ciHigh) covered[name]++;
      }
    }
    for (const [name, c] of Object.entries(covered)) {
      const share = c / replicates;
      t.diagnostic(`n = ${n}: ${name} interval covered the truth in ${(100 * share).toFixed(1)}% of ${replicates}`);
      assert.ok(share >= 0.9 && share <= 0.99, `n = ${n}: the ${name} interval covered the truth in ${(100 * share).toFixed(1)}% of samples`);
    }
  }
});
