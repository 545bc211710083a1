/**
 * The global surrogate: a small regression tree that imitates the model's score over the loaded cases,
 * with its fidelity stated.
 *
 * 1. Features are coded into at most `maxBins` codes each (binning.ts), so split search is bounded.
 * 2. ml-cart grows the greedy CART tree on the codes to the depth cap (grow.ts).
 * 3. The tree is pruned exactly to the leaf budget by dynamic programming (prune.ts): the least squared
 *    error any pruning with at most that many leaves reaches, with no split kept that buys nothing.
 * 4. Splits are read back in the features' own units; fidelity (R², band agreement), every node's
 *    statistics, the rules and the sparsity–fidelity frontier are computed on every case fitted.
 *
 * The surrogate regresses the score people see: the probability, or an instrument's total where it has
 * no probability mapping. Missing values are not imputed: each test learns which way they go (binning.ts
 * gives ml-cart the feature twice, missing below and above every value), and every condition says
 * whether it includes them. Categorical features split into sets of categories. Everything returned is
 * plain data (JSON-safe); path.ts follows it for one case without needing the cases or the model.
 */
import { scoreAll, type Review } from '../review';
import { fitSurrogate, type FitOptions } from './fit';
import type { Surrogate } from './types';

export type * from './types';
export { DEFAULT_OPTIONS, FRONTIER_BUDGETS, LIMITS, defaultDepth, fitSurrogate, type FitOptions } from './fit';
export { goesLeft, nestedTree, surrogateCase, surrogatePath, type TreeJson } from './path';
export { r2Score } from './fidelity';
export { isHeldOut, MIN_CASES_FOR_HOLDOUT } from './holdout';
export { conditionSymbols, conditionsText } from './rules';

/** The surrogate of a review's model over its cases. */
export function fitReviewSurrogate(review: Review, options: Omit<FitOptions, 'scoreIsProbability'> = {}, score = scoreAll(review.model, review.cases).score): Surrogate {
  return fitSurrogate(review.cases.x, review.model.features, score, review.bands, { ...options, scoreIsProbability: review.scoreIsProbability });
}
