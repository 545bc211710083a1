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
    assert.deepEqual(h.groups.map((g) => g.column), ['sex', 'race_ethnicity']);

    const a = s.attribution!;
    const sum = a.rows.reduce((t, r) => t + r.contribution, 0);
    assert.ok(Math.abs(a.baseValue + sum - h.margin) < 1e-9, 'base + Σφ = margin');
    const points = a.rows.reduce((t, r) => t + r.probabilityPoints!, 0);
    assert.ok(Math.abs(a.baseScore * 100 + points - h.score * 100) < 1e-9, 'base score + Σ points = score');
    assert.equal(a.rows.find((r) => r.feature === 'prior_referrals')!.label, 'Prior referrals');

    const c = s.calibration!;
    assert.equal(c.groups.length, 2);
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
  const review = openReview({ ...spec, modelFile, threshold: undefined, bands: undefined });
  const s = buildCaseSummary(review, prepareAnalyses(review), 3, extras);
  assert.equal(s.header.scoreIsProbability, false);
  assert.equal(s.attribution!.scale, 'points');
  assert.ok(s.attribution!.rows.every((r) => r.probabilityPoints === null));
  assert.equal(s.calibration, null);
  assert.match(s.unavailable.find((u) => u.section === 'calibration')!.reason, /no probability/);
  const sum = s.attribution!.rows.reduce((t, r) => t + r.contribution, 0);
  assert.ok(Math.abs(s.attribution!.baseValue + sum - s.header.margin) < 1e-9);
  assert.equal(s.header.score, s.header.margin);
});
