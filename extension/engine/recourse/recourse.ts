/**
 * Recourse for one case: the smallest changes to its dynamic features, each within its values and
 * direction (rules.ts), that move its score into a lower band — by default the band just below its
 * own, or a named one (reached when the score falls into it or below it). Exact for every model kind:
 * the search (search.ts) tries each changeable feature at its candidate values (candidates.ts), which
 * cover every value that can matter: all of a logistic feature's, and the nearest value of each piece
 * along a feature where the model is constant on pieces (trees, instrument bins).
 */
import { InputError } from '../errors';
import { modelFileOf } from '../project';
import { featureValueText } from '../report/format';
import { bandOf, forestMargin, imputedValue, marginOf, scoreOf } from '../models/score';
import type { ComputedModel } from '../models/types';
import { computedModel, type Review } from '../review';
import { additiveTerm, piecesOf } from './axes';
import { additiveFrontier, candidateValues, type Candidate } from './candidates';
import { forestLowerBound, largestTree } from './forest';
import { domainRange, gridValue, type ChangeRule } from './rules';
import { searchRecourse, type SearchProblem } from './search';
import type { ChangeableFeature, RecourseOption, RecourseSection } from './types';

export interface RecourseRequest {
  /** Reach this band or a lower one (default: the band just below the case's own). */
  readonly targetBand?: string;
  /** Change at most this many features (default: as many as can change). */
  readonly maxChanges?: number;
  /** List at most this many options (default DEFAULT_OPTIONS). */
  readonly maxOptions?: number;
  /** Sets of changes the search may score before it stops (default DEFAULT_BUDGET). */
  readonly budget?: number;
}

export const DEFAULT_OPTIONS = 5;
export const DEFAULT_BUDGET = 200_000;

export const RECOURSE_METHOD =
  'Exact search over the dynamic features\' allowed values (best-first, with a lower bound on the score that can still be reached): options are ordered by the number of features changed, then by the total size of the changes in each feature\'s own units (1 for a change of category); an option that contains a smaller listed one is left out';

/** Whether the score never falls as the margin rises, which the search's pruning needs. */
function scoreRisesWithMargin(model: ComputedModel): boolean {
  if (model.kind !== 'scorecard' || !model.probability) return true;
  const p = model.probability;
  if (p.method === 'logistic') return p.slope > 0;
  for (let k = 1; k < p.probabilities.length; k++) if (p.probabilities[k] < p.probabilities[k - 1]) return false;
  return true;
}

/** The band index to reach (this one or lower), or null when the case is in it or below it already. */
function targetIndex(review: Review, current: number, name: string | undefined): number | null {
  const labels = review.bands.map((b) => b.label);
  if (name === undefined) return current > 0 ? current - 1 : null;
  const t = labels.indexOf(name);
  if (t < 0) throw new InputError(`there is no band "${name}"; the bands are ${labels.join(', ')}`, { file: review.spec.projectFile });
  return t < current ? t : null;
}

function changeableFeature(review: Review, rule: ChangeRule, x: number, candidates: readonly Candidate[]): ChangeableFeature {
  const d = rule.domain;
  const [min, max] = domainRange(d);
  return {
    feature: rule.name,
    label: rule.label,
    valueText: featureValueText(x, rule.categories, imputedValue(review.model, rule.feature)),
    direction: rule.direction,
    values: d.kind === 'categories' ? { categories: rule.categories ?? [] } : { min, max, step: d.step },
    ...(x !== x ? { fixed: 'missing' as const } : candidates.length === 0 ? { fixed: 'no-effect' as const } : {}),
  };
}

function notesOf(rules: readonly ChangeRule[], changeable: readonly ChangeableFeature[]): string[] {
  const notes: string[] = [];
  for (const c of changeable) if (c.fixed === 'missing') notes.push(`${c.label} is missing for this case and stays missing: recording an unknown value is not a change in the person.`);
  for (const r of rules) {
    if (r.riskFactor !== 'dynamic' || r.domain.kind !== 'grid' || r.domain.coarsenedFrom === undefined) continue;
    notes.push(`${r.label} is tried in steps of ${gridValue(r.domain, 1)} (the case file's values are in steps of ${r.domain.coarsenedFrom}, too many to try); set a "step" for it in the project to choose another.`);
  }
  return notes;
}

