/**
 * The surrogate against scikit-learn's greedy tree (test/oracles/surrogate_fixtures.py): fidelity at
 * equal leaves, our R² against r2_score, the leaf budget, the rules and the case path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../extension/engine/errors';
import type { Band, FeatureInfo } from '../../extension/engine/models/types';
import { fitSurrogate, isHeldOut, MIN_CASES_FOR_HOLDOUT, r2Score, surrogateCase, surrogatePath, type Condition, type Surrogate } from '../../extension/engine/surrogate/index';

const FIXTURES = join(__dirname, '..', 'fixtures', 'surrogate');
const BUDGETS = [2, 4, 8, 16];

interface Fixture {
  name: string;
  features: FeatureInfo[];
  scoreIsProbability: boolean;
  bands: Band[];
  x: Float64Array;
  score: Float64Array;
  sklearn: Record<string, { leaves: number; depth: number; r2: number; predictions?: number[]; heldOut: { n: number; r2: number } }>;
}

function load(name: string): Fixture {
  const raw = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));
  return { ...raw, x: Float64Array.from(raw.x.flat(), (v: number | null) => (v === null ? NaN : v)), score: Float64Array.from(raw.score) };
}

const fixtures = ['smooth', 'mixed', 'steps', 'ties'].map(load);
const fit = (f: Fixture, maxLeaves: number, extra: { maxDepth?: number; maxBins?: number } = {}) =>
  fitSurrogate(f.x, f.features, f.score, f.bands, { maxLeaves, scoreIsProbability: f.scoreIsProbability, ...extra });

/** Whether a case's raw values meet a condition. */
function holds(c: Condition, features: readonly FeatureInfo[], row: ArrayLike<number>): boolean {
  const j = features.findIndex((f) => f.name === c.feature);
  const v = row[j];
  if (v !== v) return c.includesMissing;
  switch (c.kind) {
    case 'below':
      return v < c.threshold;
    case 'atLeast':
      return v >= c.threshold;
    case 'in':
      return c.categories.includes(features[j].categories![v]);
    case 'missing':
      return false;
    case 'known':
      return true;
  }
}

test('our R² is scikit-learn\'s r2_score on the same predictions', () => {
  for (const f of fixtures) {
    const { predictions, r2 } = f.sklearn['8'];
    assert.ok(Math.abs(r2Score(f.score, predictions!) - r2) < 1e-12, `${f.name}: ${r2Score(f.score, predictions!)} vs ${r2}`);
  }
  assert.equal(r2Score([0.3, 0.3], [0.3, 0.3]), 1);
  assert.equal(r2Score([0.3, 0.3], [0.3, 0.4]), 0);
});

test('fidelity at 2, 4, 8 and 16 leaves is at least scikit-learn\'s greedy tree with the same leaves, less 0.02', () => {
  for (const f of fixtures) {
    for (const k of BUDGETS) {
      const s = fit(f, k);
      const sk = f.sklearn[String(k)];
      assert.ok(s.leaves <= k, `${f.name} k=${k}: ${s.leaves} leaves`);
      assert.ok(s.fidelity.r2 >= sk.r2 - 0.02, `${f.name} k=${k}: R² ${s.fidelity.r2} vs scikit-learn ${sk.r2}`);
      // What the fixtures show today: never more than binning's small loss behind, and well ahead on mixed data.
      assert.ok(s.fidelity.r2 >= sk.r2 - 0.005, `${f.name} k=${k}: R² ${s.fidelity.r2} vs scikit-learn ${sk.r2}`);
    }
  }
  const mixed = fixtures.find((f) => f.name === 'mixed')!;
  assert.ok(fit(mixed, 8).fidelity.r2 > mixed.sklearn['8'].r2 + 0.05);
});

