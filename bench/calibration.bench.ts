/**
 * Calibration on 1,000,000 cases in 6 groups: everything `calibrationReport` computes (bins with Wilson
 * intervals, Brier, ECE, slope and intercept, AUC, the analytic intervals of Brier, AUC, slope and
 * intercept, threshold rates with intervals, gaps), for everyone and
 * per group, against scikit-learn's calibration_curve + brier_score_loss + roc_auc_score on the same data
 * (Debian's /usr/bin/python3), timed in the same run; and the group drivers on a 1M × 10 attribution
 * matrix and one case's statement. Also prints the largest difference from
 * scikit-learn's numbers on this data. Prints; does not assert.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rng } from './rng';
import { calibrationReport, caseCalibrationSection, caseCalibrationStatement, groupDrivers, type CalibrationReport } from '../extension/engine/calibration/index';

const N = 1_000_000;
const FEATURES = 10;
const GROUPS = ['A', 'B', 'C', 'D', 'E', 'F'];
const RUNS = 5;

/** Seeded data: group shares from 40% down to 2%, scores from a skewed distribution, outcomes from a slightly miscalibrated truth. */
function data() {
  const random = rng(12345);
  const shares = [0.4, 0.25, 0.15, 0.1, 0.08, 0.02];
  const scores = new Float64Array(N);
  const outcomes = new Int8Array(N);
  const codes = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    let u = random();
    let g = 0;
    while (g < shares.length - 1 && u >= shares[g]) u -= shares[g++];
    const s = Math.pow(random(), 1.6);
    const truth = Math.min(1, s * (0.85 + 0.05 * g) + 0.02);
    scores[i] = s;
    outcomes[i] = random() < truth ? 1 : 0;
    codes[i] = g;
  }
  return { scores, outcomes, codes };
}

const PYTHON = `
import json, sys, time
import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, roc_auc_score
d = sys.argv[1]
p = np.fromfile(d + "/scores.f64", dtype=np.float64)
y = np.fromfile(d + "/outcomes.i8", dtype=np.int8)
g = np.fromfile(d + "/codes.i32", dtype=np.int32)
def run():
    out = []
    for m in [None] + [g == k for k in range(6)]:
        pp, yy = (p, y) if m is None else (p[m], y[m])
        prob_true, prob_pred = calibration_curve(yy, pp, n_bins=10, strategy="uniform")
        out.append({"probTrue": prob_true.tolist(), "probPred": prob_pred.tolist(), "brier": brier_score_loss(yy, pp), "auc": roc_auc_score(yy, pp)})
    return out
times = []
for _ in range(3):
    t0 = time.perf_counter(); res = run(); times.append(time.perf_counter() - t0)
print(json.dumps({"seconds": sorted(times)[1], "results": res}))
`;

interface SkResult {
  probTrue: number[];
  probPred: number[];
  brier: number;
  auc: number;
}

function deviation(report: CalibrationReport, sk: SkResult[]): number {
  let max = 0;
  const diff = (a: number | null, b: number) => (max = Math.max(max, Math.abs((a ?? NaN) - b)));
  [report.overall, ...report.groups].forEach((s, k) => {
    const filled = s.bins.filter((b) => b.n > 0);
    filled.forEach((b, j) => {
      diff(b.observedRate, sk[k].probTrue[j]);
      diff(b.meanScore, sk[k].probPred[j]);
    });
    diff(s.brier, sk[k].brier);
    diff(s.auc, sk[k].auc);
  });
  return max;
}

function median(f: () => unknown): number {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[RUNS >> 1];
}

function time(f: () => CalibrationReport): { ms: number; report: CalibrationReport } {
  const times: number[] = [];
  let report!: CalibrationReport;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    report = f();
    times.push(performance.now() - t0);
  }
  return { ms: times.sort((a, b) => a - b)[RUNS >> 1], report };
}

const { scores, outcomes, codes } = data();
const input = { scores, outcomes, groups: { column: 'group', labels: GROUPS, codes } };
const uniform = time(() => calibrationReport(input, { threshold: 0.5 }));
const quantile = time(() => calibrationReport(input, { threshold: 0.5, strategy: 'quantile' }));
// Group drivers read an attribution matrix (here synthetic: only its size matters for the time).
const contributions = Float64Array.from({ length: N * FEATURES }, (_, k) => Math.sin(k) * ((k % FEATURES) + 1));
const features = Array.from({ length: FEATURES }, (_, j) => `f${j}`);
const driversMs = median(() => groupDrivers({ contributions, features, groups: input.groups }));
const caseMs = median(() => caseCalibrationStatement(caseCalibrationSection([uniform.report], 'outcome', scores[42], () => GROUPS[codes[42]])));
console.log(`cases ${N.toLocaleString('en')}, groups ${GROUPS.length}, median of ${RUNS} runs`);
console.log(`risk-review calibrationReport, uniform 10 bins (everything):  ${uniform.ms.toFixed(0)} ms`);
console.log(`risk-review calibrationReport, quantile 10 bins (everything): ${quantile.ms.toFixed(0)} ms`);

console.log(`risk-review groupDrivers (${FEATURES} features):                  ${driversMs.toFixed(0)} ms`);
console.log(`risk-review case section and statement:                   ${caseMs.toFixed(2)} ms`);
console.log(`all of it (uniform report + drivers + one case):           ${(uniform.ms + driversMs + caseMs).toFixed(0)} ms`);

const dir = mkdtempSync(join(tmpdir(), 'rr-bench-calibration-'));
try {
  writeFileSync(join(dir, 'scores.f64'), new Uint8Array(scores.buffer));
  writeFileSync(join(dir, 'outcomes.i8'), new Uint8Array(outcomes.buffer));
  writeFileSync(join(dir, 'codes.i32'), new Uint8Array(codes.buffer));
  const py = spawnSync('/usr/bin/python3', ['-', dir], { input: PYTHON, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (py.status !== 0) {
    console.log(`scikit-learn run failed: ${py.stderr.trim().split('\n').pop()}`);
  } else {
    const sk = JSON.parse(py.stdout) as { seconds: number; results: SkResult[] };
    const skMs = sk.seconds * 1000;
    console.log(`scikit-learn calibration_curve + brier_score_loss + roc_auc_score (everyone + 6 groups, median of 3): ${skMs.toFixed(0)} ms`);
    console.log(`ratio scikit-learn / risk-review (uniform): ${(skMs / uniform.ms).toFixed(2)}x (risk-review also computes intervals, ECE, slope, rates, gaps)`);
    console.log(`max |difference| from scikit-learn on this data (bins, Brier, AUC): ${deviation(uniform.report, sk.results).toExponential(2)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
