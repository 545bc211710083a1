/**
 * Which features can change, and to what (recourse/rules.ts): the project's marks, the default values
 * from the case file, the coarsened grid when the file's precision gives too many, and a clear message
 * for every mark that cannot apply. Plus the candidates' pieces, which the search relies on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readProject, resolveSpec } from '../../extension/engine/project';
import { openReview } from '../../extension/engine/review';
import type { LogisticModel, ScorecardModel } from '../../extension/engine/models/types';
import { candidateValues, pieceOf } from '../../extension/engine/recourse/candidates';
import { recourseFor } from '../../extension/engine/recourse/recourse';
import { changeRules, domainRange, gridSize, MAX_GRID_VALUES, type ChangeRule } from '../../extension/engine/recourse/rules';
import { reviewOf } from '../helpers/recourse-oracle';

const SAMPLE = join(__dirname, '..', '..', 'samples', 'juvenile');

test('the sample: offence history static, needs dynamic on their whole 0–3 scale, in every project', () => {
  for (const p of ['juvenile.riskreview.json', 'juvenile-logistic.riskreview.json', 'juvenile-instrument.riskreview.json']) {
    const review = openReview(resolveSpec({ project: join(SAMPLE, p) }));
    const rules = changeRules(review);
    const dynamic = rules.filter((r) => r.riskFactor === 'dynamic').map((r) => r.name);
    assert.deepEqual(dynamic.sort(), (review.model.kind === 'logistic'
      ? ['family_conflict', 'peer_delinquency', 'school_disengagement_imputed', 'substance_use', 'supervision_problems']
      : ['family_conflict', 'peer_delinquency', 'school_disengagement', 'substance_use', 'supervision_problems']).sort(), p);
    for (const r of rules) {
      if (r.riskFactor === 'dynamic') {
        assert.deepEqual(domainRange(r.domain), [0, 3], `${p} ${r.name}`);
        assert.equal(r.direction, 'either');
      }
      if (r.domain.kind === 'grid') assert.equal(r.domain.step, 1, `${p} ${r.name}: whole numbers`);
    }
    assert.deepEqual(domainRange(rules.find((r) => r.name === 'prior_referrals')!.domain), [0, 12], 'a static count: the range in the case file');
  }
});

const logistic: LogisticModel = {
  kind: 'logistic',
  name: 'm',
  features: [{ name: 'a', label: 'A' }, { name: 'b', label: 'B' }, { name: 'c', label: 'C' }],
  intercept: 0,
  weights: Float64Array.of(1, 1, 1),
  impute: Float64Array.of(NaN, 0, NaN),
};

test('default values: the case file\'s range, in whole steps or its finest decimal place; a grid too fine is coarsened and said', () => {
  const rows = [
    [0, 0.25, 0],
    [3, 1.125, 12345.6789],
    [1, NaN, 99999.9999],
  ];
  const review = reviewOf(logistic, rows, [{ label: 'Low', below: 0.5 }, { label: 'High' }], { a: { riskFactor: 'dynamic' }, b: { riskFactor: 'dynamic' }, c: { riskFactor: 'dynamic' } });
  const [a, b, c] = changeRules(review);
  assert.deepEqual({ range: domainRange(a.domain), step: (a.domain as { step: number }).step }, { range: [0, 3], step: 1 });
  assert.deepEqual({ range: domainRange(b.domain), step: (b.domain as { step: number }).step }, { range: [0.25, 1.125], step: 0.001 });
  assert.equal(gridSize(b.domain), 876);
  assert.equal(c.domain.kind === 'grid' && c.domain.coarsenedFrom, 0.0001, 'the file\'s own precision is named');
  assert.equal((c.domain as { step: number }).step, 20, 'a range of 100,000 in at most 10,000 values: steps of 20 (1, 2 or 5 × 10ᵏ)');
  assert.ok(gridSize(c.domain) <= MAX_GRID_VALUES);
  const r = recourseFor(review, [a, b, c], 1);
  assert.ok(r.notes.some((n) => /C is tried in steps of 20 \(the case file's values are in steps of 0\.0001/.test(n)), r.notes.join(' | '));
  const withMissing = recourseFor(review, [a, b, c], 2);
  assert.equal(withMissing.changeable.find((x) => x.feature === 'b')!.fixed, 'missing');
  assert.ok(withMissing.notes.some((n) => n.startsWith('B is missing for this case and stays missing')));
});

test('a project\'s min, max and step are used; marks that cannot apply are clear errors naming the project', () => {
  const rows = [[1, 1, 1], [2, 2, 2]];
  const bands = [{ label: 'Low', below: 0.5 }, { label: 'High' }];
  const stepped = changeRules(reviewOf(logistic, rows, bands, { a: { riskFactor: 'dynamic', min: -1, max: 2, step: 0.5 } }))[0];
  assert.deepEqual([domainRange(stepped.domain), gridSize(stepped.domain)], [[-1, 2], 7]);
  assert.throws(() => changeRules(reviewOf(logistic, rows, bands, { a: { min: 3, max: 1 } })), (e: Error) => /"features\.a": "min" \(3\) is above "max" \(1\)/.test(e.message) && /project\.riskreview\.json/.test(e.message));
  assert.throws(() => changeRules(reviewOf(logistic, rows, bands, { a: { min: 0, max: 1e9, step: 1 } })), /give a coarser "step"/);
  const item: ScorecardModel = {
    kind: 'scorecard',
    name: 's',
    features: [{ name: 'k', label: 'Kind', categories: ['x', 'y', 'z'] }],
    items: [{ type: 'categories', points: Float64Array.of(0, 1, 2), missingPoints: null }],
    domains: [],
    bands: [{ label: 'All' }],
    probability: null,
  };
  assert.throws(() => changeRules(reviewOf(item, [[0]], bands, { k: { riskFactor: 'dynamic', max: 2 } })), /"max" does not apply to "k", whose values are categories \(x, y, z\)/);
});

test('the project schema: a direction only with "riskFactor": "dynamic", a positive step, known words only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rr-rules-'));
  const write = (features: unknown) => {
    const file = join(dir, `p${Math.random().toString(36).slice(2)}.riskreview.json`);
    writeFileSync(file, JSON.stringify({ model: 'm.json', data: 'd.csv', idColumn: 'id', features }));
    return file;
  };
  assert.deepEqual(readProject(write({ a: { riskFactor: 'dynamic', direction: 'increase', min: 0, max: 5, step: 0.5 } })).features.a, { riskFactor: 'dynamic', direction: 'increase', min: 0, max: 5, step: 0.5 });
  assert.throws(() => readProject(write({ a: { direction: 'increase' } })), /"features\.a" needs the property "riskFactor"/);
  assert.throws(() => readProject(write({ a: { riskFactor: 'static', direction: 'increase' } })), /"features\.a\.riskFactor" must be one of "dynamic"/);
  assert.throws(() => readProject(write({ a: { riskFactor: 'changeable' } })), /"features\.a\.riskFactor" must be one of "static", "dynamic"/);
  assert.throws(() => readProject(write({ a: { step: 0 } })), /"features\.a\.step" must be > 0/);
});

test('candidates: one per piece, the nearest to the case\'s value; float32 reading for trees; directions', () => {
  const rule: ChangeRule = { feature: 0, name: 'a', label: 'A', riskFactor: 'dynamic', direction: 'either', domain: { kind: 'grid', step: 0.5, first: 0, last: 8 } };
  const pieces = { cuts: Float64Array.of(1, 2.5, 3.2), float32: false };
  // 2 is in the piece [1, 2.5): 1.5 scores as 2 does; below 1 the nearest is 0.5, from 3.2 up it is 3.5.
  assert.deepEqual(candidateValues(rule, 2, pieces).map((c) => [c.value, c.side]), [[2.5, 1], [0.5, -1], [3.5, 1]]);
  assert.deepEqual(candidateValues({ ...rule, direction: 'increase' }, 2, pieces).map((c) => c.value), [2.5, 3.5]);
  assert.deepEqual(candidateValues(rule, 3.3, pieces).map((c) => c.value), [3, 2, 0.5], 'from the top piece: the nearest value of each piece below');
  assert.deepEqual(candidateValues({ ...rule, direction: 'decrease' }, 2, null).map((c) => c.value), [1.5, 1, 0.5, 0]);
  assert.deepEqual(candidateValues(rule, NaN, pieces), [], 'a missing value stays missing');
  // XGBoost reads 0.1 as float32 0.100000001: a threshold at fround(0.1) takes the double 0.1 to the right.
  const t = Math.fround(0.1);
  assert.equal(pieceOf({ cuts: Float64Array.of(t), float32: true }, 0.1), 1);
  assert.equal(pieceOf({ cuts: Float64Array.of(t), float32: false }, 0.1), 0);
});
