/**
 * Building a case summary from a real review (the juvenile sample): every number in it agrees with the
 * engine it came from — score and band with scoring, effects with the margin (Shapley efficiency), the
 * probability view with the score, the calibration bin with the case's score, fingerprints with the files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readProject, resolveSpec } from '../../extension/engine/project';
import { openReview, scoreAll } from '../../extension/engine/review';
import { bandOf } from '../../extension/engine/models/score';
import { buildCaseSummary, prepareAnalyses } from '../../extension/engine/report/index';
import { calibrateReview, calibrationReport, caseCalibrationSection, groupLabelOf, type CalibrationStats } from '../../extension/engine/calibration/index';
import { calibrationMetricsTables, calibrationMetricsWarnings } from '../../extension/engine/report/content';
import type { CalibrationMetrics } from '../../extension/engine/report/types';

const SAMPLE = join(__dirname, '..', '..', 'samples', 'juvenile');
const extras = { generatedAt: '2026-11-23T12:00:00.000Z', extensionVersion: '9.9.9' };

test('a summary of a sample case agrees with the engine', () => {
  const review = openReview(readProject(join(SAMPLE, 'juvenile.riskreview.json')));
  const analyses = prepareAnalyses(review);
  const { score, margin } = scoreAll(review.model, review.cases);
  for (const i of [0, 1, 17, review.cases.n - 1]) {
    const s = buildCaseSummary(review, analyses, i, extras);
    const h = s.header;
    assert.equal(h.caseId, review.cases.ids[i]);
    assert.equal(h.score, score[i]);
    assert.equal(h.margin, margin[i]);
    assert.equal(h.band, bandOf(review.bands, score[i]));
    assert.equal(h.flagged, score[i] >= review.threshold);
    assert.equal(h.outcome, review.cases.outcome![i]);
    assert.deepEqual(h.groups.map((g) => g.column), ['sex', 'race_ethnicity', 'sex × race_ethnicity'], 'the two columns and their intersection');

    const a = s.attribution!;
    const sum = a.rows.reduce((t, r) => t + r.contribution, 0);
    assert.ok(Math.abs(a.baseValue + sum - h.margin) < 1e-9, 'base + Σφ = margin');
    const points = a.rows.reduce((t, r) => t + r.probabilityPoints!, 0);
    assert.ok(Math.abs(a.baseScore * 100 + points - h.score * 100) < 1e-9, 'base score + Σ points = score');
    assert.equal(a.rows.find((r) => r.feature === 'prior_referrals')!.label, 'Prior referrals');

    const c = s.calibration!;
    assert.equal(c.groups.length, 3, 'sex, race_ethnicity and their intersection');
    assert.equal(c.groups[0].group, h.groups[0].group);
    for (const bin of [c.everyoneCaseBin!, c.groups[0].caseBin!]) assert.ok(bin.lower <= h.score && h.score <= bin.upper);
    assert.equal(c.everyone.n, review.cases.n);

    assert.equal(s.provenance.modelSha256, createHash('sha256').update(readFileSync(join(SAMPLE, 'xgboost.json'))).digest('hex'));
    assert.equal(s.provenance.dataSha256, createHash('sha256').update(readFileSync(join(SAMPLE, 'cases.csv'))).digest('hex'));
    assert.equal(s.provenance.dataFile, 'cases.csv');
    assert.equal(s.provenance.generatedAt, extras.generatedAt);
    assert.deepEqual(s.unavailable, []);

    // The surrogate's path is a walk down the tree, ends at the rule's score, and the case meets every test.
    const t = s.surrogate!;
    assert.equal(t.path[0], 0);
    for (let k = 1; k < t.path.length; k++) assert.ok((t.nodes[t.path[k - 1]].children as readonly number[]).includes(t.path[k]));
    const leaf = t.nodes[t.path[t.path.length - 1]];
    assert.equal(leaf.children.length, 0);
    assert.equal(t.leafScore, leaf.value);
    assert.equal(t.nodes.filter((n) => n.children.length === 0).reduce((a, n) => a + n.n, 0), review.cases.n);
    const m = review.model.features.length;
    for (const c of t.rule) {
      const j = review.model.features.findIndex((f) => f.name === c.feature);
      const v = review.cases.x[i * m + j];
      const meets = v !== v ? c.includesMissing : c.kind === 'below' ? v < c.threshold : c.kind === 'atLeast' ? v >= c.threshold : c.kind === 'known' ? true : c.kind === 'in' ? c.categories.includes(review.model.features[j].categories![v]) : false;
      assert.ok(meets, `case ${h.caseId} does not meet ${JSON.stringify(c)}`);
    }
    assert.equal(t.agreesWithModel, t.leafScore >= review.threshold === h.flagged);
  }
});

/** The summary's figures for a set are the engine's (which test/unit/calibration*.test.ts checks against scikit-learn). */
function assertEngineFigures(m: CalibrationMetrics, e: CalibrationStats, label: string): void {
  assert.equal(m.label, label);
  for (const k of ['n', 'positives', 'ece'] as const) assert.equal(m[k], e[k], `${label}: ${k}`);
  for (const k of ['brier', 'auc', 'calibrationSlope', 'calibrationIntercept', 'calibrationInTheLarge'] as const) {
    const ci = e.intervals[k];
    assert.deepEqual(m[k], e[k] === null ? null : { value: e[k], interval: ci && [ci.ciLow, ci.ciHigh] }, `${label}: ${k}`);
  }
  for (const k of ['fpr', 'fnr', 'ppv', 'selectionRate'] as const) {
    const ci = e.intervals[k];
    assert.deepEqual(m[k], e[k] === null ? null : { value: e[k], interval: [ci!.ciLow, ci!.ciHigh] }, `${label}: ${k}`);
  }
  assert.deepEqual(m.warnings, e.warnings, `${label}: warnings`);
}

