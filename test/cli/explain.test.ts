/**
 * `risk-review explain` as a user runs it: one object for --case, one line per case in data order for
 * --all, the numbers XGBoost gives, the probability view, and clean failures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCleanFailure, runCli } from '../helpers/cli';
import { XGB_DIR, xgbFixture } from '../unit/explain-fixtures';

const XGB_TOLERANCE = 2e-5;
const fixture = (name: string) => ['--model', join(XGB_DIR, `${name}.json`), '--data', join(XGB_DIR, `${name}.csv`), '--id-column', 'case_id'];

interface Line {
  caseId: string;
  score: number;
  margin: number;
  baseValue: number;
  scale: string;
  method: string;
  attributions: { feature: string; value: number | string | null; contribution: number }[];
  topInteraction?: { features: [string, string]; value: number };
  domains?: { domain: string; items: string[]; points: number; maxPoints: number; contribution: number }[];
}

test('--case prints one object: every feature in model order, XGBoost\'s numbers, missing as null, the top pair', () => {
  const { model, cases, expected } = xgbFixture('binary_d3_named');
  const i = cases.ids.findIndex((_, k) => cases.x.subarray(k * 8, k * 8 + 8).some(Number.isNaN));
  const r = runCli(['explain', ...fixture('binary_d3_named'), '--case', cases.ids[i]]);
  assert.equal(r.code, 0, r.stderr);
  const o = JSON.parse(r.stdout) as Line;
  assert.deepEqual(Object.keys(o), ['caseId', 'score', 'margin', 'baseValue', 'scale', 'method', 'attributions', 'topInteraction']);
  assert.equal(o.caseId, cases.ids[i]);
  assert.equal(o.scale, 'log-odds');
  assert.equal(o.method, 'treeshap-path-dependent');
  assert.ok(Math.abs(o.score - expected.probability[i]) <= 1e-6);
  assert.ok(Math.abs(o.baseValue - expected.contribs[i][8]) <= XGB_TOLERANCE);
  assert.deepEqual(o.attributions.map((a) => a.feature), model.features.map((f) => f.name));
  o.attributions.forEach((a, j) => {
    assert.ok(Math.abs(a.contribution - expected.contribs[i][j]) <= XGB_TOLERANCE, a.feature);
    const v = cases.x[i * 8 + j];
    assert.equal(a.value, Number.isNaN(v) ? null : v);
  });
  assert.ok(o.attributions.some((a) => a.value === null), 'the chosen case has a missing value');
  assert.ok(Math.abs(o.baseValue + o.attributions.reduce((s, a) => s + a.contribution, 0) - o.margin) <= 1e-9);
  assert.equal(o.topInteraction!.features.length, 2);
  const line = runCli(['explain', ...fixture('binary_d3_named'), '--case', cases.ids[i], '--format', 'jsonl']).stdout;
  assert.equal(line.split('\n').length, 2, 'one line and its newline');
  assert.deepEqual(JSON.parse(line), o);
});

test('--all prints one line per case in data order; one thread and several agree exactly', () => {
  const { cases, expected } = xgbFixture('binary_d5_unnamed');
  const r = runCli(['explain', ...fixture('binary_d5_unnamed'), '--all']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Line);
  assert.deepEqual(lines.map((l) => l.caseId), cases.ids);
  let worst = 0;
  lines.forEach((l, i) => l.attributions.forEach((a, j) => (worst = Math.max(worst, Math.abs(a.contribution - expected.contribs[i][j])))));
  assert.ok(worst <= XGB_TOLERANCE, `max |φ − pred_contribs| = ${worst}`);
  assert.equal(lines[0].attributions[0].feature, 'f0');
  assert.equal(lines[0].topInteraction, undefined, '--all adds pairs only when asked');
  assert.equal(runCli(['explain', ...fixture('binary_d5_unnamed'), '--all', '--threads', '1']).stdout, r.stdout);
  const withPairs = runCli(['explain', ...fixture('binary_d5_unnamed'), '--all', '--interactions', '--format', 'json']);
  const all = JSON.parse(withPairs.stdout) as Line[];
  assert.equal(all.length, cases.n);
  assert.ok(all.every((l) => l.topInteraction && l.topInteraction.features.length === 2));
});

test('--scale probability: base probability plus contributions is the score', () => {
  const r = runCli(['explain', ...fixture('reglogistic_d6_unnamed'), '--all', '--scale', 'probability']);
  assert.equal(r.code, 0, r.stderr);
  for (const l of r.stdout.trimEnd().split('\n').map((s) => JSON.parse(s) as Line)) {
    assert.equal(l.scale, 'probability');
    assert.ok(Math.abs(l.baseValue + l.attributions.reduce((s, a) => s + a.contribution, 0) - l.score) <= 1e-12);
    assert.ok(Math.abs(l.score - 1 / (1 + Math.exp(-l.margin))) <= 1e-15);
  }
});

const d = mkdtempSync(join(tmpdir(), 'rr-cli-explain-'));
writeFileSync(join(d, 'lr.riskmodel.json'), JSON.stringify({ kind: 'logistic', intercept: -1, coefficients: { priors: 0.5, age: -0.05 } }));
writeFileSync(join(d, 'card.riskmodel.json'), JSON.stringify({ kind: 'scorecard', items: [{ feature: 'priors', bins: [{ below: 2, points: 0 }, { points: 3 }] }, { feature: 'school', categories: { engaged: 0, disengaged: 2 }, missingPoints: 1 }], bands: [{ label: 'Low', below: 3 }, { label: 'High' }] }));
writeFileSync(join(d, 'cases.csv'), 'id,priors,age,school\nA,0,16,engaged\nB,4,14,\nC,2,15,disengaged\n');
writeFileSync(join(d, 'background.csv'), 'priors,age,school\n1,15,engaged\n3,17,engaged\n');
writeFileSync(join(d, 'p.riskreview.json'), JSON.stringify({ model: 'lr.riskmodel.json', data: 'cases.csv', background: 'background.csv', idColumn: 'id' }));

test('logistic and scorecard: closed forms, their scales, category labels as values, the project\'s background', () => {
  const lr = JSON.parse(runCli(['explain', '--project', join(d, 'p.riskreview.json'), '--case', 'B']).stdout) as Line;
  assert.equal(lr.method, 'linear-closed-form');
  assert.equal(lr.topInteraction, undefined);
  assert.deepEqual(lr.attributions.map((a) => a.contribution), [0.5 * (4 - 2), -0.05 * (14 - 16)]);
  assert.ok(Math.abs(lr.baseValue - (-1 + 0.5 * 2 - 0.05 * 16)) < 1e-12, 'base from background.csv means');
  const card = runCli(['explain', '--model', join(d, 'card.riskmodel.json'), '--data', join(d, 'cases.csv'), '--id-column', 'id', '--all']);
  assert.equal(card.code, 0, card.stderr);
  const lines = card.stdout.trimEnd().split('\n').map((s) => JSON.parse(s) as Line);
  assert.equal(lines[0].scale, 'points');
  assert.equal(lines[0].method, 'additive-closed-form');
  assert.deepEqual(lines.map((l) => l.attributions[1].value), ['engaged', null, 'disengaged']);
  assert.deepEqual(lines.map((l) => l.score), [0, 4, 5], 'no probability mapping: the total is the score');
  assert.equal(lines[1].attributions[1].contribution, 1 - (0 + 1 + 2) / 3);
  assert.equal(lines[0].domains, undefined, 'an instrument without domains lists none');
});

test('an instrument with domains: each domain\'s items, points and summed contribution, on the scale shown', () => {
  const project = join(__dirname, '..', '..', 'samples', 'juvenile', 'juvenile-instrument.riskreview.json');
  for (const scale of ['margin', 'probability']) {
    const r = runCli(['explain', '--project', project, '--case', 'J-000002', '--scale', scale]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Line;
    assert.ok(out.domains);
    assert.deepEqual(out.domains.map((d) => d.domain), ['Offence history', 'Education', 'Family', 'Peers and substance use']);
    assert.deepEqual(out.domains.flatMap((d) => d.items), out.attributions.map((a) => a.feature), 'the domains partition the items, in order');
    for (const d of out.domains) {
      const items = out.attributions.filter((a) => d.items.includes(a.feature));
      assert.ok(Math.abs(d.contribution - items.reduce((s, a) => s + a.contribution, 0)) < 1e-12, `${scale} ${d.domain}`);
    }
  }
  // J-000002's points (samples/juvenile/cases.csv and instrument.riskmodel.json): 6, 1, 1 and 4.
  const out = JSON.parse(runCli(['explain', '--project', project, '--case', 'J-000002']).stdout) as { domains: { points: number; maxPoints: number }[] };
  assert.deepEqual(out.domains.map((d) => [d.points, d.maxPoints]), [[6, 13], [1, 3], [1, 8], [4, 8]]);
});

test('bad input and bad usage fail cleanly; --out is atomic and never overwrites unasked', () => {
  const card = ['--model', join(d, 'card.riskmodel.json'), '--data', join(d, 'cases.csv'), '--id-column', 'id'];
  assertCleanFailure(runCli(['explain', ...card, '--all', '--scale', 'probability']), /maps no probability; use --scale margin/);
  assertCleanFailure(runCli(['explain', ...fixture('binary_d3_named'), '--case', 'NOPE']), /has no case with id "NOPE"/);
  for (const args of [[], ['--case', 'A', '--all'], ['--all', '--threads', '0'], ['--all', '--scale', 'odds'], ['--all', '--format', 'csv']]) {
    const r = runCli(['explain', ...card, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /Usage: risk-review explain/);
  }
  const out = join(d, 'out.jsonl');
  const first = runCli(['explain', ...card, '--all', '--out', out]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, '');
  assert.equal(readFileSync(out, 'utf8').trimEnd().split('\n').length, 3);
  assertCleanFailure(runCli(['explain', ...card, '--all', '--out', out]), /already exists; pass --force/);
  const never = join(d, 'never.jsonl');
  assertCleanFailure(runCli(['explain', ...card, '--case', 'NOPE', '--out', never]), /NOPE/);
  assert.equal(existsSync(never), false);
});
