/**
 * Checks calibration results (the engine's, or the CLI's JSON) against the reference figures written by
 * test/oracles/calibration_fixtures.py (scikit-learn, numpy, scipy), to 1e-6, and records the largest
 * deviation seen per oracle.
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
}
export interface Setting {
  bins: number;
  strategy: 'uniform' | 'quantile';
  threshold: number;
  overall: Figures;
  groups: Figures[];
}

/** Largest absolute deviations from the oracles seen in this file, and how many figures were compared, reported at the end. */
export const maxDeviation = { 'scikit-learn/numpy': 0, 'scipy Wilson': 0 };
export const comparisons = { 'scikit-learn/numpy': 0, 'scipy Wilson': 0 };

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
}