test('held out: the fifth scikit-learn was scored on, and at least its greedy tree\'s R² there, less 0.03', () => {
  for (const f of fixtures) {
    const n = f.score.length;
    for (const k of BUDGETS) {
      const s = fit(f, k);
      const sk = f.sklearn[String(k)].heldOut;
      assert.ok(s.heldOut, `${f.name}: no held-out fidelity`);
      assert.equal(s.heldOut.n, sk.n, `${f.name}: ${s.heldOut.n} held out, the oracle's rule holds out ${sk.n}`);
      assert.equal(s.heldOut.fittedOn, n - sk.n);
      // Held-out trees differ more than trees fitted to all cases (fewer cases, another sample), hence 0.03.
      assert.ok(s.heldOut.r2 >= sk.r2 - 0.03, `${f.name} k=${k}: held-out R² ${s.heldOut.r2} vs scikit-learn ${sk.r2}`);
    }
  }
});

test('held out: the figure is the tree fitted to the other cases, scored case by case on the held-out ones', () => {
  for (const f of fixtures) {
    const m = f.features.length;
    const rows = Array.from(f.score, (_, i) => i);
    const fitted = rows.filter((i) => !isHeldOut(i));
    const held = rows.filter((i) => isHeldOut(i));
    const x = Float64Array.from(fitted.flatMap((i) => Array.from(f.x.subarray(i * m, (i + 1) * m))));
    const tree = fitSurrogate(x, f.features, Float64Array.from(fitted, (i) => f.score[i]), f.bands, { maxLeaves: 8, scoreIsProbability: f.scoreIsProbability });
    const prediction = held.map((i) => surrogatePath(tree, f.x, i * m).prediction);
    const heldOut = fit(f, 8).heldOut!;
    assert.ok(Math.abs(heldOut.r2 - r2Score(held.map((i) => f.score[i]), prediction)) < 1e-12, f.name);
    // A tree that reproduces the score exactly does so on cases it never saw.
    if (f.name === 'ties') assert.ok(Math.abs(heldOut.r2 - 1) < 1e-12);
  }
  const steps = fixtures.find((f) => f.name === 'steps')!;
  assert.ok(Math.abs(fit(steps, 16).heldOut!.r2 - 1) < 1e-12, 'the instrument\'s 12 totals, held out');
});

test('held out: none under the minimum, and the notes say which', () => {
  const f = fixtures[0];
  const m = f.features.length;
  const few = MIN_CASES_FOR_HOLDOUT - 1;
  const small = fitSurrogate(f.x.subarray(0, few * m), f.features, f.score.subarray(0, few), f.bands, { maxLeaves: 4 });
  assert.equal(small.heldOut, null);
  assert.match(small.notes[0], /with under 100 cases, none are held out/);
  assert.match(fit(f, 4).notes[0], /and again on 600 cases held out from a tree grown the same way on the other 2,400/);
  // Left out on request (the benchmark times the fit without it): the tree itself is the same.
  const without = fitSurrogate(f.x, f.features, f.score, f.bands, { maxLeaves: 4, heldOut: false });
  assert.equal(without.heldOut, null);
  assert.match(without.notes[0], /fidelity is measured on the same cases\.$/);
  assert.deepEqual(without.nodes, fit(f, 4).nodes);
});

test('the budget is met exactly unless more leaves would buy nothing', () => {
  for (const f of fixtures) {
    for (const k of BUDGETS) {
      const s = fit(f, k);
      if (s.leaves === k) continue;
      const larger = fit(f, 4 * k);
      assert.ok(Math.abs(larger.fidelity.r2 - s.fidelity.r2) < 1e-9, `${f.name} k=${k}: ${s.leaves} leaves, R² ${s.fidelity.r2}, but ${larger.leaves} reach ${larger.fidelity.r2}`);
    }
  }
  const steps = fixtures.find((f) => f.name === 'steps')!;
  const exact = fit(steps, 16);
  assert.equal(exact.leaves, 12, 'the instrument\'s 12 totals need 12 leaves');
  assert.ok(Math.abs(exact.fidelity.r2 - 1) < 1e-12);
  assert.ok(exact.notes.some((n) => /Only 12 of the 16 leaves/.test(n)));
  const smooth = fixtures.find((f) => f.name === 'smooth')!;
  for (const k of BUDGETS) assert.equal(fit(smooth, k).leaves, k);
});