test("the summary's per-group figures are the calibration engine's, for every group of the case's columns and everyone", () => {
  const review = openReview(readProject(join(SAMPLE, 'juvenile.riskreview.json')));
  const analyses = prepareAnalyses(review);
  const { score } = scoreAll(review.model, review.cases);
  const { cases } = review;
  for (const i of [0, 17]) {
    const c = buildCaseSummary(review, analyses, i, extras).calibration!;
    // A fresh run of the engine, apart from the one the summary was built from.
    assertEngineFigures(c.everyoneMetrics, calibrateReview(review, score).overall, 'Everyone');
    assert.deepEqual(c.groups.map((g) => g.reference), ['Male', 'White', 'Male × White'], "the project's reference groups, and their pair for the intersection");
    for (const g of c.groups) {
      const report = calibrateReview(review, score, { groupColumn: g.column });
      assert.deepEqual(g.columnMetrics.map((m) => m.label), report.groups.map((x) => x.group));
      g.columnMetrics.forEach((m, k) => assertEngineFigures(m, report.groups[k], report.groups[k].group));

      // The case's own group by brute force: counts at the threshold straight from the scores and outcomes.
      let n = 0, positives = 0, tp = 0, fp = 0, squares = 0;
      for (let j = 0; j < cases.n; j++) {
        const y = cases.outcome![j];
        if (y < 0 || groupLabelOf(cases, g.column, j) !== g.group) continue;
        n++;
        positives += y;
        squares += (score[j] - y) ** 2;
        if (score[j] >= review.threshold) y ? tp++ : fp++;
      }
      const own = g.columnMetrics.find((m) => m.label === g.group)!;
      assert.equal(own.n, n);
      assert.equal(own.positives, positives);
      assert.ok(Math.abs(own.brier!.value - squares / n) < 1e-12);
      assert.equal(own.fpr!.value, fp / (n - positives));
      assert.equal(own.fnr!.value, (positives - tp) / positives);
      assert.equal(own.ppv!.value, tp / (tp + fp));
      assert.equal(own.selectionRate!.value, (tp + fp) / n);
      for (const r of [own.fpr!, own.fnr!, own.ppv!, own.selectionRate!]) assert.ok(r.interval[0] <= r.value && r.value <= r.interval[1]);
    }
    // Plain data: it survives JSON (the panel's messages, the CLI's output) unchanged.
    assert.deepEqual(JSON.parse(JSON.stringify(c)), c);
  }
  // Converted once per review: two cases' summaries share the very same figures.
  assert.equal(buildCaseSummary(review, analyses, 1, extras).calibration!.everyoneMetrics, buildCaseSummary(review, analyses, 2, extras).calibration!.everyoneMetrics);
});

