/**
 * `risk-review recourse` and `explain --curves` as a user runs them: the engine's answer as JSON (the
 * options XGBoost's own enumeration gives, test/fixtures/recourse/), the flags that shape the search,
 * the stated answers when nothing can or need change, and clean failures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCleanFailure, runCli } from '../helpers/cli';
import type { CurvesSection, RecourseSection } from '../../extension/engine/recourse/types';

const ROOT = join(__dirname, '..', '..');
const SAMPLE = join(ROOT, 'samples', 'juvenile');
const XGB_PROJECT = join(SAMPLE, 'juvenile.riskreview.json');

type RecourseJson = RecourseSection & { caseId: string; score: number; margin: number; band: string; scoreIsProbability: boolean };

function recourse(args: string[]): RecourseJson {
  const r = runCli(['recourse', ...args]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout) as RecourseJson;
}

interface Fixture {
  cases: { caseId: string; options: { changes: Record<string, number>; size: number; probability: number }[] }[];
}

test('recourse --case prints the case, its target and the options XGBoost\'s enumeration gives, smallest first', () => {
  const fixture = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'recourse', 'sample-xgboost.json'), 'utf8')) as Fixture;
  const c = fixture.cases.find((x) => x.options.length >= 3 && x.options[0].changes && Object.keys(x.options[0].changes).length === 1)!;
  const o = recourse(['--project', XGB_PROJECT, '--case', c.caseId]);
  assert.deepEqual(Object.keys(o), ['caseId', 'score', 'margin', 'band', 'scoreIsProbability', 'method', 'target', 'maxChanges', 'changeable', 'notes', 'status', 'options', 'search']);
  assert.equal(o.caseId, c.caseId);
  assert.equal(o.status, 'found');
  assert.ok(o.search.complete && o.search.bound === null);
  assert.equal(o.options.length, c.options.length);
  o.options.forEach((opt, k) => {
    assert.equal(opt.size, c.options[k].size);
    assert.ok(Math.abs(opt.score - c.options[k].probability) <= 1e-6);
    assert.ok(opt.score < o.target!.below && opt.band !== o.band);
  });
  assert.deepEqual(Object.fromEntries(o.options[0].changes.map((ch) => [ch.feature, ch.to])), c.options[0].changes);
  assert.deepEqual(o.changeable.map((x) => x.feature), ['school_disengagement', 'family_conflict', 'supervision_problems', 'peer_delinquency', 'substance_use']);

  const two = recourse(['--project', XGB_PROJECT, '--case', c.caseId, '--options', '2', '--max-changes', '1']);
  assert.equal(two.maxChanges, 1);
  assert.ok(two.options.length <= 2 && two.options.every((x) => x.changes.length === 1));
  assert.deepEqual(two.options[0], o.options[0]);
});

test('--target-band: a band further down, or one the case is already in; the answer when nothing reaches it', () => {
  const scored = JSON.parse(runCli(['score', '--project', XGB_PROJECT, '--format', 'json']).stdout) as { cases: { caseId: string; band: string; score: number }[] };
  const top = scored.cases.filter((s) => s.band === 'High').sort((a, b) => b.score - a.score)[0];
  const low = recourse(['--project', XGB_PROJECT, '--case', top.caseId, '--target-band', 'Low']);
  assert.deepEqual(low.target, { band: 'Low', below: 0.25 });
  assert.ok(low.status === 'none' || low.options.every((x) => x.score < 0.25));
  if (low.status === 'none') assert.deepEqual(low.options, []);
  const already = recourse(['--project', XGB_PROJECT, '--case', top.caseId, '--target-band', 'High']);
  assert.equal(already.status, 'in-target');
  assert.equal(already.target, null);
});

test('a review without a project marks nothing as able to change, and says so', () => {
  const o = recourse(['--model', join(SAMPLE, 'xgboost.json'), '--data', join(SAMPLE, 'cases.csv'), '--id-column', 'case_id', '--case', 'J-000001']);
  assert.equal(o.status, 'nothing-changeable');
  assert.deepEqual(o.changeable, []);
});

test('recourse: bad usage exits 2, bad input exits 1 with one line', () => {
  for (const args of [[], ['--case', 'J-000001', '--target-band', 'Nowhere'], ['--case', 'J-000001', '--max-changes', '0'], ['--case', 'J-000001', '--options', 'many'], ['--case', 'J-000001', '--format', 'csv']]) {
    const r = runCli(['recourse', '--project', XGB_PROJECT, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
  }
  assertCleanFailure(runCli(['recourse', '--project', XGB_PROJECT, '--case', 'J-999999']), /J-999999/);
  const dir = mkdtempSync(join(tmpdir(), 'rr-recourse-cli-'));
  const project = JSON.parse(readFileSync(XGB_PROJECT, 'utf8'));
  project.model = join(SAMPLE, 'xgboost.json');
  project.data = join(SAMPLE, 'cases.csv');
  project.features.substance_use = { riskFactor: 'dynamic', min: 3, max: 0 };
  writeFileSync(join(dir, 'bad.riskreview.json'), JSON.stringify(project));
  assertCleanFailure(runCli(['recourse', '--project', join(dir, 'bad.riskreview.json'), '--case', 'J-000001']), /bad\.riskreview\.json: "features\.substance_use": "min" \(3\) is above "max" \(0\)/);
});

test('explain --curves adds the bands and every feature\'s curve, the case\'s own point at its score', () => {
  const r = runCli(['explain', '--project', join(SAMPLE, 'juvenile-instrument.riskreview.json'), '--case', 'J-000002', '--curves']);
  assert.equal(r.code, 0, r.stderr);
  const o = JSON.parse(r.stdout) as { score: number; attributions: { feature: string; value: number | null }[]; bands: CurvesSection['bands']; curves: CurvesSection['curves'] };
  assert.deepEqual(o.bands.map((b) => b.label), ['Low', 'Moderate', 'High']);
  assert.deepEqual(o.curves.map((c) => c.feature), o.attributions.map((a) => a.feature));
  for (const c of o.curves) {
    const own = o.attributions.find((a) => a.feature === c.feature)!.value;
    assert.equal(c.caseValue, own);
    if (own !== null) assert.equal(c.points.find((p) => p.value === own)!.score, o.score, c.feature);
  }
  assert.equal(o.curves.find((c) => c.feature === 'family_conflict')!.riskFactor, 'dynamic');
  const plain = JSON.parse(runCli(['explain', '--project', join(SAMPLE, 'juvenile-instrument.riskreview.json'), '--case', 'J-000002']).stdout);
  assert.equal(plain.curves, undefined, 'only with --curves');
  const lines = runCli(['explain', '--project', join(SAMPLE, 'juvenile-logistic.riskreview.json'), '--all', '--curves']).stdout.trimEnd().split('\n');
  assert.equal(lines.length, 3500);
  assert.equal((JSON.parse(lines[41]) as { curves: unknown[] }).curves.length, 10);
});