test('no kept split buys nothing: pruning any pair of sibling leaves raises the error', () => {
  for (const f of fixtures) {
    const s = fit(f, 16);
    const total = s.nodes[0].n * s.nodes[0].spread ** 2;
    for (const node of s.nodes) {
      if (node.children.length === 0) continue;
      const [l, r] = node.children.map((c) => s.nodes[c]);
      if (l.children.length || r.children.length) continue;
      const gain = node.n * node.spread ** 2 - (l.n * l.spread ** 2 + r.n * r.spread ** 2);
      assert.ok(gain > 1e-9 * total, `${f.name}: node ${node.id} gains ${gain}`);
    }
  }
});

test('frontier: one entry per budget, fidelity never falls as leaves grow, and each is the fit at that budget', () => {
  for (const f of fixtures) {
    const s = fit(f, 8);
    assert.deepEqual(s.frontier.map((p) => p.budget), BUDGETS);
    for (let i = 1; i < s.frontier.length; i++) assert.ok(s.frontier[i].r2 >= s.frontier[i - 1].r2 - 1e-12);
    for (const p of s.frontier) {
      const at = fit(f, p.budget);
      assert.equal(at.leaves, p.leaves);
      assert.ok(Math.abs(at.fidelity.r2 - p.r2) < 1e-9);
      assert.ok(Math.abs(at.fidelity.bandAgreement - p.bandAgreement) < 1e-12);
    }
    const odd = fit(f, 5);
    assert.deepEqual(odd.frontier.map((p) => p.budget), [2, 4, 5, 8, 16]);
  }
});

/** Routes every case and recomputes what the surrogate says about its leaves. */
function checkConsistent(f: Fixture, s: Surrogate): void {
  const m = f.features.length;
  const n = f.score.length;
  const byLeaf = new Map<number, number[]>();
  const prediction = new Float64Array(n);
  let agree = 0;
  for (let i = 0; i < n; i++) {
    const row = f.x.subarray(i * m, (i + 1) * m);
    const path = surrogatePath(s, row);
    assert.equal(path.steps[0].node, 0);
    assert.equal(path.steps[path.steps.length - 1].node, path.leaf);
    assert.equal(s.nodes[path.leaf].children.length, 0);
    for (let k = 1; k < path.steps.length; k++) assert.ok((s.nodes[path.steps[k - 1].node].children as readonly number[]).includes(path.steps[k].node));
    assert.equal(path.prediction, s.nodes[path.leaf].mean);
    prediction[i] = path.prediction;
    byLeaf.set(path.leaf, [...(byLeaf.get(path.leaf) ?? []), i]);
    // The merged rule says the same as the path: the case meets its own leaf's rule and no other.
    const meets = s.rules.filter((rule) => rule.conditions.every((c) => holds(c, f.features, row)));
    assert.deepEqual(meets.map((r) => r.leaf), [path.leaf], `${f.name} case ${i}`);
    if (s.bands.length && f.bands.length) {
      const band = (v: number) => f.bands.find((b) => b.below === undefined || v < b.below)!.label;
      if (band(f.score[i]) === band(path.prediction)) agree++;
    }
  }
  assert.ok(Math.abs(r2Score(f.score, prediction) - s.fidelity.r2) < 1e-12);
  assert.ok(Math.abs(agree / n - s.fidelity.bandAgreement) < 1e-12);
  assert.equal(s.rules.length, s.leaves);
  assert.equal(s.rules.reduce((t, r) => t + r.n, 0), n);
  for (const rule of s.rules) {
    const cases = byLeaf.get(rule.leaf) ?? [];
    assert.equal(rule.n, cases.length);
    const mean = cases.reduce((t, i) => t + f.score[i], 0) / cases.length;
    const spread = Math.sqrt(cases.reduce((t, i) => t + (f.score[i] - mean) ** 2, 0) / cases.length);
    assert.ok(Math.abs(rule.mean - mean) < 1e-12);
    assert.ok(Math.abs(rule.spread - spread) < 1e-9);
    assert.match(rule.text, / → scores around /);
  }
}

test('every case follows one path; leaf counts, means, spreads, band agreement and rules agree with the cases', () => {
  for (const f of fixtures) for (const k of [4, 16]) checkConsistent(f, fit(f, k));
});

