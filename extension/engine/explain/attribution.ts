/**
 * Attributions as values the rest of Risk Review passes around: one case (`CaseAttribution`) or a whole
 * case set in flat arrays (`AttributionSet`, n × M row-major), always with the scale they are on.
 */
import type { CaseSet } from '../data/cases';
import { scoreOf } from '../models/score';
import type { MarginScale, RiskModel } from '../models/types';
import type { Explainer, ExplainMethod } from './explainer';

/** Margin scales, or the probability view of them (see probability.ts). */
export type AttributionScale = MarginScale | 'probability';

export interface CaseAttribution {
  readonly caseId: string;
  readonly index: number;
  readonly method: ExplainMethod;
  readonly scale: AttributionScale;
  /** What the contributions start from, on `scale`. */
  readonly baseValue: number;
  /** The model's margin (log-odds or points) — on the margin scale whatever `scale` is. */
  readonly margin: number;
  /** The score people see (the probability, or the total for an instrument without one). */
  readonly score: number;
  /** One per model feature, in model order, on `scale`; baseValue + Σ = margin (or score on 'probability'). */
  readonly contributions: Float64Array;
}

export interface AttributionSet {
  readonly method: ExplainMethod;
  readonly scale: MarginScale;
  readonly baseValue: number;
  readonly nFeatures: number;
  readonly margin: Float64Array;
  /** Row-major n × M. */
  readonly contributions: Float64Array;
}

export type CaseRows = Pick<CaseSet, 'n' | 'x' | 'ids'>;

export function explainCase(explainer: Explainer, cases: CaseRows, i: number): CaseAttribution {
  const m = explainer.nFeatures;
  const contributions = new Float64Array(m);
  const margin = explainer.explainInto(cases.x, i * m, contributions, 0, cases.ids[i]);
  return {
    caseId: cases.ids[i],
    index: i,
    method: explainer.method,
    scale: explainer.scale,
    baseValue: explainer.baseValue,
    margin,
    score: scoreOf(explainer.model, margin),
    contributions,
  };
}

/** Explains cases [from, to) on this thread into rows outRow… of `margin` and `contributions`. */
export function explainRange(explainer: Explainer, cases: CaseRows, from: number, to: number, margin: Float64Array, contributions: Float64Array, outRow = from): void {
  explainer.explainRows(cases.x, from, to, contributions, margin, outRow, cases.ids);
}

/** The set of `margin` and `contributions` made by `explainer` (or by its twins on other threads). */
export function attributionSet(explainer: Pick<Explainer, 'method' | 'scale' | 'baseValue' | 'nFeatures'>, margin: Float64Array, contributions: Float64Array): AttributionSet {
  return { method: explainer.method, scale: explainer.scale, baseValue: explainer.baseValue, nFeatures: explainer.nFeatures, margin, contributions };
}

/** Every case on this thread. */
export function explainAllSync(explainer: Explainer, cases: CaseRows): AttributionSet {
  const margin = new Float64Array(cases.n);
  const contributions = new Float64Array(cases.n * explainer.nFeatures);
  explainRange(explainer, cases, 0, cases.n, margin, contributions);
  return attributionSet(explainer, margin, contributions);
}

/** Case i of a set, as a `CaseAttribution` (its contributions are a view, not a copy). */
export function caseAttribution(set: AttributionSet, model: RiskModel, ids: readonly string[], i: number): CaseAttribution {
  const m = set.nFeatures;
  return {
    caseId: ids[i],
    index: i,
    method: set.method,
    scale: set.scale,
    baseValue: set.baseValue,
    margin: set.margin[i],
    score: scoreOf(model, set.margin[i]),
    contributions: set.contributions.subarray(i * m, (i + 1) * m),
  };
}
