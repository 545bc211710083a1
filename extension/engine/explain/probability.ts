/**
 * The probability view of an attribution, for people: how many percentage points each feature moved
 * the score. It is a presentation of the same exact margin-scale values, not a second explanation:
 *
 *     base_p = p(b),   c_j = φ_j · (p(m) − p(b)) / (m − b)
 *
 * where b is the base value, m the margin, φ the margin-scale contributions and p the model's margin →
 * probability map. The total change in probability, p(m) − p(b), is split across features in proportion
 * to their margin contributions, so base_p + Σ c_j = p(m) (the score), and signs and ranking are kept.
 * When m = b the secant slope has no value and its limit, the slope of p at b, is used.
 * Values are probabilities (0.05 = 5 percentage points).
 */
import { InputError } from '../errors';
import { probabilityOf } from '../models/score';
import type { RiskModel } from '../models/types';
import type { AttributionSet, CaseAttribution } from './attribution';

function probability(model: RiskModel, margin: number): number {
  const p = probabilityOf(model, margin);
  if (p === null) throw new InputError(`the instrument "${model.name}" maps no probability, so its attributions can only be shown in points`);
  return p;
}

/** The slope of p between b and m (or at b when they coincide). */
function secantSlope(model: RiskModel, b: number, m: number): number {
  if (m !== b) return (probability(model, m) - probability(model, b)) / (m - b);
  const h = 1e-4 * Math.max(1, Math.abs(b));
  return (probability(model, b + h) - probability(model, b - h)) / (2 * h);
}

/** Whether the model's scores are probabilities (an instrument may have none). */
export function hasProbabilityView(model: RiskModel): boolean {
  return probabilityOf(model, 0) !== null;
}

/** Per case of a set, the factor that turns its margin-scale contributions into percentage points (100 × the secant slope). */
export function percentagePointFactors(model: RiskModel, set: AttributionSet): Float64Array {
  return Float64Array.from(set.margin, (m) => 100 * secantSlope(model, set.baseValue, m));
}

export function toProbabilityPoints(model: RiskModel, a: CaseAttribution): CaseAttribution {
  if (a.scale === 'probability') return a;
  const slope = secantSlope(model, a.baseValue, a.margin);
  return {
    ...a,
    scale: 'probability',
    baseValue: probability(model, a.baseValue),
    contributions: a.contributions.map((c) => c * slope),
  };
}
