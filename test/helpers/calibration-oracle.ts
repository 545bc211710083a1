/**
 * Checks calibration results (the engine's, or the CLI's JSON) against the reference figures written by
 * test/oracles/calibration_fixtures.py (scikit-learn, numpy, scipy), to 1e-6, and the standard errors and
 * their intervals (brute-force DeLong, statsmodels, numpy) to 1e-9 relative, and records the largest
 * deviation seen per oracle.
 *
 * Why 1e-9 relative for the standard errors: both sides compute them from the same numbers in a
 * different order (a merge against a pairwise matrix, sequential against numpy's pairwise sums), which
 * costs about N·ε ≈ 1e-12 at these sizes, and the fits agree to about 1e-14; every plausible slip is far
 * larger — N against N − 1 in a variance (≥ 1e-4 here), the information taken one Newton step early
 * (≈ 1e-7), z rounded differently (2e-8) — so 1e-9 leaves a wide margin and still catches each of them.
 */
import assert from 'node:assert/strict';
import type { CalibrationStats } from '../../extension/engine/calibration/index';

export const TOLERANCE = 1e-6;

type Pair = [number, number] | null;
export interface Figures {
  group?: string;
  n: number;
  positives: number;
  excludedUnknownOutcome: number;
  edges?: number[];
  binCounts?: number[];
  binPositives?: number[];
  probTrue?: number[];
  probPred?: number[];
  binIntervals?: Pair[];
  ece?: number;
  brier?: number;
  meanScore?: number;
  observedRate?: number;
  auc?: number | null;
  calibrationSlope?: number | null;
  calibrationIntercept?: number | null;
  confusion?: { tp: number; fp: number; fn: number; tn: number };
  fpr?: number | null;
  fnr?: number | null;
  ppv?: number | null;
  selectionRate?: number;
  intervals?: Record<string, Pair>;
  standardErrors?: Record<SeFigure, number | null>;
  figureIntervals?: Record<SeFigure, Pair>;
}
type SeFigure = 'auc' | 'brier' | 'calibrationSlope' | 'calibrationIntercept';
export const RELATIVE_TOLERANCE = 1e-9;
export interface Setting {
  bins: number;
  strategy: 'uniform' | 'quantile';
  threshold: number;
  overall: Figures;
  groups: Figures[];
}

/** Largest absolute deviations from the oracles seen in this file, and how many figures were compared, reported at the end. */
export const maxDeviation = { 'scikit-learn/numpy': 0, 'scipy Wilson': 0, 'DeLong brute force (relative)': 0, 'numpy Brier SE (relative)': 0, 'statsmodels Logit bse (relative)': 0, 'their intervals (relative)': 0 };
export const comparisons: Record<keyof typeof maxDeviation, number> = { 'scikit-learn/numpy': 0, 'scipy Wilson': 0, 'DeLong brute force (relative)': 0, 'numpy Brier SE (relative)': 0, 'statsmodels Logit bse (relative)': 0, 'their intervals (relative)': 0 };
/** The oracles whose figures are compared relatively, to RELATIVE_TOLERANCE. */
type RelativeOracle = 'DeLong brute force (relative)' | 'numpy Brier SE (relative)' | 'statsmodels Logit bse (relative)' | 'their intervals (relative)';
export const RELATIVE_ORACLES: readonly RelativeOracle[] = ['DeLong brute force (relative)', 'numpy Brier SE (relative)', 'statsmodels Logit bse (relative)', 'their intervals (relative)'];
const SE_ORACLE: Record<SeFigure, RelativeOracle> = {
  auc: 'DeLong brute force (relative)',
  brier: 'numpy Brier SE (relative)',
  calibrationSlope: 'statsmodels Logit bse (relative)',
  calibrationIntercept: 'statsmodels Logit bse (relative)',
};

export function close(actual: number | null, expected: number | null | undefined, what: string): void {
  if (expected === null || expected === undefined) {
    assert.equal(actual, null, `${what}: expected no value, got ${actual}`);
    return;
  }
  assert.ok(actual !== null, `${what}: expected ${expected}, got null`);
  const d = Math.abs(actual - expected);
  const oracle = /Wilson/.test(what) ? 'scipy Wilson' : 'scikit-learn/numpy';
  maxDeviation[oracle] = Math.max(maxDeviation[oracle], d);
  comparisons[oracle]++;
  assert.ok(d <= TOLERANCE, `${what}: ${actual} vs scikit-learn ${expected} (off by ${d})`);
}

