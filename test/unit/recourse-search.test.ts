/**
 * Recourse against brute force: on random small instruments, logistic models and tree ensembles (few
 * features, small grids of values, missing values, off-grid case values, every direction), the options
 * the search lists are exactly the first options of the brute-force enumeration (test/helpers/
 * recourse-oracle.ts): same changes, same order, nothing smaller left out. Every option reaches its
 * target when scored afresh, changes only dynamic features within their values and directions; a search
 * stopped at its budget lists only true options, and its bound holds for every option it did not list.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marginOf, scoreOf } from '../../extension/engine/models/score';
import type { Band, ComputedModel, FeatureInfo, LogisticModel, ScorecardItem, ScorecardModel, XGBoostModel } from '../../extension/engine/models/types';
import type { Direction, FeatureNote } from '../../extension/engine/project';
import type { Review } from '../../extension/engine/review';
import { recourseFor } from '../../extension/engine/recourse/recourse';
import { acceptsMissing } from '../../extension/engine/recourse/axes';
import { changeRules, gridValue, type ChangeRule } from '../../extension/engine/recourse/rules';
import type { RecourseOption, RecourseSection } from '../../extension/engine/recourse/types';
import { bandIndex, bruteForceOptions, reviewOf, type OracleOption } from '../helpers/recourse-oracle';
import { forestOf } from '../helpers/forest';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const DIRECTIONS: readonly Direction[] = ['either', 'either', 'increase', 'decrease'];
/** Every numeric feature's values: 0 to 4 in steps of 0.5 (nine values). */
const GRID = { min: 0, max: 4, step: 0.5 };

function features(m: number, categorical: ReadonlySet<number> = new Set()): FeatureInfo[] {
  return Array.from({ length: m }, (_, j) => ({ name: `f${j}`, label: `Feature ${j}`, ...(categorical.has(j) ? { categories: ['a', 'b', 'c'] } : {}) }));
}

/** Notes marking some features dynamic (random directions) and giving every numeric one the grid. */
function notesFor(random: () => number, fs: readonly FeatureInfo[]): Record<string, FeatureNote> {
  const notes: Record<string, FeatureNote> = {};
  fs.forEach((f, j) => {
    const dynamic = j === 0 || random() < 0.7;
    const range = f.categories ? {} : GRID;
    notes[f.name] = dynamic ? { riskFactor: 'dynamic', direction: pick(random, DIRECTIONS), ...range } : { riskFactor: 'static', ...range };
  });
  return notes;
}

/** A case value: on the grid mostly, sometimes off it, sometimes missing (where the model takes one). */
function caseValue(random: () => number, f: FeatureInfo, missingOk: boolean): number {
  const u = random();
  if (missingOk && u < 0.12) return NaN;
  if (f.categories) return Math.floor(random() * f.categories.length);
  if (u < 0.25) return Math.round(random() * 40) / 10; // off the grid (0.1 steps)
  return Math.floor(random() * 9) / 2;
}

function randomScorecard(random: () => number): ScorecardModel {
  const m = 3 + Math.floor(random() * 3);
  const fs = features(m, new Set([m - 1]));
  const items: ScorecardItem[] = fs.map((f): ScorecardItem => {
    const missingPoints = random() < 0.5 ? Math.floor(random() * 3) : null;
    if (f.categories) return { type: 'categories', points: Float64Array.from(f.categories, () => Math.floor(random() * 4)), missingPoints };
    const edges = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => Math.round(random() * 8) / 2 + (random() < 0.3 ? 0.25 : 0)))].sort((a, b) => a - b);
    return { type: 'bins', edges: Float64Array.from(edges), points: Float64Array.from({ length: edges.length + 1 }, () => Math.floor(random() * 5)), missingPoints };
  });
  const probability = random() < 0.5 ? { method: 'logistic' as const, intercept: -3 + random(), slope: 0.2 + random() * 0.5 } : null;
  return { kind: 'scorecard', name: 'random instrument', features: fs, items, domains: [], bands: [{ label: 'All' }], probability };
}

function randomLogistic(random: () => number): LogisticModel {
  const m = 3 + Math.floor(random() * 2);
  return {
    kind: 'logistic',
    name: 'random logistic',
    features: features(m),
    intercept: random() * 2 - 1,
    weights: Float64Array.from({ length: m }, () => (random() * 2 - 1) * 1.5),
    impute: Float64Array.from({ length: m }, () => (random() < 0.5 ? Math.round(random() * 8) / 2 : NaN)),
  };
}

