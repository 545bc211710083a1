/**
 * Which features can change, and to what: each model feature's rule, from the project's `features`
 * notes (`riskFactor`, `direction`, `min`, `max`, `step`) and the values in the case file.
 *
 * A feature's values (its *domain*):
 *   - a categorical feature (an instrument item scored by category): its categories;
 *   - a numeric feature: the whole multiples of `step` from `min` to `max`. By default `min` and `max`
 *     are the lowest and highest value in the case file, and `step` is 1 when every value there is a
 *     whole number, else the finest decimal place the file uses. A default grid of more than
 *     MAX_GRID_VALUES values is coarsened to a round step (1, 2 or 5 × 10ᵏ) that keeps it under that, and
 *     the rule says so (`coarsenedFrom`); a project's own step may give up to MAX_STEPPED_VALUES.
 * A dynamic feature may change to any value of its domain other than the case's own, in its direction.
 * A missing value stays missing: recording an unknown is not a change in the person. Static features
 * (and features the project does not mark) never change; the curves sweep every feature all the same.
 */
import { InputError } from '../errors';
import type { Direction, RiskFactor } from '../project';
import type { Review } from '../review';

/** Above this many values a default grid is coarsened, so that searching it stays quick. */
export const MAX_GRID_VALUES = 10_000;
/** Above this many values a project's own step is refused. */
export const MAX_STEPPED_VALUES = 1_000_000;
/** The finest default step: 10⁻⁶. */
const MAX_DECIMALS = 6;

export type Domain =
  | { readonly kind: 'categories'; readonly count: number }
  /** The multiples k·step for k from `first` to `last` (none when first > last). */
  | { readonly kind: 'grid'; readonly step: number; readonly first: number; readonly last: number; readonly coarsenedFrom?: number };

export interface ChangeRule {
  /** The feature's index in model order. */
  readonly feature: number;
  readonly name: string;
  readonly label: string;
  readonly riskFactor: RiskFactor;
  /** How a dynamic feature may move; 'either' for static ones (they do not move at all). */
  readonly direction: Direction;
  readonly domain: Domain;
  readonly categories?: readonly string[];
}

/** Decimal places of a step ("0.25" has 2), so grid values print without float noise. */
function decimalsOf(step: number): number {
  for (let d = 0; d <= 12; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-9) return d;
  return 12;
}

/** The k-th value of a grid, rounded to the step's decimals (0.1 · 3 is 0.3, not 0.30000000000000004). */
export function gridValue(domain: Extract<Domain, { kind: 'grid' }>, k: number): number {
  return Number((k * domain.step).toFixed(decimalsOf(domain.step)));
}

export function gridSize(domain: Domain): number {
  return domain.kind === 'categories' ? domain.count : Math.max(0, domain.last - domain.first + 1);
}

/** The domain's lowest and highest value (NaN, NaN when it has none). */
export function domainRange(domain: Domain): readonly [number, number] {
  if (domain.kind === 'categories') return domain.count ? [0, domain.count - 1] : [NaN, NaN];
  return domain.first <= domain.last ? [gridValue(domain, domain.first), gridValue(domain, domain.last)] : [NaN, NaN];
}

/** The fewest decimals (at most MAX_DECIMALS) that write v exactly. */
function decimalsNeeded(v: number): number {
  for (let d = 0; d < MAX_DECIMALS; d++) {
    const scaled = v * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-9 * Math.max(1, Math.abs(scaled))) return d;
  }
  return MAX_DECIMALS;
}

/** 1, 2 or 5 × 10ᵏ, the smallest at least `s`. */
function roundStepAtLeast(s: number): number {
  const p = 10 ** Math.floor(Math.log10(s));
  return [1, 2, 5, 10].map((k) => k * p).find((c) => c >= s * (1 - 1e-12))!;
}

function gridOf(lo: number, hi: number, step: number): { first: number; last: number } {
  // A bound within a millionth of a step of a multiple counts as that multiple (0.3 / 0.1 is 2.9999999999999996).
  return { first: Math.ceil(lo / step - 1e-6), last: Math.floor(hi / step + 1e-6) };
}

interface Observed {
  readonly lo: number;
  readonly hi: number;
  readonly decimals: number;
}

function observed(review: Review, j: number): Observed {
  const { cases } = review;
  const m = review.model.features.length;
  let lo = Infinity;
  let hi = -Infinity;
  let decimals = 0;
  for (let i = 0; i < cases.n; i++) {
    const v = cases.x[i * m + j];
    if (v !== v) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (decimals < MAX_DECIMALS && v !== Math.round(v)) decimals = Math.max(decimals, decimalsNeeded(v));
  }
  return { lo, hi, decimals };
}

/** Every model feature's rule, in model order; a note that cannot apply is an error naming the project file. */
export function changeRules(review: Review): ChangeRule[] {
  const { model, spec } = review;
  const file = spec.projectFile;
  return model.features.map((f, j): ChangeRule => {
    const note = Object.hasOwn(spec.features, f.name) ? spec.features[f.name] : {};
    const riskFactor = note.riskFactor ?? 'static';
    const direction = note.direction ?? 'either';
    const where = `"features.${f.name}"`;
    const base = { feature: j, name: f.name, label: f.label, riskFactor, direction };
    if (f.categories) {
      const given = (['min', 'max', 'step'] as const).filter((k) => note[k] !== undefined);
      if (given.length) throw new InputError(`${where}: "${given[0]}" does not apply to "${f.name}", whose values are categories (${f.categories.join(', ')})`, { file });
      return { ...base, domain: { kind: 'categories', count: f.categories.length }, categories: f.categories };
    }
    const seen = observed(review, j);
    const lo = note.min ?? seen.lo;
    const hi = note.max ?? seen.hi;
    if (note.min !== undefined && note.max !== undefined && !(note.min <= note.max)) {
      throw new InputError(`${where}: "min" (${note.min}) is above "max" (${note.max})`, { file });
    }
    if (!(lo <= hi)) return { ...base, domain: { kind: 'grid', step: 1, first: 1, last: 0 } }; // no value anywhere: nothing to sweep or change to
    if (note.step !== undefined) {
      const grid = gridOf(lo, hi, note.step);
      if (grid.last - grid.first + 1 > MAX_STEPPED_VALUES) {
        throw new InputError(`${where}: steps of ${note.step} from ${lo} to ${hi} make ${(grid.last - grid.first + 1).toLocaleString('en-US')} values, more than ${MAX_STEPPED_VALUES.toLocaleString('en-US')}; give a coarser "step"`, { file });
      }
      return { ...base, domain: { kind: 'grid', step: note.step, ...grid } };
    }
    const fine = 1 / 10 ** seen.decimals;
    const fineGrid = gridOf(lo, hi, fine);
    if (fineGrid.last - fineGrid.first + 1 <= MAX_GRID_VALUES) return { ...base, domain: { kind: 'grid', step: fine, ...fineGrid } };
    const step = roundStepAtLeast((hi - lo) / (MAX_GRID_VALUES - 1));
    return { ...base, domain: { kind: 'grid', step, ...gridOf(lo, hi, step), coarsenedFrom: fine } };
  });
}

/** Whether a dynamic feature may move from `from` to `to` in its direction. */
export function allowedDirection(direction: Direction, from: number, to: number): boolean {
  return direction === 'either' || (direction === 'increase' ? to > from : to < from);
}
