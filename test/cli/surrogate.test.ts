/**
 * `risk-review surrogate` as a user runs it, on an XGBoost model and cases made by
 * test/oracles/surrogate_fixtures.py, against scikit-learn's greedy tree on the model's probabilities.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertCleanFailure, runCli } from '../helpers/cli';

const DIR = join(__dirname, '..', 'fixtures', 'surrogate', 'cli');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  n: number;
  probabilities: number[];
  sklearn: Record<string, { leaves: number; r2: number; heldOut: { n: number; r2: number } }>;
};
const base = ['surrogate', '--model', join(DIR, 'model.json'), '--data', join(DIR, 'cases.csv'), '--id-column', 'case_id'];

interface TreeJson {
  id: number;
  n: number;
  mean: number;
  left?: TreeJson;
  right?: TreeJson;
}

function leavesOf(t: TreeJson): TreeJson[] {
  return t.left && t.right ? [...leavesOf(t.left), ...leavesOf(t.right)] : [t];
}

function depthOf(t: TreeJson): number {
  return t.left && t.right ? 1 + Math.max(depthOf(t.left), depthOf(t.right)) : 0;
}

test('surrogate --format json: leaves, depth, fidelity, frontier, rules and tree; as faithful as scikit-learn\'s greedy tree', () => {
  const r = runCli([...base, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  for (const key of ['leaves', 'depth', 'fidelity', 'frontier', 'rules', 'tree']) assert.ok(key in out, key);
  assert.equal(out.casePath, undefined);
  assert.equal(out.cases, expected.n);
  assert.ok(out.leaves <= 8);
  assert.equal(out.leaves, leavesOf(out.tree).length);
  assert.equal(out.depth, depthOf(out.tree));
  assert.equal(out.rules.length, out.leaves);
  assert.ok(out.fidelity.r2 >= expected.sklearn['8'].r2 - 0.02, `${out.fidelity.r2} vs ${expected.sklearn['8'].r2}`);
  assert.ok(out.fidelity.bandAgreement > 0.5 && out.fidelity.bandAgreement <= 1);
  // On the fifth held out from fitting (the same cases scikit-learn's held-out tree was scored on).
  assert.equal(out.heldOut.n, expected.sklearn['8'].heldOut.n);
  assert.equal(out.heldOut.fittedOn, expected.n - expected.sklearn['8'].heldOut.n);
  assert.ok(out.heldOut.r2 >= expected.sklearn['8'].heldOut.r2 - 0.03, `held out: ${out.heldOut.r2} vs ${expected.sklearn['8'].heldOut.r2}`);
  assert.deepEqual(out.frontier.map((p: { budget: number }) => p.budget), [2, 4, 8, 16]);
  for (const p of out.frontier) {
    assert.ok(p.leaves <= p.budget);
    assert.ok(p.r2 >= expected.sklearn[String(p.budget)].r2 - 0.02, `${p.budget}: ${p.r2} vs ${expected.sklearn[String(p.budget)].r2}`);
  }
  // The tree imitates the model's probability: its root holds every case at their mean (XGBoost's own predictions).
  const mean = expected.probabilities.reduce((a, b) => a + b, 0) / expected.n;
  assert.equal(out.tree.n, expected.n);
  assert.ok(Math.abs(out.tree.mean - mean) < 1e-6);
  const leafCases = leavesOf(out.tree).reduce((s, l) => s + l.n, 0);
  assert.equal(leafCases, expected.n);
  for (const rule of out.rules) assert.match(rule.text, /→ scores around 0\.\d\d \(n=\d+, spread ±0\.\d\d\)$/);
});

test('surrogate --max-leaves 4 --case ID: the case\'s path, the rule\'s prediction beside the model\'s score', () => {
  const r = runCli([...base, '--max-leaves', '4', '--case', 'K00007']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(out.leaves <= 4);
  assert.ok(out.fidelity.r2 >= expected.sklearn['4'].r2 - 0.02);
  const path = out.casePath as { node: number; n: number; mean: number; text?: string }[];
  assert.equal(path[0].node, 0);
  assert.equal(path[0].text, undefined);
  // Walk the nested tree along the path: each step is a child of the one before, and the last is a leaf.
  let node = out.tree as TreeJson;
  for (const step of path.slice(1)) {
    node = [node.left!, node.right!].find((c) => c.id === step.node)!;
    assert.ok(node, `step ${step.node}`);
    assert.equal(node.n, step.n);
  }
  assert.equal(node.left, undefined);
  assert.equal(out.case.prediction, node.mean);
  assert.ok(Math.abs(out.case.modelScore - expected.probabilities[7]) < 1e-6);
  assert.ok(Math.abs(out.case.difference - (out.case.modelScore - out.case.prediction)) < 1e-12);
  assert.equal(typeof out.case.poorlyServed, 'boolean');
  assert.match(out.case.verdict, /^The rule gives 0\.\d\d .* where the model scores 0\.\d\d/);
  // The rule names every feature the path tests.
  for (const step of path.slice(1)) assert.ok(out.case.rule.includes(step.text!.split(/ [<≥] | is /)[0]), `${out.case.rule} / ${step.text}`);
});

test('surrogate: bad usage exits 2, an unknown case exits 1 with one line', () => {
  for (const bad of [['--max-leaves', '0'], ['--max-leaves', '2.5'], ['--max-depth', '99'], ['--bins', '1'], ['--format', 'csv']]) {
    const r = runCli([...base, ...bad]);
    assert.equal(r.code, 2, `${bad.join(' ')}: ${r.stderr}`);
  }
  assertCleanFailure(runCli([...base, '--case', 'nobody']), /has no case with id "nobody"/);
});
