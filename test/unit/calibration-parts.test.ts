/**
 * The parts of calibration against brute force and their defining properties: bin membership (numpy's
 * searchsorted rule, by search and by walking), Wilson intervals, the Mann–Whitney AUC, the logistic
 * recalibration's optimality, group drivers, the case's bin, the bootstrap, and bad input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deLongAuc,
  binOf,
  binOfScore,
  calibrateReview,
  calibrationReport,
  caseCalibrationSection,
  caseCalibrationStatement,
  clippedLogits,
  GAP_FIGURES,
  groupDrivers,
  recalibrate,
  uniformEdges,
  wilson,
  Z_95,
  type GapFigure,
} from '../../extension/engine/calibration/index';
import { binFrom } from '../../extension/engine/calibration/bins';
import { InputError } from '../../extension/engine/errors';
import { openReview, scoreAll } from '../../extension/engine/review';
import { resolveSpec } from '../../extension/engine/project';

const RUNS = { numRuns: 200, seed: 20240605 };
const SAMPLE = join(__dirname, '..', '..', 'samples', 'juvenile');

/** #{inner edges < p}, the definition. */
function bruteBin(edges: ArrayLike<number>, p: number): number {
  let k = 0;
  for (let j = 1; j < edges.length - 1; j++) if (edges[j] < p) k++;
  return k;
}

test('bins: numpy.linspace edges; a score on an inner edge belongs to the bin below (searchsorted "left")', () => {
  const e = uniformEdges(10);
  assert.equal(e[3], 0.30000000000000004, 'numpy.linspace(0, 1, 11)[3]');
  assert.equal(e[10], 1);
  assert.equal(binOf(e, 0), 0);
  assert.equal(binOf(e, 0.1), 0);
  assert.equal(binOf(e, 0.5), 4);
  assert.equal(binOf(e, 0.3), 2);
  assert.equal(binOf(e, 0.30000000000000004), 2);
  assert.equal(binOf(e, 0.3000000000000001), 3);
  assert.equal(binOf(e, 1), 9);
});

test('bins: the binary search and the walk from ⌊p·B⌋ both agree with the definition', () => {
  for (let count = 1; count <= 40; count++) {
    const e = uniformEdges(count);
    const probes = [0, 1, ...Array.from(e), ...Array.from({ length: count + 1 }, (_, k) => k / count)];
    for (const p of probes) {
      for (const q of [p, p > 0 ? p - Number.EPSILON / 2 : p, p < 1 ? p + Number.EPSILON / 2 : p]) {
        const want = bruteBin(e, q);
        assert.equal(binOf(e, q), want, `binOf ${count} bins, ${q}`);
        assert.equal(binFrom(e, q, q >= 1 ? count - 1 : Math.floor(q * count)), want, `binFrom ${count} bins, ${q}`);
      }
    }
  }
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), (raw, p) => {
      const edges = Float64Array.from(raw).sort();
      assert.equal(binOf(edges, p), bruteBin(edges, p));
    }),
    RUNS,
  );
});

test('Wilson: inside [0, 1], contains k/n, exact ends at k = 0 and k = n, symmetric, none for n = 0', () => {
  assert.equal(wilson(0, 0), null);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
      const k = Math.round(f * n);
      const ci = wilson(k, n)!;
      assert.ok(0 <= ci.ciLow && ci.ciLow <= k / n && k / n <= ci.ciHigh && ci.ciHigh <= 1);
      assert.equal(ci.ciLow === 0, k === 0);
      assert.equal(ci.ciHigh === 1, k === n);
      const mirror = wilson(n - k, n)!;
      assert.ok(Math.abs(ci.ciLow - (1 - mirror.ciHigh)) < 1e-12);
    }),
    RUNS,
  );
});

test('AUC: the merge pass equals the Mann–Whitney count over all pairs, ties one half', () => {
  const score = fc.integer({ min: 0, max: 8 }).map((k) => k / 8);
  fc.assert(
    fc.property(fc.array(score, { minLength: 1, maxLength: 40 }), fc.array(score, { minLength: 1, maxLength: 40 }), (p, q) => {
      let u = 0;
      for (const a of p) for (const b of q) u += a > b ? 1 : a === b ? 0.5 : 0;
      const { auc } = deLongAuc(Float64Array.from(p).sort(), Float64Array.from(q).sort());
      assert.ok(Math.abs(auc - u / (p.length * q.length)) < 1e-12);
    }),
    RUNS,
  );
});

