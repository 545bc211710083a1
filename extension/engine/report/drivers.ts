/**
 * How a case's attributions are presented: on which scale, in which order, and which few are folded
 * together. The driver sentences, the waterfall chart and the attribution table all read them from here.
 *
 * Scale: when every row has an effect in probability points and those effects add up, within half a
 * point, to the change from the base score to the case's score, effects are shown in points of
 * probability (what people read); otherwise on the model's margin scale (log-odds, or the instrument's
 * points), where Shapley values always add up exactly: base value + Σ contributions = margin.
 */
import type { AttributionRow, AttributionSummary, CaseHeader } from './types';

export type EffectUnit = 'probability points' | 'log-odds' | 'points';

export interface EffectScale {
  readonly unit: EffectUnit;
  /** Where the waterfall starts (the base) and ends (this case), in `unit`. */
  readonly start: number;
  readonly end: number;
  effect(row: Pick<AttributionRow, 'contribution' | 'probabilityPoints'>): number;
}

export function effectScale(a: AttributionSummary, header: Pick<CaseHeader, 'score' | 'margin' | 'scoreIsProbability'>): EffectScale {
  const pp = a.rows.map((r) => r.probabilityPoints);
  const additive =
    header.scoreIsProbability &&
    pp.every((v): v is number => v !== null && Number.isFinite(v)) &&
    Math.abs(pp.reduce((s, v) => s + v, 0) - (header.score - a.baseScore) * 100) <= 0.5;
  if (additive) return { unit: 'probability points', start: a.baseScore * 100, end: header.score * 100, effect: (r) => r.probabilityPoints as number };
  return { unit: a.scale === 'points' ? 'points' : 'log-odds', start: a.baseValue, end: header.margin, effect: (r) => r.contribution };
}

/** Rows by the size of their effect, largest first; ties keep model order. */
export function rankedRows(a: AttributionSummary, scale: EffectScale): AttributionRow[] {
  return a.rows
    .map((row, i) => ({ row, i, size: Math.abs(scale.effect(row)) }))
    .sort((p, q) => q.size - p.size || p.i - q.i)
    .map((e) => e.row);
}

export interface FoldedDrivers {
  readonly shown: readonly AttributionRow[];
  /** The rest, added together; null when nothing was folded. */
  readonly rest: { readonly count: number; readonly effect: number } | null;
}

/** The `max` largest effects, the others folded into one ("7 other features") so a chart stays readable. */
export function foldDrivers(a: AttributionSummary, scale: EffectScale, max: number): FoldedDrivers {
  const ranked = rankedRows(a, scale);
  if (ranked.length <= max) return { shown: ranked, rest: null };
  const shown = ranked.slice(0, max - 1);
  const others = ranked.slice(max - 1);
  return { shown, rest: { count: others.length, effect: others.reduce((s, r) => s + scale.effect(r), 0) } };
}