test('a figure the engine cannot give is a dash in the tables, and the warnings say why', () => {
  // Group B: six cases, every outcome 0, none flagged: no AUC, no FNR, no PPV, no slope.
  const scores = Float64Array.from([0.1, 0.2, 0.7, 0.8, 0.3, 0.6, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
  const outcomes = Int8Array.from([0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
  const groups = { column: 'g', labels: ['A', 'B'], codes: Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]) };
  const reports = [calibrationReport({ scores, outcomes }, { threshold: 0.5, bins: 5 }), calibrationReport({ scores, outcomes, groups }, { threshold: 0.5, bins: 5, reference: 'A' })];
  const section = caseCalibrationSection(reports, 'y', 0.2, () => 'B');
  const b = section.groups[0].columnMetrics[1];
  assert.equal(b.label, 'B');
  for (const k of ['auc', 'calibrationSlope', 'fnr', 'ppv'] as const) assert.equal(b[k], null, k);
  const header = { threshold: 0.5, scoreIsProbability: true, scoreUnit: 'points' } as Parameters<typeof calibrationMetricsTables>[1];
  const [fit, discrimination, errors] = calibrationMetricsTables(section, header);
  assert.deepEqual(fit.rows.map((r) => r[0]), ['A (g) · reference', "B (g) · this case's group", 'Everyone']);
  assert.deepEqual(discrimination.rows.map((r) => r[0]), fit.rows.map((r) => r[0]));
  assert.equal(discrimination.rows[1][discrimination.columns.findIndex((c) => c.title === 'AUC')], '–');
  assert.equal(discrimination.rows[1][discrimination.columns.findIndex((c) => c.title === 'Slope')], '–');
  assert.equal(errors.rows[1][errors.columns.findIndex((c) => c.title === 'False negative rate')], '–');
  assert.equal(errors.rows[1][errors.columns.findIndex((c) => c.title === 'False positive rate')], '0% (0%–39%)');
  const warnings = calibrationMetricsWarnings(section);
  for (const why of ['only 6 cases', 'no AUC: every case had outcome 0', 'no calibration slope', 'no false negative rate', 'no positive predictive value']) {
    assert.ok(warnings.some((w) => w.startsWith("B (g) · this case's group: ") && w.includes(why)), why);
  }
});

test('without outcomes the calibration section is absent and says why', () => {
  const spec = resolveSpec({ project: join(SAMPLE, 'juvenile.riskreview.json') });
  const review = openReview({ ...spec, outcomeColumn: undefined });
  const s = buildCaseSummary(review, prepareAnalyses(review), 0, extras);
  assert.equal(s.calibration, null);
  assert.match(s.unavailable.find((u) => u.section === 'calibration')!.reason, /outcome column/);
  assert.equal(s.header.outcome, null);
  assert.equal(s.header.outcomeColumn, null);
});

test('an instrument is summarised in probability points, or in its own points when it maps no probability', () => {
  const withP = openReview(readProject(join(SAMPLE, 'juvenile-instrument.riskreview.json')));
  const a = buildCaseSummary(withP, prepareAnalyses(withP), 3, extras);
  assert.equal(a.header.scoreIsProbability, true);
  const points = a.attribution!.rows.reduce((t, r) => t + r.probabilityPoints!, 0);
  assert.ok(Math.abs(a.attribution!.baseScore * 100 + points - a.header.score * 100) < 1e-9);

  const json = JSON.parse(readFileSync(join(SAMPLE, 'instrument.riskmodel.json'), 'utf8'));
  delete json.probability;
  const dir = mkdtempSync(join(tmpdir(), 'rr-report-'));
  const modelFile = join(dir, 'points-only.riskmodel.json');
  writeFileSync(modelFile, JSON.stringify(json));
  const spec = readProject(join(SAMPLE, 'juvenile-instrument.riskreview.json'));
  const review = openReview({ ...spec, source: { kind: 'model', modelFile }, threshold: undefined, bands: undefined });
  const s = buildCaseSummary(review, prepareAnalyses(review), 3, extras);
  assert.equal(s.header.scoreIsProbability, false);
  assert.equal(s.attribution!.scale, 'points');
  assert.ok(s.attribution!.rows.every((r) => r.probabilityPoints === null));
  // Calibrated on the instrument's own scale: the totals' bins, no figure that reads a total as a probability.
  assert.equal(s.calibration!.scale, 'score');
  assert.match(s.calibration!.absentFigures!, /no probability/);
  assert.equal(s.calibration!.everyoneMetrics.brier, null);
  assert.ok(s.calibration!.everyoneMetrics.auc!.value > 0.5);
  const sum = s.attribution!.rows.reduce((t, r) => t + r.contribution, 0);
  assert.ok(Math.abs(s.attribution!.baseValue + sum - s.header.margin) < 1e-9);
  assert.equal(s.header.score, s.header.margin);
});