export function recourseFor(review: Review, rules: readonly ChangeRule[], i: number, request: RecourseRequest = {}): RecourseSection {
  const model = computedModel(review, 'The search for the smallest changes to a lower band');
  const { cases } = review;
  if (!scoreRisesWithMargin(model)) {
    throw new InputError(`the instrument "${model.name}" maps some higher totals to lower probabilities, so which changes lower its score cannot be searched for`, { file: modelFileOf(review.spec, 'the search') });
  }
  const m = model.features.length;
  const row = cases.x.slice(i * m, (i + 1) * m);
  const margin0 = marginOf(model, row, 0, cases.ids[i]);
  const current = review.bands.findIndex((b) => b.label === bandOf(review.bands, scoreOf(model, margin0)));
  const t = targetIndex(review, current, request.targetBand);
  const target = t === null ? null : { band: review.bands[t].label, below: review.bands[t].below as number };

  const dynamic = rules.filter((r) => r.riskFactor === 'dynamic');
  const additive = model.kind !== 'xgboost';
  const term = (j: number, v: number) => additiveTerm(model, j, v) as number;
  const candidatesOf = (r: ChangeRule): Candidate[] => {
    const x = row[r.feature];
    const all = candidateValues(r, x, piecesOf(model, r.feature));
    return additive ? additiveFrontier(all, (v) => term(r.feature, x) - term(r.feature, v)) : all;
  };
  const candidates = dynamic.map(candidatesOf);
  const changeable = dynamic.map((r, k) => changeableFeature(review, r, row[r.feature], candidates[k]));
  const usable = dynamic.map((_, k) => k).filter((k) => candidates[k].length > 0);
  const maxChanges = Math.min(request.maxChanges ?? usable.length, usable.length);
  const base = {
    method: RECOURSE_METHOD,
    target,
    maxChanges,
    changeable,
    notes: notesOf(rules, changeable),
  };
  const settled = (status: RecourseSection['status']): RecourseSection => ({ ...base, status, options: [], search: { evaluated: 0, complete: true, bound: null } });
  if (!target) return settled('in-target');
  if (usable.length === 0 || maxChanges === 0) return settled('nothing-changeable');

  const features = usable.map((k) => dynamic[k].feature);
  const searchCandidates = usable.map((k) => candidates[k]);
  const reaches = (mg: number) => scoreOf(model, mg) < target.below;
  const problem: SearchProblem = {
    row,
    features,
    candidates: searchCandidates,
    margin: model.kind === 'xgboost' ? (r) => forestMargin(model.forest, r, 0) : (r) => marginOf(model, r, 0),
    reaches,
    additiveGain: additive ? features.map((j, q) => Math.max(0, ...searchCandidates[q].map((c) => term(j, row[j]) - term(j, c.value)))) : null,
    lowerBound: treeLowerBound(model, row, features, searchCandidates),
  };
  const result = searchRecourse(problem, { maxChanges, maxOptions: request.maxOptions ?? DEFAULT_OPTIONS, budget: request.budget ?? DEFAULT_BUDGET });
  const options = result.options.map((o): RecourseOption => {
    const score = scoreOf(model, o.margin);
    return {
      changes: o.changes.map(({ position, candidate }) => {
        const j = features[position];
        const rule = rules[j];
        const show = (v: number) => featureValueText(v, rule.categories, imputedValue(model, j));
        return { feature: rule.name, label: rule.label, from: row[j], to: candidate.value, fromText: show(row[j]), toText: show(candidate.value), size: candidate.cost };
      }),
      size: o.size,
      score,
      margin: o.margin,
      band: bandOf(review.bands, score),
    };
  });
  const status = options.length > 0 ? 'found' : result.complete ? 'none' : 'stopped';
  return { ...base, status, options, search: { evaluated: result.evaluated, complete: result.complete, bound: result.bound } };
}

/** The tree ensemble's bound for the search (forest.ts): later positions free over their own value and candidates. */
function treeLowerBound(model: ComputedModel, row: Float64Array, features: readonly number[], candidates: readonly (readonly Candidate[])[]): SearchProblem['lowerBound'] {
  if (model.kind !== 'xgboost') return () => -Infinity;
  const m = model.features.length;
  const free = new Uint8Array(m);
  const low = new Float64Array(m);
  const high = new Float64Array(m);
  features.forEach((j, q) => {
    const values = [row[j], ...candidates[q].map((c) => c.value)];
    low[j] = Math.min(...values);
    high[j] = Math.max(...values);
  });
  const stack = new Int32Array(largestTree(model.forest));
  return (r, from) => {
    free.fill(0);
    for (let q = from; q < features.length; q++) free[features[q]] = 1;
    return forestLowerBound(model.forest, r, 0, { free, low, high }, stack);
  };
}

