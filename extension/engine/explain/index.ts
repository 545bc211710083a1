/**
 * Exact per-case Shapley attributions for every model Risk Review reads — the API the CLI, the panel,
 * the exports and calibration's group drivers share.
 *
 * What the numbers are (all exact, checked in test/unit/explain-*.test.ts against XGBoost and brute force):
 *   - XGBoost trees: path-dependent TreeSHAP, the values XGBoost's `pred_contribs` gives, on the log-odds
 *     scale; the base value is its bias column (the expected margin under the training cover).
 *   - logistic: φ_j = w_j·(g_j(x_j) − mean_j) on the log-odds scale, g_j(x) = x or, when missing, the
 *     model's impute value (the mean is over imputed values too); base = intercept + Σ w_j·mean_j.
 *   - scorecard: φ_j = item points − mean item points (points scale); base = mean total.
 *   The means come from the background (`backgroundOf`): the project's background CSV, else the cases.
 *   Always: baseValue + Σ_j contributions[j] = margin.
 *   `toProbabilityPoints` turns an attribution into the probability view people read (how much each
 *   feature moved the score), a presentation of the same numbers; `scale` always says which is shown.
 *
 * Typical use:
 *
 *     const review = openReview(spec);
 *     const explainer = explainerOf(review);                  // = prepareExplainer(model, backgroundOf(review)); tables built once
 *     const one = explainCase(explainer, review.cases, i);    // { caseId, index, method, scale, baseValue, margin, score, contributions }
 *     if (hasProbabilityView(review.model)) {
 *       const shown = toProbabilityPoints(review.model, one); // scale 'probability' (an InputError for a model without one)
 *     }
 *     const pair = topInteraction(explainer, review.cases.x, i * m); // { features: [a, b], indices, value }; null unless trees
 *
 *     // Every case, on worker threads, with progress and cancellation (safe to call from the extension host):
 *     const background = backgroundOf(review);                // reads spec.backgroundFile if set; plain, cloneable data
 *     const all = await explainAll({ model, cases, background }, { onProgress: (done, n) => …, signal, threads });
 *     const row = caseAttribution(all, model, cases.ids, i);  // one case of the set, as a CaseAttribution (a view)
 *
 * `explainAllSync(explainer, cases)` does the same on the calling thread. Contributions are Float64Arrays in
 * model feature order (`model.features[j]`); `AttributionSet.contributions` is row-major n × M. Cancelling
 * rejects with an Error named 'AbortError'.
 *
 * An `Explainer` keeps scratch space: use one per thread. Nothing here imports `vscode`.
 */
export { backgroundFromCases, backgroundOf, type Background } from './background';
export { explainerOf, prepareExplainer, type Explainer, type ExplainerOptions, type ExplainMethod } from './explainer';
export { caseAttribution, explainAllSync, explainCase, type AttributionScale, type AttributionSet, type CaseAttribution, type CaseRows } from './attribution';
export { explainAll, explainBlocks, type ExplainAllOptions, type ExplainedBlock, type ExplainInput } from './parallel';
export { hasProbabilityView, toProbabilityPoints } from './probability';
export { topInteraction, type TopInteraction } from './interaction';