test('recalibration: the gradient vanishes at the fit; no fit for one class, one score or perfect separation', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 30, maxLength: 300 }), (rows) => {
      const s = Float64Array.from(rows, (r) => r[0]);
      const y = Uint8Array.from(rows, (r) => (r[1] < r[0] ** 1.3 ? 1 : 0));
      const positives = y.reduce((a, b) => a + b, 0);
      const x = clippedLogits(s);
      const fit = recalibrate(x, y, positives);
      if (fit.slope === null) return; // one class, or separated: covered below
      let g0 = 0, g1 = 0;
      for (let i = 0; i < x.length; i++) {
        const r = y[i] - 1 / (1 + Math.exp(-(fit.intercept + fit.slope * x[i])));
        g0 += r;
        g1 += r * x[i];
      }
      assert.ok(Math.abs(g0) < 1e-7 * x.length && Math.abs(g1) < 1e-7 * x.length, `gradient ${g0}, ${g1} at ${fit.intercept}, ${fit.slope}`);
    }),
    { ...RUNS, numRuns: 100 },
  );
  const s = Float64Array.from([0.1, 0.2, 0.3, 0.7, 0.8, 0.9]);
  assert.match((recalibrate(clippedLogits(s), Uint8Array.from([0, 0, 0, 0, 0, 0]), 0) as { reason: string }).reason, /every case had outcome 0/);
  assert.match((recalibrate(clippedLogits(new Float64Array(6).fill(0.4)), Uint8Array.from([0, 1, 0, 1, 0, 1]), 3) as { reason: string }).reason, /same score/);
  assert.match((recalibrate(clippedLogits(s), Uint8Array.from([0, 0, 0, 1, 1, 1]), 3) as { reason: string }).reason, /separates the outcomes/);
});

test('group drivers: mean |attribution| per group by brute force; the most different shares are flagged', () => {
  const labels = ['a', 'b', 'c'];
  const n = 300;
  const m = 4;
  const codes = Int32Array.from({ length: n }, (_, i) => (i < 150 ? 0 : i < 270 ? 1 : 2));
  // Feature 2 matters twice as much in group b; group c is small (30 cases) and not compared.
  const phi = Float64Array.from({ length: n * m }, (_, k) => {
    const i = Math.floor(k / m), j = k % m;
    return Math.sin(k * 12.9898) * (j + 1) * (codes[i] === 1 && j === 2 ? 2 : 1);
  });
  const d = groupDrivers({ contributions: phi, features: ['f0', 'f1', 'f2', 'f3'], groups: { column: 'g', labels, codes } }, { flagTop: 1 });
  for (let g = 0; g < 3; g++) {
    for (let j = 0; j < m; j++) {
      let sum = 0, count = 0;
      for (let i = 0; i < n; i++) if (codes[i] === g) (sum += Math.abs(phi[i * m + j])), count++;
      assert.ok(Math.abs(d.features[j].influence[g]! - sum / count) < 1e-12);
    }
  }
  assert.deepEqual(d.groups.map((g) => g.compared), [true, true, false]);
  assert.deepEqual(d.flagged, ['f2']);
  assert.ok(d.features[2].disparity! >= 0.05);
  assert.deepEqual(groupDrivers({ contributions: phi, features: ['f0', 'f1', 'f2', 'f3'], groups: { column: 'g', labels, codes } }, { minDisparity: 1 }).flagged, [], 'nothing differs by a whole share');
  assert.equal(d.warning, null);
  const shares = d.features.map((f) => f.share[0]!);
  assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  const few = groupDrivers({ contributions: phi.subarray(0, 160 * m), features: ['f0', 'f1', 'f2', 'f3'], groups: { column: 'g', labels, codes: codes.subarray(0, 160) } });
  assert.match(few.warning!, /fewer than two groups have 50 cases/);
  assert.throws(() => groupDrivers({ contributions: phi.subarray(1), features: ['f0', 'f1', 'f2', 'f3'], groups: { column: 'g', labels, codes } }), InputError);
});

function syntheticInput() {
  const f = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'calibration', 'synthetic.json'), 'utf8'));
  return {
    scores: Float64Array.from(f.scores as number[]),
    outcomes: Int8Array.from(f.outcomes as number[]),
    groups: { column: 'group', labels: f.labels as string[], codes: Int32Array.from(f.codes as number[]) },
  };
}

test("a case's bin: binOfScore finds, case by case, exactly the bins the counts came from", () => {
  const input = syntheticInput();
  for (const strategy of ['uniform', 'quantile'] as const) {
    const report = calibrationReport(input, { threshold: 0.5, strategy, bins: 7 });
    const counts = new Map<unknown, number>();
    for (let i = 0; i < input.scores.length; i++) {
      if (input.outcomes[i] < 0) continue;
      for (const stats of [report.overall, report.groups[input.groups.codes[i]]]) {
        const bin = binOfScore(stats, input.scores[i])!;
        counts.set(bin, (counts.get(bin) ?? 0) + 1);
      }
    }
    for (const stats of [report.overall, ...report.groups]) for (const b of stats.bins) assert.equal(counts.get(b) ?? 0, b.n, `${strategy} ${stats.group} ${b.lower}`);
  }
});

