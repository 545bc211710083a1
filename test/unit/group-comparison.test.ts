/**
 * Groups compared with each other (issue 11): the gap intervals against statsmodels and numpy
 * (test/fixtures/audit/probabilities.json, from test/oracles/group_audit_fixtures.py), crossed groupings,
 * the group drivers' differences against a direct computation, and the sentences a supervisor quotes
 * against the sample's planted truth (Hispanic youth: scores understate the outcome by about 12 points).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calibrationReport, groupDrivers } from '../../extension/engine/calibration/index';
import { newcombeDifference } from '../../extension/engine/calibration/differences';
import { groupComparison } from '../../extension/engine/calibration/comparison';
import { crossGroups, withIntersection, type GroupColumn } from '../../extension/engine/data/cases';
import { explainAll, backgroundOf } from '../../extension/engine/explain/index';
import { readProject } from '../../extension/engine/project';
import { prepareAnalyses, reviewComparisons } from '../../extension/engine/report/index';
import { groupSentence, impossibilityNote } from '../../extension/engine/report/group-sentences';
import { groupComparisonBlocks } from '../../extension/engine/report/content';
import { computedModel, openReview } from '../../extension/engine/review';

const oracle = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'audit', 'probabilities.json'), 'utf8'));
const SAMPLE = join(__dirname, '..', '..', 'samples', 'juvenile');
const TOL = 1e-9;

function close(a: number | null | undefined, b: number, what: string) {
  assert.ok(a !== null && a !== undefined && Math.abs(a - b) <= TOL, `${what}: ${a} vs ${b}`);
}

function oracleInput() {
  const labels = ['A', 'B', 'C'];
  const cases = oracle.cases as [string, number, number][];
  return {
    scores: Float64Array.from(cases, (c) => c[1]),
    outcomes: Int8Array.from(cases, (c) => c[2]),
    groups: { column: 'group', labels, codes: Int32Array.from(cases, (c) => labels.indexOf(c[0])) } as GroupColumn,
  };
}

test("calibration-in-the-large's standard error and interval, and every gap's interval, match numpy and statsmodels", () => {
  const report = calibrationReport(oracleInput(), { threshold: oracle.threshold, reference: 'A' });
  for (const g of report.groups) {
    const e = oracle.groups[g.group];
    close(g.calibrationInTheLarge, e.citl, `${g.group} CITL`);
    close(g.standardErrors.calibrationInTheLarge, e.citlSe, `${g.group} CITL se`);
    close(g.intervals.calibrationInTheLarge!.ciLow, e.citlInterval[0], `${g.group} CITL low`);
    close(g.intervals.calibrationInTheLarge!.ciHigh, e.citlInterval[1], `${g.group} CITL high`);
  }
  for (const gap of report.gaps) {
    for (const [figure, [value, [low, high]]] of Object.entries(oracle.gaps[gap.group] as Record<string, [number, [number, number]]>)) {
      const f = figure as 'calibrationInTheLarge' | 'brier' | 'auc' | 'fpr' | 'fnr';
      close(gap.differences[f], value, `${gap.group} ${f} gap`);
      close(gap.intervals[f]!.ciLow, low, `${gap.group} ${f} gap low`);
      close(gap.intervals[f]!.ciHigh, high, `${gap.group} ${f} gap high`);
    }
  }
  // Newcombe's interval holds the difference and behaves at the edges (0 of n, n of n).
  const edge = newcombeDifference(0, 20, 20, 20)!;
  assert.ok(edge.ciLow >= -1 && edge.ciHigh <= 0 && edge.ciLow < -0.7, JSON.stringify(edge));
  assert.equal(newcombeDifference(1, 0, 1, 2), null);
});

test('crossed groupings: every pair that occurs, sorted, with the intersection of the first two columns added', () => {
  const a: GroupColumn = { column: 'sex', labels: ['F', 'M'], codes: Int32Array.of(0, 1, 1, 0, 1) };
  const b: GroupColumn = { column: 'race', labels: ['X', 'Y', 'Z'], codes: Int32Array.of(2, 0, 2, 2, 0) };
  const ab = crossGroups(a, b);
  assert.equal(ab.column, 'sex × race');
  assert.deepEqual(ab.labels, ['F × Z', 'M × X', 'M × Z']);
  assert.deepEqual([...ab.codes].map((k) => ab.labels[k]), ['F × Z', 'M × X', 'M × Z', 'F × Z', 'M × X']);
  assert.deepEqual(withIntersection(['sex', 'race']), ['sex', 'race', 'sex*race']);
  assert.deepEqual(withIntersection(['sex', 'race', 'age']), ['sex', 'race', 'age', 'sex*race']);
  assert.deepEqual(withIntersection(['sex*race']), ['sex*race']);
  assert.deepEqual(withIntersection(['sex']), ['sex']);
});

test('group drivers: each group against the reference, with Welch intervals computed directly', () => {
  const n = 400;
  const features = ['f0', 'f1'];
  const phi = new Float64Array(n * 2);
  const codes = new Int32Array(n);
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < n; i++) {
    codes[i] = i % 4 === 0 ? 1 : 0;
    phi[i * 2] = (random() - 0.5) * (codes[i] ? 3 : 1);
    phi[i * 2 + 1] = random() - 0.5;
  }
  const groups: GroupColumn = { column: 'g', labels: ['big', 'small'], codes };
  const d = groupDrivers({ contributions: phi, features, groups });
  assert.equal(d.reference, 'big');
  for (let j = 0; j < 2; j++) {
    const values = (g: number) => Array.from({ length: n }, (_, i) => i).filter((i) => codes[i] === g).map((i) => Math.abs(phi[i * 2 + j]));
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const variance = (v: number[]) => v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / (v.length - 1);
    const [r, g] = [values(0), values(1)];
    const diff = mean(g) - mean(r);
    const se = Math.sqrt(variance(g) / g.length + variance(r) / r.length);
    const e = d.features[j].differences[1]!;
    close(e.value, diff, `f${j} difference`);
    close(e.interval!.ciLow, diff - 1.959963984540054 * se, `f${j} low`);
    close(e.interval!.ciHigh, diff + 1.959963984540054 * se, `f${j} high`);
    assert.equal(d.features[j].differences[0], null, 'none for the reference');
  }
  assert.ok(d.features[0].differences[1]!.standsOut, 'three times the spread stands out');
  assert.ok(!d.features[1].differences[1]!.standsOut, 'the same spread does not');
});

test('the sample: Hispanic youth\'s understated scores and girls\' family conflict are named, in sentences a supervisor can quote', async () => {
  const review = openReview(readProject(join(SAMPLE, 'juvenile.riskreview.json')));
  const analyses = prepareAnalyses(review);
  const set = await explainAll({ model: computedModel(review, 'test'), cases: review.cases, background: backgroundOf(review) });
  const comparisons = reviewComparisons(review, analyses.calibration!, set);
  assert.deepEqual(comparisons.map((c) => c.column), ['sex', 'race_ethnicity', 'sex × race_ethnicity']);
  assert.deepEqual(comparisons.map((c) => c.reference), ['Male', 'White', 'Male × White']);
  const race = comparisons[1];
  const hispanic = race.groups.find((g) => g.group === 'Hispanic')!;
  const said = groupSentence(race, hispanic);
  assert.match(said, /^For Hispanic \(race_ethnicity\), the scores understate what happened by 1[0-4]\.\d percentage points on average \(95% interval /);
  assert.ok(hispanic.gaps!.outcomeAtEqualScore!.standsOut && hispanic.gaps!.outcomeAtEqualScore!.value > 0.08);
  // The sex comparison's drivers name family conflict for girls.
  const sex = comparisons[0];
  const family = sex.drivers!.rows.find((r) => r.feature === 'family_conflict')!;
  const girls = sex.groups.findIndex((g) => g.group === 'Female');
  assert.ok(family.differences[girls]!.standsOut && family.differences[girls]!.value > 0);
  assert.equal(sex.drivers!.unit, 'percentage points');
  const blocks = groupComparisonBlocks(sex, { caseGroup: 'Female', full: true });
  const text = JSON.stringify(blocks);
  assert.match(text, /Family conflict moves the scores of Female by \d+\.\d percentage points more on average than those of Male/);
  assert.match(text, /Female · this case's group/);
  assert.match(impossibilityNote(race), /no score can satisfy both at once/);
  // Without attributions (e.g. a score read from a column) there are no drivers, and the blocks say nothing of them.
  const plain = reviewComparisons(review, analyses.calibration!, null);
  assert.equal(plain[0].drivers, null);
  assert.doesNotMatch(JSON.stringify(groupComparisonBlocks(plain[0])), /What drives the scores/);
  // Plain data, as the panel receives it.
  assert.deepEqual(JSON.parse(JSON.stringify(race)), race);
  assert.equal(groupComparison(analyses.calibration![1], 'reoffended_2y', review, null).column, 'sex');
});