function randomForestModel(random: () => number): XGBoostModel {
  const m = 3 + Math.floor(random() * 3);
  const nodes: { left: number; right: number; feature: number; threshold: number; defaultLeft: number; value: number }[] = [];
  const treeStart: number[] = [];
  const nTrees = 1 + Math.floor(random() * 6);
  const grow = (depth: number): number => {
    const k = nodes.length;
    nodes.push({ left: -1, right: -1, feature: 0, threshold: 0, defaultLeft: 0, value: Math.fround(random() * 2 - 1) });
    if (depth < 4 && random() < 0.85 - depth * 0.1) {
      const node = nodes[k];
      node.feature = Math.floor(random() * m);
      // Thresholds between grid values, on them (ties go right), and off the grid.
      node.threshold = Math.fround(pick(random, [Math.floor(random() * 9) / 2 + 0.25, Math.floor(random() * 9) / 2, random() * 4.5]));
      node.defaultLeft = random() < 0.5 ? 1 : 0;
      node.value = 0;
      node.left = grow(depth + 1);
      node.right = grow(depth + 1);
    }
    return k;
  };
  for (let t = 0; t < nTrees; t++) {
    treeStart.push(nodes.length);
    grow(0);
  }
  treeStart.push(nodes.length);
  const forest = forestOf(nodes, treeStart, random() - 0.5);
  return { kind: 'xgboost', name: 'random forest', features: features(m), objective: 'binary:logistic', xgboostVersion: 'test', booster: 'gbtree', forest };
}

function missingOk(model: ComputedModel, j: number): boolean {
  return acceptsMissing(model, j);
}

/** Three bands with edges at the thirds of the cases' scores, so that cases sit in every band. */
function bandsFor(model: ComputedModel, rows: readonly (readonly number[])[]): Band[] {
  const scores = rows.map((r) => scoreOf(model, marginOf(model, Float64Array.from(r), 0))).sort((a, b) => a - b);
  const lo = scores[Math.floor(scores.length / 3)];
  const hi = scores[Math.floor((2 * scores.length) / 3)];
  return hi > lo ? [{ label: 'Low', below: lo }, { label: 'Moderate', below: hi }, { label: 'High' }] : [{ label: 'Low', below: lo + 1e-9 }, { label: 'High' }];
}

function randomReview(random: () => number, model: ComputedModel): Review {
  const rows = Array.from({ length: 24 }, () => model.features.map((f, j) => caseValue(random, f, missingOk(model, j))));
  return reviewOf(model, rows, bandsFor(model, rows), notesFor(random, model.features));
}

const key = (changes: Iterable<readonly [string | number, number]>) => [...changes].map(([f, v]) => `${f}=${v}`).sort().join(',');

/** Our options equal the oracle's first ones: same counts, sizes and margins in order; each set of changes one of the oracle's with its key. */
function assertSameOptions(ours: readonly RecourseOption[], oracle: readonly OracleOption[], rules: readonly ChangeRule[], what: string): void {
  assert.equal(ours.length, oracle.length, `${what}: ${ours.length} options, the oracle ${oracle.length}`);
  const name = (j: number) => rules[j].name;
  ours.forEach((o, k) => {
    const e = oracle[k];
    assert.equal(o.changes.length, e.count, `${what}, option ${k}: changes`);
    assert.ok(Math.abs(o.size - e.size) <= 1e-12, `${what}, option ${k}: size ${o.size}, oracle ${e.size}`);
    assert.ok(Math.abs(o.margin - e.margin) <= 1e-12, `${what}, option ${k}: margin ${o.margin}, oracle ${e.margin}`);
    const tied = oracle.filter((t) => t.count === e.count && t.size === e.size && t.margin === e.margin).map((t) => key([...t.changes].map(([j, v]) => [name(j), v])));
    assert.ok(tied.includes(key(o.changes.map((c) => [c.feature, c.to]))), `${what}, option ${k}: ${key(o.changes.map((c) => [c.feature, c.to]))} is not among the oracle's ${tied.join(' | ')}`);
  });
}

/** Each option, scored afresh, reaches the target, and changes only dynamic features within their values and directions. */
function assertValidOptions(review: Review, rules: readonly ChangeRule[], i: number, r: RecourseSection, what: string): void {
  const m = review.model.features.length;
  for (const o of r.options) {
    const row = review.cases.x.slice(i * m, (i + 1) * m);
    for (const c of o.changes) {
      const rule = rules.find((x) => x.name === c.feature)!;
      assert.equal(rule.riskFactor, 'dynamic', `${what}: ${c.feature} is not dynamic`);
      assert.equal(c.from, row[rule.feature]);
      assert.ok(c.to !== c.from && !Number.isNaN(c.from), `${what}: ${c.feature} does not change`);
      if (rule.domain.kind === 'categories') assert.ok(Number.isInteger(c.to) && c.to >= 0 && c.to < rule.domain.count);
      else {
        const k = Math.round(c.to / rule.domain.step);
        assert.ok(k >= rule.domain.first && k <= rule.domain.last && gridValue(rule.domain, k) === c.to, `${what}: ${c.feature} = ${c.to} is not one of its values`);
      }
      if (rule.direction !== 'either') assert.ok(rule.direction === 'increase' ? c.to > c.from : c.to < c.from, `${what}: ${c.feature} moves against its direction`);
      row[rule.feature] = c.to;
    }
    const margin = marginOf(review.model as ComputedModel, row, 0);
    assert.equal(margin, o.margin, `${what}: the option's margin`);
    assert.ok(scoreOf(review.model, margin) < r.target!.below, `${what}: the option does not reach ${r.target!.band}`);
  }
}