test('the case section and statement: group bin, small-group caution, everyone', () => {
  const input = syntheticInput();
  const report = calibrationReport(input, { threshold: 0.5 });
  const small = report.groups.find((g) => g.group === 'C-small')!;
  const bin = small.bins.find((b) => b.n > 0)!;
  const score = (bin.lower + bin.upper) / 2;
  const section = caseCalibrationSection([report], 'outcome', score, () => 'C-small');
  assert.equal(section.groups.length, 1);
  assert.equal(section.groups[0].caseBin!.n, bin.n);
  assert.deepEqual(section.groups[0].caseBin!.interval, [bin.ciLow, bin.ciHigh]);
  assert.deepEqual(section.groups[0].smallGroup, { n: 30, minimum: 50 });
  const lines = caseCalibrationStatement(section);
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^Among cases in C-small \(group\) scored/);
  assert.match(lines[1], /^Caution: only 30 cases with a known outcome in C-small \(group\)/);
  assert.match(lines[2], /^Among all cases scored/);
  assert.deepEqual(caseCalibrationSection([report], 'outcome', score, () => undefined).groups, [], 'an unknown (redacted) group is left out');
});

test('bootstrap: seeded and repeatable; an interval for every gap that exists', () => {
  const input = syntheticInput();
  const a = calibrationReport(input, { threshold: 0.5, bootstrap: { replicates: 300, seed: 9 } });
  const b = calibrationReport(input, { threshold: 0.5, bootstrap: { replicates: 300, seed: 9 } });
  assert.deepEqual(a.gaps, b.gaps);
  const gapB = a.gaps.find((g) => g.group === 'B')!;
  assert.deepEqual(Object.keys(gapB.bootstrapIntervals!).sort(), [...GAP_FIGURES, 'outcomeAtEqualScore'].sort());
  for (const f of GAP_FIGURES) assert.ok(gapB.bootstrapIntervals![f]!.ciLow <= gapB.bootstrapIntervals![f]!.ciHigh, f);
  // A large group's gap in observed rate: the percentile interval sits around the observed gap.
  const d = gapB.differences.observedRate!;
  assert.ok(gapB.bootstrapIntervals!.observedRate!.ciLow < d && d < gapB.bootstrapIntervals!.observedRate!.ciHigh);
  // Group D has no positives: its FNR, AUC and slope gaps never exist, so they get no interval.
  const gapD = a.gaps.find((g) => g.group === 'D-one-class')!.bootstrapIntervals!;
  for (const figure of ['fnr', 'auc', 'calibrationSlope'] as const) assert.equal(gapD[figure], null, figure);
  assert.ok(gapD.ece && gapD.brier);
  assert.equal(calibrationReport(input, { threshold: 0.5 }).gaps[0].bootstrapIntervals, undefined);
});

test('bootstrap: the gap intervals of large groups agree with the normal approximation of the same resampling', () => {
  // Resampling each group independently, the gap in a proportion has variance pₐ(1 − pₐ)/nₐ + p_b(1 − p_b)/n_b,
  // so for large groups the 2.5th and 97.5th percentiles of the replicates sit near gap ± 1.96·se. With
  // 2,000 replicates each end lands within 4% of that interval's width (seeded; measured ≤ 1.2%; a 90%
  // interval in place of the 95% one would be 8% off).
  const input = syntheticInput();
  const report = calibrationReport(input, { threshold: 0.5, bootstrap: { replicates: 2000, seed: 9 } });
  const stats = (name: string) => report.groups.find((g) => g.group === name)!;
  const ref = stats(report.reference!);
  for (const gap of report.gaps.filter((g) => stats(g.group).n >= 500)) {
    for (const figure of ['observedRate', 'selectionRate'] as const) {
      const a = ref[figure]!, b = stats(gap.group)[figure]!;
      const se = Math.sqrt((a * (1 - a)) / ref.n + (b * (1 - b)) / stats(gap.group).n);
      const ci = gap.bootstrapIntervals![figure]!;
      const width = 2 * Z_95 * se;
      const where = `${gap.group} ${figure}: [${ci.ciLow}, ${ci.ciHigh}] vs ${b - a} ± ${width / 2}`;
      assert.ok(Math.abs(ci.ciLow - (b - a - width / 2)) <= 0.04 * width, where);
      assert.ok(Math.abs(ci.ciHigh - (b - a + width / 2)) <= 0.04 * width, where);
    }
  }
  assert.deepEqual(report.gaps.filter((g) => stats(g.group).n >= 500).map((g) => g.group), ['B', 'E'], 'the large groups checked');
});

