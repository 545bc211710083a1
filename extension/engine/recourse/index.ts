/**
 * Per-feature curves and recourse — the module's API. `changeRules(review)` once per review (in
 * `prepareAnalyses`); then, per case, `caseSensitivity` for a summary, or `featureCurves` and
 * `recourseFor` on their own (the CLI's `explain --curves` and `recourse`).
 */
import { isInputError } from '../errors';
import type { Review } from '../review';
import { featureCurves } from './curves';
import { recourseFor } from './recourse';
import type { ChangeRule } from './rules';
import type { SensitivitySection } from './types';

export { changeRules, type ChangeRule } from './rules';
export { featureCurves } from './curves';
export { DEFAULT_OPTIONS, recourseFor, type RecourseRequest } from './recourse';
export type * from './types';

/** Case i's curves and its smallest changes to the band below its own, or why they cannot be given. */
export function caseSensitivity(review: Review, rules: readonly ChangeRule[], i: number): { readonly section: SensitivitySection } | { readonly section: null; readonly reason: string } {
  try {
    return { section: { curves: featureCurves(review, rules, i), recourse: recourseFor(review, rules, i) } };
  } catch (e) {
    if (isInputError(e)) return { section: null, reason: e.problem };
    throw e;
  }
}