test('missing values: the rules say where they go, and a value no case was missing follows the larger branch', () => {
  const mixed = fixtures.find((f) => f.name === 'mixed')!;
  const s = fit(mixed, 8);
  const needs = s.nodes.filter((node) => node.condition?.feature === 'needs');
  assert.ok(needs.length > 0, 'the planted signal in missing "needs" is used');
  // Missing "needs" means higher risk in the data, so the branch that takes missing values scores higher.
  const root = s.nodes[0];
  const [l, r] = root.children.map((c) => s.nodes[c]);
  if (root.split!.feature === mixed.features.findIndex((f) => f.name === 'needs')) {
    const withMissing = l.condition!.includesMissing ? l : r;
    const without = withMissing === l ? r : l;
    assert.ok(withMissing.mean > without.mean);
  }
  // "Prior referrals" is never missing: a missing value goes where more cases went.
  const priors = s.nodes.find((node) => node.split && mixed.features[node.split.feature].name === 'priors')!;
  const [pl, pr] = priors.children.map((c) => s.nodes[c]);
  assert.equal(priors.split!.missingGoesLeft, pl.n >= pr.n);
  const row = Float64Array.from(mixed.x.subarray(0, mixed.features.length));
  row[0] = NaN;
  assert.doesNotThrow(() => surrogatePath(s, row));
  checkConsistent(mixed, s);
  // Only "needs" was ever missing, so only its conditions say "(or missing)" in words; the rest is a note.
  assert.deepEqual(s.neverMissing.includes('needs'), false);
  assert.ok(s.neverMissing.includes('priors'));
  for (const rule of s.rules) {
    for (const c of rule.conditions) assert.ok(rule.text.includes(`${c.label} `), rule.text);
    const marked = rule.text.match(/\(or missing\)/g)?.length ?? 0;
    assert.equal(marked, rule.conditions.filter((c) => c.feature === 'needs' && c.includesMissing && c.kind !== 'missing').length, rule.text);
  }
  assert.ok(s.notes.some((n) => /^No case fitted was missing .*Prior referrals/.test(n)));
});

test('when missingness itself is the signal, the tree asks whether the value is known', () => {
  const features: FeatureInfo[] = [{ name: 'school', label: 'School record' }, { name: 'age', label: 'Age' }];
  const n = 400;
  const x = new Float64Array(n * 2);
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const missing = i % 4 === 0;
    x[2 * i] = missing ? NaN : i % 7;
    x[2 * i + 1] = 12 + (i % 6);
    score[i] = missing ? 0.8 : 0.2;
  }
  const s = fitSurrogate(x, features, score, [{ label: 'Low', below: 0.5 }, { label: 'High' }], { maxLeaves: 4 });
  assert.equal(s.leaves, 2);
  assert.ok(Math.abs(s.fidelity.r2 - 1) < 1e-12);
  assert.deepEqual(s.nodes[0].split, { feature: 0, test: { kind: 'known' }, missingGoesLeft: false });
  const texts = s.rules.map((r) => r.text).sort();
  assert.deepEqual(texts, ['School record is known → scores around 0.20 (n=300, spread ±0.00)', 'School record is missing → scores around 0.80 (n=100, spread ±0.00)']);
  assert.ok(Math.abs(surrogatePath(s, [NaN, 14]).prediction - 0.8) < 1e-12);
  assert.ok(Math.abs(surrogatePath(s, [3, 14]).prediction - 0.2) < 1e-12);
  assert.deepEqual(s.neverMissing, []);
});

test('categorical features split into sets of categories, written by name', () => {
  const mixed = fixtures.find((f) => f.name === 'mixed')!;
  const s = fit(mixed, 16);
  const region = s.nodes.filter((node) => node.condition?.kind === 'in' && node.condition.feature === 'region');
  assert.ok(region.length > 0);
  for (const node of region) {
    const c = node.condition as Extract<Condition, { kind: 'in' }>;
    for (const name of c.categories) assert.ok(['North', 'East', 'South', 'West', 'Central'].includes(name));
  }
});