test('bootstrap: the AUC, ECE and slope gap intervals agree with numpy\'s bootstrap of scikit-learn\'s figures', () => {
  // test/oracles/calibration_fixtures.py resamples the same groups with numpy's generator (3,000
  // replicates) and takes roc_auc_score, the ECE and the Newton slope; ours draws other resamples
  // (Mulberry32, 3,000 replicates), so the two agree up to Monte Carlo error: each end within 6% of the
  // interval's width (measured 2.9–4.7% over seeds 5, 6 and 7).
  const input = syntheticInput();
  const oracle = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'calibration', 'synthetic.json'), 'utf8')).bootstrap;
  const report = calibrationReport(input, { threshold: 0.5, bins: 10, strategy: 'uniform', bootstrap: { replicates: oracle.replicates, seed: 5 } });
  assert.equal(report.reference, oracle.reference);
  for (const [group, figures] of Object.entries(oracle.gaps as Record<string, Record<string, [number, number]>>)) {
    const ours = report.gaps.find((g) => g.group === group)!.bootstrapIntervals!;
    for (const [figure, [low, high]] of Object.entries(figures)) {
      const ci = ours[figure as GapFigure]!;
      const width = high - low;
      const where = `${group} ${figure}: ours [${ci.ciLow}, ${ci.ciHigh}], numpy [${low}, ${high}]`;
      assert.ok(Math.abs(ci.ciLow - low) <= 0.06 * width && Math.abs(ci.ciHigh - high) <= 0.06 * width, where);
    }
  }
});

test('bad input: scores that are not probabilities, unknown reference, instruments without probabilities', () => {
  const input = syntheticInput();
  const scores = input.scores.slice();
  scores[7] = 1.5;
  assert.throws(() => calibrationReport({ ...input, scores, ids: Array.from({ length: scores.length }, (_, i) => `K${i}`) }, { threshold: 0.5 }), /case "K7": the score 1\.5 is not a probability/);
  scores[7] = NaN;
  assert.throws(() => calibrationReport({ ...input, scores }, { threshold: 0.5 }), InputError);
  assert.throws(() => calibrationReport(input, { threshold: 0.5, reference: 'Z' }), /the reference group "Z" is not a group of column "group"; its groups are: A, B/);
  assert.throws(() => calibrationReport(input, { threshold: 0.5, bins: 0 }), InputError);

  const d = mkdtempSync(join(tmpdir(), 'rr-calibration-'));
  const model = JSON.parse(readFileSync(join(SAMPLE, 'instrument.riskmodel.json'), 'utf8'));
  delete model.probability;
  writeFileSync(join(d, 'points.riskmodel.json'), JSON.stringify(model));
  const review = openReview(resolveSpec({ model: join(d, 'points.riskmodel.json'), data: join(SAMPLE, 'cases.csv'), idColumn: 'case_id', outcome: 'reoffended_2y' }));
  // An instrument without probabilities is checked on its own scale (points), a bin per total.
  const totals = scoreAll(review.model, review.cases).score;
  const own = calibrateReview(review, totals);
  assert.equal(own.scale, 'score');
  const distinct = new Set(totals).size;
  assert.equal(own.strategy, distinct <= 20 ? 'values' : 'quantile', `${distinct} distinct totals`);
  assert.equal(own.overall.brier, null);
  assert.ok(own.overall.auc! > 0.5);
  if (distinct <= 20) assert.deepEqual(own.overall.bins.map((b) => b.lower), [...new Set(totals)].sort((a, b) => a - b));
  else assert.equal(own.overall.bins.length, 10, "ten of everyone's quantile bins");
});

test('a review: the project reference group is used, and the column must have been read', () => {
  const review = openReview(resolveSpec({ project: join(SAMPLE, 'juvenile.riskreview.json') }));
  const scores = Float64Array.from({ length: review.cases.n }, (_, i) => ((i * 7919) % 1000) / 1000);
  const report = calibrateReview(review, scores, { groupColumn: 'race_ethnicity' });
  assert.equal(report.reference, 'White');
  assert.equal(report.groupBy, 'race_ethnicity');
  assert.throws(() => calibrateReview(review, scores, { groupColumn: 'shoe_size' }), /the group column "shoe_size" was not read/);
});
