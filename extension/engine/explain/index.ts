/**
 * Exact per-case Shapley attributions for every model Risk Review reads — the API the CLI, the panel,
 * the exports and calibration's group drivers share.
 *
 * What the numbers are (all exact, checked in test/unit/explain-*.test.ts against XGBoost and brute force):
 *   - XGBoost trees: path-dependent TreeSHAP, the values XGBoost's `pred_contribs` gives, on the log-odds
 *     scale; the base value is its bias column (the expected margin under the training cover).
 *   - logistic: φ_j = w_j·(x_j − mean_j) on the log-odds scale; base = intercept + Σ w_j·mean_j.
 *   - scorecard: φ_j = item points − mean item points (points scale); base = mean total.
 *   The means come from the background (`backgroundOf`): the project's background CSV, else the cases.
 *   Always: baseValue + Σ_j contributions[j] = margin.
 *   `toProbabilityPoints` turns an attribution into the probability view people read (how much each
 *   feature moved the score), a presentation of the same numbers; `scale` always says which is shown.
 *
 * Typical use:
 *
 *     const review = openReview(spec);
 *     const background = backgroundOf(review);                      // reads spec.backgroundFile if set
 *     const explainer = prepareExplainer(review.model, background); // TreeSHAP tables built once
 *     const one = explainCase(explainer, review.cases, i);          // { caseId, baseValue, margin, score, contributions, scale, method }
 *     const shown = toProbabilityPoints(review.model, one);         // scale 'probability' (throws InputError if the model has none)
 *     const pair = topInteraction(explainer, review.cases.x, i * m); // tree models; null otherwise
 *
 *     // All cases, on worker threads, with progress and cancellation (safe to call from the extension host):
 *     const all = await explainAll({ model, cases, background }, { onProgress: (done, n) => …, signal });
 *     caseAttribution(all, model, cases.ids, i);                     // one case of the set, as a CaseAttribution
 *
 * An `Explainer` keeps scratch space: use one per thread. Nothing here imports `vscode`.
 */
export { backgroundFromCases, backgroundOf, type Background } from './background';
export { explainerOf, prepareExplainer, type Explainer, type ExplainerOptions, type ExplainMethod } from './explainer';
export { caseAttribution, explainAllSync, explainCase, type AttributionScale, type AttributionSet, type CaseAttribution, type CaseRows } from './attribution';
export { explainAll, type ExplainAllOptions, type ExplainInput } from './parallel';
export { hasProbabilityView, toProbabilityPoints } from './probability';
export { topInteraction, type TopInteraction } from './interaction';