const MAX_OPTIONS = 6;

function checkAgainstBruteForce(kind: string, make: (random: () => number) => ComputedModel, seed: number, rounds: number): void {
  const random = rng(seed);
  let compared = 0;
  let found = 0;
  for (let round = 0; round < rounds; round++) {
    const review = randomReview(random, make(random));
    const rules = changeRules(review);
    const m = review.model.features.length;
    for (let i = 0; i < review.cases.n; i++) {
      const band = bandIndex(review, scoreOf(review.model, marginOf(review.model as ComputedModel, review.cases.x, i * m)));
      const target = band > 0 ? Math.floor(random() * band) : 0;
      const maxChanges = random() < 0.3 ? 1 + Math.floor(random() * 2) : undefined;
      const r = recourseFor(review, rules, i, { targetBand: review.bands[target].label, maxChanges, maxOptions: MAX_OPTIONS });
      const what = `${kind} round ${round}, case ${i}`;
      if (band === 0) {
        assert.equal(r.status, 'in-target', what);
        continue;
      }
      const dynamicCount = rules.filter((x) => x.riskFactor === 'dynamic').length;
      const oracle = bruteForceOptions(review, rules, i, review.bands[target].below!, maxChanges ?? dynamicCount);
      assertSameOptions(r.options, oracle.slice(0, MAX_OPTIONS), rules, what);
      assertValidOptions(review, rules, i, r, what);
      assert.equal(r.status, oracle.length ? 'found' : r.changeable.some((c) => !c.fixed) ? 'none' : 'nothing-changeable', what);
      assert.ok(r.search.complete, what);
      compared++;
      if (oracle.length) found++;
    }
  }
  assert.ok(compared > 100 && found > 50, `${kind}: only ${compared} cases compared, ${found} with options`);
}

test('instruments (bins, categories, missing points, with and without a probability mapping): options equal brute force', () => {
  checkAgainstBruteForce('instrument', randomScorecard, 11, 40);
});

test('logistic models (weights of both signs, impute values): options equal brute force', () => {
  checkAgainstBruteForce('logistic', randomLogistic, 12, 40);
});

test('tree ensembles (thresholds on, between and off the grid, default directions, missing values): options equal brute force', () => {
  checkAgainstBruteForce('forest', randomForestModel, 13, 60);
});

test('a search stopped at its budget lists only true options, and its bound holds for every option it left out', () => {
  const random = rng(14);
  let stopped = 0;
  for (let round = 0; round < 60; round++) {
    const review = randomReview(random, randomForestModel(random));
    const rules = changeRules(review);
    const m = review.model.features.length;
    for (let i = 0; i < review.cases.n; i++) {
      const band = bandIndex(review, scoreOf(review.model, marginOf(review.model as ComputedModel, review.cases.x, i * m)));
      if (band === 0) continue;
      const budget = 1 + Math.floor(random() * 12);
      const r = recourseFor(review, rules, i, { maxOptions: MAX_OPTIONS, budget });
      const oracle = bruteForceOptions(review, rules, i, review.bands[band - 1].below!, Infinity);
      const what = `round ${round}, case ${i}, budget ${budget}`;
      assertSameOptions(r.options, oracle.slice(0, r.options.length), rules, what);
      if (r.search.complete) continue;
      stopped++;
      assert.equal(r.status, r.options.length ? 'found' : 'stopped', what);
      const bound = r.search.bound!;
      for (const o of oracle.slice(r.options.length)) {
        assert.ok(o.count > bound.changes || (o.count === bound.changes && o.size >= bound.size - 1e-12), `${what}: an option of ${o.count} changes, size ${o.size}, is under the bound ${JSON.stringify(bound)}`);
      }
    }
  }
  assert.ok(stopped > 30, `only ${stopped} searches were stopped`);
});

test('no dynamic feature, a case in the lowest band, or a target band that is not lower: said, not searched', () => {
  const model = randomLogistic(rng(15));
  const rows = [[4, 4, 4, 4].slice(0, model.features.length), [0, 0, 0, 0].slice(0, model.features.length)];
  const scores = rows.map((r) => scoreOf(model, marginOf(model, Float64Array.from(r), 0)));
  const bands: Band[] = [{ label: 'Low', below: (scores[0] + scores[1]) / 2 }, { label: 'High' }];
  const none = reviewOf(model, rows, bands, {});
  const high = scores[0] > scores[1] ? 0 : 1;
  assert.equal(recourseFor(none, changeRules(none), high).status, 'nothing-changeable');
  const all = reviewOf(model, rows, bands, Object.fromEntries(model.features.map((f) => [f.name, { riskFactor: 'dynamic' as const, ...GRID }])));
  assert.equal(recourseFor(all, changeRules(all), 1 - high).status, 'in-target');
  assert.equal(recourseFor(all, changeRules(all), high, { targetBand: bands[bands.length - 1].label }).status, 'in-target');
  assert.throws(() => recourseFor(all, changeRules(all), high, { targetBand: 'Nowhere' }), /no band "Nowhere"; the bands are/);
});
