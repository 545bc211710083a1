/**
 * `risk-review calibration` as a process: its JSON against scikit-learn (test/fixtures/calibration/cli,
 * from test/oracles/calibration_fixtures.py) — the standard errors and 95% intervals of the AUC, Brier
 * score, slope and intercept against brute-force DeLong, numpy and statsmodels too — warnings, --case,
 * --drivers, --bootstrap, and bad input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCleanFailure, runCli } from '../helpers/cli';
import { checkFigures, close, type Setting } from '../helpers/calibration-oracle';

const FIXTURE = join(__dirname, '..', 'fixtures', 'calibration', 'cli');
const expected: { labels: string[]; reference: Setting[] } = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8'));
const base = ['calibration', '--model', join(FIXTURE, 'model.riskmodel.json'), '--data', join(FIXTURE, 'cases.csv'), '--id-column', 'case_id', '--outcome', 'reoffended'];
const d = mkdtempSync(join(tmpdir(), 'rr-cli-calibration-'));

function run(args: string[]) {
  const r = runCli([...base, ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

for (const [k, s] of expected.reference.entries()) {
  test(`per-group figures match scikit-learn (${s.strategy}, ${s.bins} bins, threshold ${s.threshold})`, () => {
    const args = ['--group', 'region', '--format', 'json', '--threshold', String(s.threshold)];
    if (k > 0) args.push('--bins', String(s.bins), '--strategy', s.strategy);
    const out = run(args);
    assert.equal(out.groupBy, 'region');
    assert.equal(out.threshold, s.threshold);
    checkFigures(out.overall, s.overall, 'everyone', false);
    assert.deepEqual(out.groups.map((g: { group: string }) => g.group), expected.labels);
    out.groups.forEach((g: never, i: number) => checkFigures(g, s.groups[i], `group ${expected.labels[i]}`, false));
    for (const g of out.groups) {
      assert.equal(g.bins.length, s.bins, 'every bin is listed, empty ones with n: 0');
      for (const key of ['group', 'n', 'brier', 'ece', 'auc', 'fpr', 'fnr', 'ppv', 'selectionRate', 'calibrationSlope', 'calibrationIntercept', 'standardErrors', 'intervals', 'warnings', 'bins']) assert.ok(key in g, key);
      // Every interval has one shape, the rates' Wilson ones and the analytic ones alike.
      for (const name of ['observedRate', 'fpr', 'auc', 'brier', 'calibrationSlope', 'calibrationIntercept']) assert.deepEqual(Object.keys(g.intervals[name]), ['ciLow', 'ciHigh'], name);
    }
    assert.deepEqual(Object.keys(out.intervalMethods), ['auc', 'brier', 'calibrationSlope', 'calibrationIntercept', 'calibrationInTheLarge', 'rateGaps', 'otherGaps', 'outcomeAtEqualScore']);
  });
}

test('unknown outcomes are left out and counted; the small group is warned about', () => {
  const out = run(['--group', 'region']);
  assert.equal(out.excludedUnknownOutcome, 2);
  const islands = out.groups.find((g: { group: string }) => g.group === 'Islands');
  assert.ok(islands.n < 50);
  assert.match(islands.warnings.join('\n'), /fewer than 50/);
  assert.equal(out.reference, 'North');
});

test('--case states the calibration near the case score, for its group and for everyone', () => {
  const out = run(['--group', 'region', '--case', 'C0007']);
  const c = out.case;
  assert.equal(c.caseId, 'C0007');
  const group = out.groups.find((g: { group: string }) => g.group === c.group);
  const bin = c.section.groups[0].caseBin;
  assert.ok(bin.lower <= c.score && c.score <= bin.upper, 'the case falls in the bin it is shown');
  const same = group.bins.find((b: { lower: number }) => b.lower === bin.lower);
  assert.equal(same.n, bin.n);
  close(bin.observedRate, same.observedRate, 'the case bin is the group bin');
  assert.equal(c.statement.length, 2);
  assert.match(c.statement[0], new RegExp(`^Among cases in ${c.group} \\(region\\) scored \\d+% to \\d+% \\(\\d+ cases, average score [\\d.]+%\\), the outcome happened for [\\d.]+% \\(95% interval [\\d.]+% to [\\d.]+%\\)`));
  assert.match(c.statement[1], /^Among all cases scored/);
});

test('--drivers: mean |attribution| per group equals the logistic closed form computed here', () => {
  const out = run(['--group', 'region', '--drivers']);
  const model = JSON.parse(readFileSync(join(FIXTURE, 'model.riskmodel.json'), 'utf8'));
  const lines = readFileSync(join(FIXTURE, 'cases.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const features = ['priors', 'age'];
  const col = { priors: 2, age: 3 } as const;
  const mean = (j: 'priors' | 'age') => lines.reduce((s, l) => s + Number(l[col[j]]), 0) / lines.length;
  assert.deepEqual(out.drivers.features.map((f: { feature: string }) => f.feature), features);
  for (const [g, { group }] of out.drivers.groups.entries()) {
    const rows = lines.filter((l) => l[1] === group);
    for (const [j, f] of features.entries()) {
      const name = f as 'priors' | 'age';
      const want = rows.reduce((s, l) => s + Math.abs(model.coefficients[name] * (Number(l[col[name]]) - mean(name))), 0) / rows.length;
      close(out.drivers.features[j].influence[g], want, `mean |φ| of ${f} in ${group}`);
    }
  }
  for (const f of out.drivers.features) assert.equal(f.flagged, out.drivers.flagged.includes(f.feature));
});

test('--bootstrap gives the same intervals for the same seed', () => {
  const a = runCli([...base, '--group', 'region', '--bootstrap', '200', '--seed', '3']);
  const b = runCli([...base, '--group', 'region', '--bootstrap', '200', '--seed', '3']);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  const gap = JSON.parse(a.stdout).gaps.find((g: { group: string }) => g.group === 'South');
  assert.ok(gap.intervals.fpr.ciLow <= gap.intervals.fpr.ciHigh);
});

test('an outcome that is not 0/1 is an error naming the file, line and column', () => {
  const lines = readFileSync(join(FIXTURE, 'cases.csv'), 'utf8').split('\n');
  lines[4] = lines[4].replace(/,[^,]*$/, ',2');
  const bad = join(d, 'bad-outcome.csv');
  writeFileSync(bad, lines.join('\n'));
  const r = runCli([...base.slice(0, 4), bad, '--id-column', 'case_id', '--outcome', 'reoffended', '--group', 'region']);
  assertCleanFailure(r, /bad-outcome\.csv, line 5, column "reoffended": the outcome "2" is not 0\/1 or true\/false/);
});

test('an instrument without probabilities is checked on its own scale: a bin per total, no figure that needs a probability', () => {
  const model = join(d, 'points.riskmodel.json');
  writeFileSync(
    model,
    JSON.stringify({ kind: 'scorecard', name: 'Points only', items: [{ feature: 'priors', bins: [{ below: 2, points: 0 }, { below: 5, points: 3 }, { points: 5 }] }], bands: [{ label: 'Low', below: 2 }, { label: 'High' }] }),
  );
  const r = runCli(['calibration', '--model', model, '--data', join(FIXTURE, 'cases.csv'), '--id-column', 'case_id', '--outcome', 'reoffended']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.scale, 'score');
  assert.equal(out.strategy, 'values');
  assert.match(out.absentFigures, /Brier score, ECE, calibration-in-the-large and the calibration slope and intercept/);
  assert.deepEqual(out.overall.bins.map((b: { lower: number; upper: number }) => [b.lower, b.upper]), [[0, 0], [3, 3], [5, 5]]);
  for (const f of ['brier', 'ece', 'calibrationInTheLarge', 'calibrationSlope', 'calibrationIntercept']) assert.equal(out.overall[f], null, f);
  assert.ok(out.overall.auc > 0.5 && out.overall.auc < 1);
  assert.equal(out.threshold, 2, 'an instrument without probabilities flags its top band (High starts at 2 points)');
});

test('bad usage: exit 2', () => {
  assert.equal(runCli([...base, '--bins', '0']).code, 2);
  assert.equal(runCli([...base, '--strategy', 'kmeans']).code, 2);
  assert.equal(runCli([...base.slice(0, -2)]).code, 2, 'no --outcome');
  assert.equal(runCli([...base, '--drivers']).code, 2, '--drivers without --group');
  const r = runCli([...base, '--group', 'region', '--reference', 'Atlantis']);
  assertCleanFailure(r, /the reference group "Atlantis" is not a group of column "region"/);
});