test('a case beside the model: prediction, band, how closely it is fitted, and a plain verdict', () => {
  const f = fixtures.find((g) => g.name === 'smooth')!;
  const s = fit(f, 4);
  const m = f.features.length;
  let poor = 0;
  for (let i = 0; i < f.score.length; i++) {
    const c = surrogateCase(s, f.x, f.score[i], i * m);
    assert.equal(c.prediction, surrogatePath(s, f.x.subarray(i * m, (i + 1) * m)).prediction);
    assert.ok(Math.abs(c.difference - (f.score[i] - c.prediction)) < 1e-15);
    assert.ok(c.errorRank >= 0 && c.errorRank <= 1);
    assert.equal(c.poorlyServed, c.modelBand !== c.surrogateBand || Math.abs(c.difference) > s.errorPercentiles[90]);
    assert.match(c.verdict, c.poorlyServed ? /serves this case poorly/ : c.errorRank < 0.5 ? /serves this case well/ : /serves this case fairly/);
    if (c.poorlyServed) poor++;
  }
  // At least the worst-fitted tenth, and no more than that plus the cases put in another band.
  assert.ok(poor >= 0.09 * f.score.length && poor <= (0.11 + 1 - s.fidelity.bandAgreement) * f.score.length, `${poor}`);
});

test('an instrument\'s total is regressed as points and written with one decimal', () => {
  const f = fixtures.find((g) => g.name === 'steps')!;
  const s = fit(f, 4);
  assert.equal(s.scoreIsProbability, false);
  assert.match(s.rules[0].text, /scores around \d+\.\d \(n=\d+, spread ±\d+\.\d\)$/);
  assert.match(s.method, /total/);
});

test('the depth cap holds, and thresholds read as short decimals', () => {
  for (const f of fixtures) {
    for (const maxDepth of [1, 2, 3]) {
      const s = fit(f, 16, { maxDepth });
      assert.ok(s.depth <= maxDepth);
      assert.ok(s.leaves <= 2 ** maxDepth);
    }
  }
  const s = fit(fixtures.find((g) => g.name === 'mixed')!, 16);
  for (const node of s.nodes) {
    if (node.condition && (node.condition.kind === 'below' || node.condition.kind === 'atLeast')) assert.ok(String(node.condition.threshold).length <= 8, String(node.condition.threshold));
  }
});

test('the surrogate is plain data: JSON round trip changes nothing, and paths work on the copy', () => {
  const f = fixtures.find((g) => g.name === 'mixed')!;
  const s = fit(f, 8);
  const copy = JSON.parse(JSON.stringify(s)) as Surrogate;
  assert.deepEqual(copy, s);
  const m = f.features.length;
  for (let i = 0; i < 200; i++) assert.deepEqual(surrogatePath(copy, f.x, i * m), surrogatePath(s, f.x, i * m));
});

test('bad requests are input errors', () => {
  const f = fixtures[0];
  assert.throws(() => fit(f, 0), InputError);
  assert.throws(() => fit(f, 8, { maxDepth: 0 }), InputError);
  assert.throws(() => fit(f, 8, { maxBins: 1 }), InputError);
  const score = Float64Array.from(f.score);
  score[3] = NaN;
  assert.throws(() => fitSurrogate(f.x, f.features, score, f.bands), /case 4 has no finite score/);
  assert.throws(() => fitSurrogate(new Float64Array(0), f.features, new Float64Array(0), f.bands), /no cases/);
});

test('one case, or features that never vary: a single leaf that says so', () => {
  const features: FeatureInfo[] = [{ name: 'a', label: 'A' }];
  const one = fitSurrogate(Float64Array.of(3), features, Float64Array.of(0.4), [{ label: 'All' }]);
  assert.equal(one.leaves, 1);
  assert.equal(one.fidelity.r2, 1);
  assert.equal(one.rules[0].text, 'Every case → scores around 0.40 (n=1, spread ±0.00)');
  const flat = fitSurrogate(Float64Array.of(1, 1, 1), features, Float64Array.of(0.2, 0.4, 0.6), [{ label: 'All' }]);
  assert.equal(flat.leaves, 1);
  assert.equal(flat.fidelity.r2, 0);
});
