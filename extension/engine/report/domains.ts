/**
 * An instrument's attributions by domain (sub-scale). An additive instrument scores
 * f(x) = Σ_j p_j(x_j), one item's points each, and its Shapley values are φ_j = p_j(x_j) − E[p_j(X_j)]
 * over the background. Taking a domain D's items together as one player, the game is still additive, so
 * the domain's Shapley value is exactly Σ_{j∈D} φ_j: the domain's points for this case minus the
 * background's average points in it. The same sum holds for the probability-points presentation, whose
 * effects are a linear image of the contributions (explain/probability.ts).
 */
import { itemPoints } from '../models/score';
import type { ScorecardItem, ScorecardModel } from '../models/types';
import type { EffectScale } from './drivers';
import { plainNumber, signed } from './format';
import type { AttributionRow, AttributionSummary, DomainRow } from './types';

function mostPoints(item: ScorecardItem): number {
  return Math.max(...item.points, item.missingPoints ?? -Infinity);
}

/** One row per domain, in the instrument's order; `rows` are the case's attribution rows in model order. */
export function domainRows(model: ScorecardModel, x: ArrayLike<number>, offset: number, rows: readonly Pick<AttributionRow, 'label' | 'contribution' | 'probabilityPoints'>[]): DomainRow[] {
  return model.domains.map((d) => {
    let points = 0;
    let maxPoints = 0;
    let contribution = 0;
    let probabilityPoints: number | null = 0;
    for (const j of d.items) {
      points += itemPoints(model.items[j], x[offset + j]) ?? NaN;
      maxPoints += mostPoints(model.items[j]);
      contribution += rows[j].contribution;
      const pp = rows[j].probabilityPoints;
      probabilityPoints = probabilityPoints === null || pp === null ? null : probabilityPoints + pp;
    }
    return { domain: d.name, items: d.items.map((j) => rows[j].label), points, maxPoints, contribution, probabilityPoints };
  });
}

/** The domain table the panel and every document show, or null for a model without domains. */
export function domainTable(a: AttributionSummary, scale: EffectScale, effectTitle: string): { caption: string; columns: string[]; rows: string[][] } | null {
  if (!a.domains?.length) return null;
  return {
    caption: "By domain: each domain's points for this case and its effect (the sum of its items' effects)",
    columns: ['Domain', 'Items', 'Points (of most)', effectTitle],
    rows: a.domains.map((d) => [d.domain, d.items.join(', '), `${plainNumber(d.points, 2)} of ${plainNumber(d.maxPoints, 2)}`, signed(scale.effect(d))]),
  };
}
