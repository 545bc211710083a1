/**
 * Calibration against scikit-learn, per group and for everyone (fixtures from
 * test/oracles/calibration_fixtures.py): reliability bins (edges, counts, calibration_curve's prob_true
 * and prob_pred), Wilson intervals (scipy), Brier, ECE, AUC, the logistic recalibration (Newton in numpy,
 * cross-checked there against LogisticRegression), and the confusion-matrix rates — all to 1e-6; the
 * standard errors of the AUC (DeLong by brute force), Brier score (numpy) and slope and intercept
 * (statsmodels' Logit), and their 95% intervals, to 1e-9 relative (test/helpers/calibration-oracle.ts says why).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calibrationReport, EVERYONE, MIN_GROUP_CASES } from '../../extension/engine/calibration/index';
import { checkFigures, close, comparisons, maxDeviation, RELATIVE_ORACLES, RELATIVE_TOLERANCE, TOLERANCE, type Setting } from '../helpers/calibration-oracle';

const FIXTURES = join(__dirname, '..', 'fixtures', 'calibration');

function load(name: string) {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
}

function runFixture(name: string, scores: Float64Array, fixture: { labels: string[]; outcomes: number[]; codes: number[]; reference: Setting[] }) {
  for (const s of fixture.reference) {
    const where = `${name} ${s.strategy} ${s.bins} bins, threshold ${s.threshold}`;
    const report = calibrationReport(
      { scores, outcomes: Int8Array.from(fixture.outcomes), groups: { column: 'group', labels: fixture.labels, codes: Int32Array.from(fixture.codes) } },
      { bins: s.bins, strategy: s.strategy, threshold: s.threshold },
    );
    assert.equal(report.overall.group, EVERYONE);
    assert.equal(report.excludedUnknownOutcome, s.overall.excludedUnknownOutcome);
    checkFigures(report.overall, s.overall, `${where}, everyone`);
    assert.deepEqual(report.groups.map((g) => g.group), fixture.labels);
    report.groups.forEach((g, k) => checkFigures(g, s.groups[k], `${where}, group ${g.group}`));
  }
}

test('synthetic cases: every figure, per group and for everyone, matches scikit-learn to 1e-6', () => {
  const f = load('synthetic.json');
  runFixture('synthetic', Float64Array.from(f.scores), f);
});

test('COMPAS (decile / 10 by race): every figure matches scikit-learn to 1e-6', () => {
  const f = load('compas.json');
  runFixture('COMPAS', Float64Array.from(f.deciles as number[], (d) => d / 10), f);
});

test('small groups, sparse bins and one-class groups carry warnings; unknown outcomes are counted, not used', () => {
  const f = load('synthetic.json');
  const report = calibrationReport(
    { scores: Float64Array.from(f.scores), outcomes: Int8Array.from(f.outcomes), groups: { column: 'group', labels: f.labels, codes: Int32Array.from(f.codes) } },
    { threshold: 0.5 },
  );
  const byName = new Map(report.groups.map((g) => [g.group, g]));
  const small = byName.get('C-small')!;
  assert.equal(small.n, 30);
  assert.match(small.warnings.join('\n'), new RegExp(`only 30 cases with a known outcome \\(fewer than ${MIN_GROUP_CASES}\\)`));
  assert.match(small.warnings.join('\n'), /bins? ha(s|ve) fewer than 10 cases/);
  const oneClass = byName.get('D-one-class')!;
  assert.equal(oneClass.auc, null);
  assert.match(oneClass.warnings.join('\n'), /no AUC: every case had outcome 0, and the AUC needs both outcomes/);
  assert.match(oneClass.warnings.join('\n'), /no calibration slope: every case had outcome 0/);
  assert.match(oneClass.warnings.join('\n'), /no false negative rate/);
  assert.equal(byName.get('A')!.warnings.some((w) => /fewer than 50/.test(w)), false);
  assert.equal(report.excludedUnknownOutcome, 45);
  assert.equal(report.overall.n + 45, f.scores.length);
  // The reference defaults to the largest group, and gaps are group minus reference.
  assert.equal(report.reference, 'A');
  const gapB = report.gaps.find((g) => g.group === 'B')!;
  close(gapB.differences.fpr, byName.get('B')!.fpr! - byName.get('A')!.fpr!, 'FPR gap');
  assert.equal(report.gaps.find((g) => g.group === 'D-one-class')!.differences.auc, null);
  // Plain data: survives JSON unchanged.
  assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
});

// Each comparison above already failed its own test if it was off; this one reports the largest deviation
// and checks that every oracle was really consulted (a fixture without Wilson figures would pass silently).
test('every oracle was compared with, and the deviation stays within tolerance', (t) => {
  for (const [oracle, d] of Object.entries(maxDeviation)) {
    const count = comparisons[oracle as keyof typeof comparisons];
    t.diagnostic(`max |deviation| from ${oracle} over ${count} figures: ${d.toExponential(2)}`);
    assert.ok(count > 0, `no figure was compared with ${oracle}`);
    assert.ok(d <= ((RELATIVE_ORACLES as readonly string[]).includes(oracle) ? RELATIVE_TOLERANCE : TOLERANCE));
  }
});
