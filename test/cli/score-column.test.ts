/**
 * Auditing a score already in use, with no model (`--score-column`): ProPublica's full COMPAS table
 * (../shared/data/external/compas), the vendor's decile flagged at 5 and up, by race and by sex × race.
 * Every figure against pandas / scikit-learn / statsmodels (test/oracles/group_audit_fixtures.py ->
 * test/fixtures/audit/compas-deciles.json) to 1e-9, and ProPublica's published error rates exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertCleanFailure, runCli } from '../helpers/cli';

const DATA = join(__dirname, '..', '..', '..', 'shared', 'data', 'external', 'compas', 'compas-scores-two-years-deid.csv');
const oracle = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'audit', 'compas-deciles.json'), 'utf8'));
const base = ['calibration', '--score-column', 'decile_score', '--data', DATA, '--id-column', 'case_id', '--outcome', 'two_year_recid', '--threshold', '5'];
const TOL = 1e-9;

interface Interval { ciLow: number; ciHigh: number }
const close = (a: number | null, b: number | null, what: string, tol = TOL) => {
  if (a === null || b === null) return assert.equal(a, b, what);
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
};
const closeInterval = (ours: Interval | null, theirs: [number, number] | null, what: string) => {
  if (theirs === null) return assert.equal(ours, null, what);
  assert.ok(ours, `${what}: no interval`);
  close(ours.ciLow, theirs[0], `${what} low`);
  close(ours.ciHigh, theirs[1], `${what} high`);
};

function run(args: string[]) {
  const r = runCli([...base, ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function checkGrouping(report: any, expected: any) {
  assert.equal(report.scale, 'score');
  assert.equal(report.strategy, 'values', 'ten deciles: a bin per decile');
  assert.equal(report.reference, expected.reference);
  assert.deepEqual(report.groups.map((g: { group: string }) => g.group), Object.keys(expected.groups));
  for (const g of report.groups) {
    const e = expected.groups[g.group];
    const at = `${report.groupBy} ${g.group}`;
    assert.equal(g.n, e.n, at);
    assert.equal(g.positives, e.positives, at);
    closeInterval(g.intervals.observedRate, e.observedRateInterval, `${at} outcome rate`);
    close(g.auc, e.auc, `${at} AUC`);
    close(g.standardErrors.auc, e.aucSe, `${at} AUC standard error`);
    for (const f of ['fpr', 'fnr', 'ppv', 'selectionRate']) {
      close(g[f], e[f], `${at} ${f}`);
      closeInterval(g.intervals[f], e[`${f}Interval`], `${at} ${f}`);
    }
    for (const f of ['brier', 'ece', 'calibrationInTheLarge', 'calibrationSlope']) assert.equal(g[f], null, `${at}: no ${f} without probabilities`);
    // Bins: one per decile the data has, empty ones kept so that groups line up.
    const filled = g.bins.filter((b: { n: number }) => b.n > 0);
    assert.deepEqual(filled.map((b: { lower: number }) => b.lower), e.bins.map((b: { value: number }) => b.value), `${at} decile bins`);
    filled.forEach((b: { n: number; positives: number; lower: number; upper: number; ciLow: number; ciHigh: number }, k: number) => {
      assert.equal(b.lower, b.upper, 'a value bin holds one decile');
      assert.equal(b.n, e.bins[k].n);
      assert.equal(b.positives, e.bins[k].positives);
      closeInterval({ ciLow: b.ciLow, ciHigh: b.ciHigh }, e.bins[k].interval, `${at} decile ${b.lower}`);
    });
  }
  for (const gap of report.gaps) {
    const e = expected.gaps[gap.group];
    const at = `${report.groupBy} ${gap.group} vs ${report.reference}`;
    for (const f of ['observedRate', 'fpr', 'fnr', 'ppv', 'selectionRate', 'auc']) {
      if (e[f] === null) {
        assert.equal(gap.differences[f], null, `${at} ${f}`);
        continue;
      }
      close(gap.differences[f], e[f][0], `${at} ${f} gap`);
      closeInterval(gap.intervals[f], e[f][1], `${at} ${f} gap interval`);
    }
    const eq = e.outcomeAtEqualScore;
    close(gap.differences.outcomeAtEqualScore, eq.value, `${at} outcome gap at equal deciles`);
    closeInterval(gap.intervals.outcomeAtEqualScore, eq.interval, `${at} outcome gap at equal deciles`);
    close(gap.equalScoreCoverage, eq.coverage, `${at} coverage`);
  }
}

test("ProPublica's published error rates come out exactly (decile ≥ 5, all 7,214 rows)", () => {
  const out = run(['--group', 'race']);
  for (const race of ['African-American', 'Caucasian']) {
    const g = out.groups.find((x: { group: string }) => x.group === race);
    assert.equal((g.fpr * 100).toFixed(2), (oracle.propublica[race].fpr * 100).toFixed(2), `${race} false positive rate`);
    assert.equal((g.fnr * 100).toFixed(2), (oracle.propublica[race].fnr * 100).toFixed(2), `${race} false negative rate`);
  }
  assert.equal(out.overall.n, oracle.rows);
});

test('by race: every figure and every gap interval against pandas, scikit-learn and statsmodels', () => {
  const out = run(['--group', 'race']);
  assert.match(out.absentFigures, /no probability/);
  close(out.overall.auc, oracle.everyone.auc, 'everyone AUC');
  checkGrouping(out, oracle.byRace);
});

test('--group sex --group race: by sex, by race, and by their intersection, each as its own report', () => {
  const out = run(['--group', 'sex', '--group', 'race']);
  assert.equal(out.groupBy, 'sex');
  assert.deepEqual(out.otherGroupings.map((r: { groupBy: string }) => r.groupBy), ['race', 'sex × race']);
  checkGrouping(out.otherGroupings[0], oracle.byRace);
  checkGrouping(out.otherGroupings[1], oracle.bySexRace);
  // The intersection's small groups carry the small-group warning.
  const tiny = out.otherGroupings[1].groups.filter((g: { n: number }) => g.n < 50);
  assert.ok(tiny.length >= 3);
  for (const g of tiny) assert.match(g.warnings.join(' '), /fewer than 50/);
});

test('--group sex*race names the intersection alone', () => {
  const out = run(['--group', 'sex*race']);
  assert.equal(out.groupBy, 'sex × race');
  assert.equal(out.otherGroupings, undefined);
  checkGrouping(out, oracle.bySexRace);
});

test('a score column needs its cut, refuses attributions and names a missing score', () => {
  const noCut = runCli(base.slice(0, -2));
  assertCleanFailure(noCut, /give the cut that flags a case on the scale of "decile_score"/);
  const explain = runCli(['explain', '--score-column', 'decile_score', '--data', DATA, '--id-column', 'case_id', '--threshold', '5', '--case', '1']);
  assertCleanFailure(explain, /explain needs a model, and this review audits a score already in use \(column "decile_score"\)/);
  const both = runCli([...base, '--model', 'x.json']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--model FILE or --score-column COL, not both/);
});
