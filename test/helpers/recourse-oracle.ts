/**
 * The recourse oracle: every combination of the dynamic features' values, scored one by one with the
 * engine's scorer (itself checked against XGBoost and scikit-learn), sorted and filtered by the
 * definition in extension/engine/recourse/search.ts — written out plainly, with no candidate pruning,
 * no bounds and no search order. Also: a `Review` built in memory from a model and rows, for tests.
 */
import type { CaseSet } from '../../extension/engine/data/cases';
import { bandOf, marginOf, scoreOf } from '../../extension/engine/models/score';
import type { Band, ComputedModel } from '../../extension/engine/models/types';
import type { FeatureNote } from '../../extension/engine/project';
import type { Review } from '../../extension/engine/review';
import { gridValue, type ChangeRule } from '../../extension/engine/recourse/rules';

/** A review of `rows` (model order, NaN = missing) with the given bands and feature notes, as openReview would make it. */
export function reviewOf(model: ComputedModel, rows: readonly (readonly number[])[], bands: readonly Band[], notes: Record<string, FeatureNote>): Review {
  const m = model.features.length;
  const ids = rows.map((_, i) => `C-${i + 1}`);
  const cases: CaseSet = {
    file: 'cases.csv',
    n: rows.length,
    features: model.features,
    ids,
    x: Float64Array.from(rows.flatMap((r) => [...r])),
    outcome: null,
    outcomeColumn: null,
    groups: [],
    deployedScores: null,
    lines: Uint32Array.from(rows, (_, i) => i + 2),
    indexOf: (id) => ids.indexOf(id),
  };
  if (rows.some((r) => r.length !== m)) throw new Error('a row of the wrong width');
  const scoreIsProbability = model.kind !== 'scorecard' || model.probability !== null;
  return {
    spec: { projectFile: 'project.riskreview.json', source: { kind: 'model', modelFile: 'model.json' }, dataFile: 'cases.csv', idColumn: 'id', groupColumns: [], referenceGroups: {}, features: notes },
    model,
    modelSha256: '0'.repeat(64),
    dataSha256: '0'.repeat(64),
    cases,
    scoreUnit: 'points',
    threshold: bands[bands.length - 2]?.below ?? 0.5,
    bands,
    scoreIsProbability,
    warnings: [],
    backgroundTable: null,
  };
}

export interface OracleOption {
  /** Model feature index → new value. */
  readonly changes: ReadonlyMap<number, number>;
  readonly count: number;
  readonly size: number;
  readonly margin: number;
}

/** Every value of a rule's domain other than x, in its direction (none when x is missing). */
function valuesOf(rule: ChangeRule, x: number): number[] {
  if (x !== x) return [];
  const d = rule.domain;
  const all = d.kind === 'categories' ? Array.from({ length: d.count }, (_, c) => c) : Array.from({ length: Math.max(0, d.last - d.first + 1) }, (_, k) => gridValue(d, d.first + k));
  return all.filter((v) => v !== x && (rule.direction === 'either' || (rule.direction === 'increase' ? v > x : v < x)));
}

/** Whether `small` changes some of `big`'s features, each to a value between the case's and big's (the same category). */
function contains(big: OracleOption, small: OracleOption, row: Float64Array, rules: readonly ChangeRule[]): boolean {
  for (const [j, v] of small.changes) {
    const w = big.changes.get(j);
    if (w === undefined) return false;
    if (rules[j].domain.kind === 'categories') {
      if (v !== w) return false;
    } else if (!(Math.min(row[j], w) <= v && v <= Math.max(row[j], w))) return false;
  }
  return true;
}

/**
 * Every option by brute force (all of them, smallest first, not-distinct ones left out), for case i,
 * reaching scores below `below` with at most `maxChanges` changes.
 */
export function bruteForceOptions(review: Review, rules: readonly ChangeRule[], i: number, below: number, maxChanges: number): OracleOption[] {
  const model = review.model as ComputedModel;
  const { cases } = review;
  const m = model.features.length;
  const row = cases.x.slice(i * m, (i + 1) * m);
  const dynamic = rules.filter((r) => r.riskFactor === 'dynamic');
  const choices = dynamic.map((r) => [row[r.feature], ...valuesOf(r, row[r.feature])]);
  const feasible: OracleOption[] = [];
  const pick = new Array<number>(dynamic.length).fill(0);
  for (;;) {
    const changes = new Map<number, number>();
    let size = 0;
    const test = Float64Array.from(row);
    dynamic.forEach((r, k) => {
      if (pick[k] === 0) return;
      const v = choices[k][pick[k]];
      changes.set(r.feature, v);
      test[r.feature] = v;
      size += r.domain.kind === 'categories' ? 1 : Math.abs(v - row[r.feature]);
    });
    if (changes.size > 0 && changes.size <= maxChanges) {
      const margin = marginOf(model, test, 0);
      if (scoreOf(model, margin) < below) feasible.push({ changes, count: changes.size, size, margin });
    }
    let k = 0;
    while (k < pick.length && ++pick[k] === choices[k].length) pick[k++] = 0;
    if (k === pick.length) break;
  }
  feasible.sort((a, b) => a.count - b.count || a.size - b.size || a.margin - b.margin);
  const listed: OracleOption[] = [];
  for (const o of feasible) if (!listed.some((l) => contains(o, l, row, rules))) listed.push(o);
  return listed;
}

/** The band index a review gives a score. */
export function bandIndex(review: Review, score: number): number {
  const label = bandOf(review.bands, score);
  return review.bands.findIndex((b) => b.label === label);
}