/** `actual` within 1e-9 of `expected`, relative (both null, or both numbers). */
export function closeRelative(actual: number | null, expected: number | null, what: string, oracle: RelativeOracle): void {
  if (expected === null) {
    assert.equal(actual, null, `${what}: expected no value, got ${actual}`);
    return;
  }
  assert.ok(actual !== null, `${what}: expected ${expected}, got null`);
  // Exact zeros (a Brier interval clipped at 0) stay exact; otherwise relative.
  const d = expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
  maxDeviation[oracle] = Math.max(maxDeviation[oracle], d);
  comparisons[oracle]++;
  assert.ok(d <= RELATIVE_TOLERANCE, `${what}: ${actual} vs ${expected} (off by ${d} relative)`);
}

/** Checks one set of cases against the oracle, figure by figure. */
export function checkFigures(actual: CalibrationStats, expected: Figures, where: string, exactEdges = true): void {
  assert.equal(actual.n, expected.n, `${where}: n`);
  assert.equal(actual.positives, expected.positives, `${where}: positives`);
  assert.equal(actual.excludedUnknownOutcome, expected.excludedUnknownOutcome, `${where}: excluded`);
  if (expected.n === 0) return;
  // Bins: every bin listed; the non-empty ones, in order, are calibration_curve's.
  assert.deepEqual(actual.bins.map((b) => b.n), expected.binCounts, `${where}: bin counts`);
  assert.deepEqual(actual.bins.map((b) => b.positives), expected.binPositives, `${where}: bin positives`);
  // Edges exactly (the engine's tests score with the oracle's very numbers), or to 1e-6 where the scores
  // themselves were computed apart (the CLI's), since quantile edges are scores.
  const edge = (a: number, e: number, what: string) => (exactEdges ? assert.equal(a, e, `${what} (exact)`) : close(a, e, what));
  expected.edges!.slice(0, -1).forEach((e, k) => edge(actual.bins[k].lower, e, `${where}: edge ${k}`));
  expected.edges!.slice(1).forEach((e, k) => edge(actual.bins[k].upper, e, `${where}: edge ${k + 1}`));
  const filled = actual.bins.filter((b) => b.n > 0);
  assert.equal(filled.length, expected.probTrue!.length, `${where}: non-empty bins`);
  filled.forEach((b, k) => {
    close(b.observedRate, expected.probTrue![k], `${where}: bin ${k} prob_true`);
    close(b.meanScore, expected.probPred![k], `${where}: bin ${k} prob_pred`);
    close(b.ciLow, expected.binIntervals![k]![0], `${where}: bin ${k} Wilson low`);
    close(b.ciHigh, expected.binIntervals![k]![1], `${where}: bin ${k} Wilson high`);
    assert.ok(b.ciLow! <= b.observedRate! && b.observedRate! <= b.ciHigh!, `${where}: bin ${k} interval contains its rate`);
  });
  for (const b of actual.bins.filter((b) => b.n === 0)) assert.deepEqual([b.meanScore, b.observedRate, b.ciLow, b.ciHigh], [null, null, null, null]);
  for (const name of ['brier', 'ece', 'meanScore', 'observedRate', 'auc', 'calibrationSlope', 'calibrationIntercept', 'fpr', 'fnr', 'ppv', 'selectionRate'] as const) {
    close(actual[name], expected[name], `${where}: ${name}`);
  }
  close(actual.calibrationInTheLarge, expected.meanScore! - expected.observedRate!, `${where}: calibration-in-the-large`);
  assert.deepEqual(actual.confusion, expected.confusion, `${where}: confusion matrix`);
  for (const [name, pair] of Object.entries(expected.intervals!)) {
    const got = actual.intervals[name as keyof typeof actual.intervals];
    if (pair === null) {
      assert.equal(got, null, `${where}: ${name} interval`);
      continue;
    }
    close(got!.ciLow, pair[0], `${where}: ${name} Wilson low`);
    close(got!.ciHigh, pair[1], `${where}: ${name} Wilson high`);
    const rate = name === 'observedRate' ? actual.observedRate : actual[name as 'fpr' | 'fnr' | 'ppv' | 'selectionRate'];
    assert.ok(got!.ciLow <= rate! && rate! <= got!.ciHigh, `${where}: ${name} interval contains the rate`);
  }
  for (const name of ['auc', 'brier', 'calibrationSlope', 'calibrationIntercept'] as const) {
    closeRelative(actual.standardErrors[name], expected.standardErrors![name], `${where}: ${name} standard error`, SE_ORACLE[name]);
    const want = expected.figureIntervals![name];
    const got = actual.intervals[name];
    if (want === null) {
      assert.equal(got, null, `${where}: ${name} interval`);
      continue;
    }
    closeRelative(got?.ciLow ?? null, want[0], `${where}: ${name} interval low`, 'their intervals (relative)');
    closeRelative(got?.ciHigh ?? null, want[1], `${where}: ${name} interval high`, 'their intervals (relative)');
    assert.ok(got!.ciLow <= actual[name]! && actual[name]! <= got!.ciHigh, `${where}: ${name} interval contains the estimate`);
  }
}

