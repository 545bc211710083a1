/**
 * Building a `CaseSummary` from the engine's results for one case. The analyses are computed by the
 * caller (once for a batch, off the main thread in the extension host) and passed in; this module only
 * reads them, so the CLI, the panel and the batch export all say the same about a case.
 */
import { caseAttribution, explainCase, type AttributionSet, type CaseAttribution } from '../explain/attribution';
import { topInteraction } from '../explain/interaction';
import { hasProbabilityView, percentagePointFactors, toProbabilityPoints } from '../explain/probability';
import { explainerOf, type ExplainMethod, type Explainer } from '../explain/explainer';
import { caseCalibrationSection } from '../calibration/case';
import type { CalibrationReport } from '../calibration/groups';
import { calibrateReview, groupDrivers, groupLabelOf } from '../calibration/index';
import { groupComparison } from '../calibration/comparison';
import { metrics } from '../calibration/case';
import { groupColumnOf } from '../data/cases';
import { bandOf, imputedValue, scoreOf } from '../models/score';
import type { RiskModel } from '../models/types';
import { caseMargin, scoreAll, type Review } from '../review';
import { fitReviewSurrogate, surrogateCase, type Surrogate, type SurrogateOptions } from '../surrogate/index';
import { changeRules, type ChangeRule } from '../recourse/rules';
import { caseSensitivity } from '../recourse/index';
import { domainRows } from './domains';
import { featureValueText, scoreText } from './format';
import type { AttributionRow, AttributionSummary, AuditSummary, CaseHeader, CaseSummary, GroupComparison, Provenance, ReviewDecision, SectionName, SurrogateSection, SurrogateTree, WhatIfScenario } from './types';

/** What the engine computed for the review; each analysis may be missing, and then so is its section. */
export interface Analyses {
  /** Attributions: computed per case with `explainer`, or read from `set` when all cases were explained at once. */
  readonly explainer?: Explainer;
  readonly set?: AttributionSet;
  /** The surrogate rule tree fitted to the review's scores (`fitReviewSurrogate`). */
  readonly surrogate?: Surrogate;
  /** Calibration reports (`calibrateReview`): everyone first, then one per group column. */
  readonly calibration?: readonly CalibrationReport[];
  /** Which features can change, and to what (recourse/rules.ts): the curves and recourse read them. */
  readonly changeRules?: readonly ChangeRule[];
  /** Why an analysis is absent, by section, when the caller knows (e.g. "no outcome column was named"). */
  readonly reasons?: Partial<Record<SectionName, string>>;
}

export interface SummaryExtras {
  readonly whatIfs?: readonly WhatIfScenario[];
  readonly decision?: ReviewDecision | null;
  /** ISO 8601 time of the summary; the caller's clock, so tests and reproducible runs can fix it. */
  readonly generatedAt: string;
  readonly extensionVersion: string;
}

const METHOD_NAMES: Readonly<Record<ExplainMethod, string>> = {
  'treeshap-path-dependent': 'Exact TreeSHAP, path-dependent',
  'linear-closed-form': 'Exact Shapley values of a linear model, closed form against the background means',
  'additive-closed-form': "Exact Shapley values of an additive instrument: each item's points minus its background mean",
};

/** The method's name, with the library whose own values a tree model's attributions are. */
function methodName(model: RiskModel, method: ExplainMethod): string {
  if (model.kind === 'xgboost') return `${METHOD_NAMES[method]} (the values of XGBoost's pred_contribs)`;
  if (model.kind === 'lightgbm') return `${METHOD_NAMES[method]} (the values of LightGBM's pred_contrib)`;
  return METHOD_NAMES[method];
}

/** Feature j's value v as people read it (featureValueText). */
export function valueText(model: RiskModel, j: number, v: number): string {
  return featureValueText(v, model.features[j].categories, imputedValue(model, j));
}

function caseHeader(review: Review, i: number): CaseHeader {
  const { model, cases } = review;
  const margin = caseMargin(model, cases, i);
  const score = scoreOf(model, margin);
  const o = cases.outcome ? cases.outcome[i] : -1;
  return {
    caseId: cases.ids[i],
    score,
    scoreIsProbability: review.scoreIsProbability,
    scoreUnit: review.scoreUnit,
    margin,
    band: bandOf(review.bands, score),
    threshold: review.threshold,
    flagged: score >= review.threshold,
    outcome: o === 1 ? 1 : o === 0 ? 0 : null,
    outcomeColumn: cases.outcomeColumn,
    groups: cases.groups.map((g) => ({ column: g.column, group: g.labels[g.codes[i]] })),
  };
}

function attributionSummary(review: Review, a: CaseAttribution, explainer: Explainer | undefined): AttributionSummary {
  const { model, cases } = review;
  const m = model.features.length;
  const probability = hasProbabilityView(model) ? toProbabilityPoints(model, a) : null;
  const rows: AttributionRow[] = model.features.map((f, j) => {
    const v = cases.x[a.index * m + j];
    return {
      feature: f.name,
      label: f.label,
      description: f.description,
      value: v !== v ? null : v,
      valueText: valueText(model, j, v),
      contribution: a.contributions[j],
      probabilityPoints: probability ? probability.contributions[j] * 100 : null,
    };
  });
  const pair = explainer ? topInteraction(explainer, cases.x, a.index * m) : null;
  return {
    method: methodName(model, a.method),
    scale: a.scale === 'points' ? 'points' : 'log-odds',
    baseValue: a.baseValue,
    baseScore: probability ? probability.baseValue : a.baseValue,
    rows,
    ...(model.kind === 'scorecard' && model.domains.length ? { domains: domainRows(model, cases.x, a.index * m, rows) } : {}),
    ...(pair ? { topInteraction: { features: pair.features, labels: [model.features[pair.indices[0]].label, model.features[pair.indices[1]].label] as const, value: pair.value } } : {}),
  };
}

/** The review's surrogate as the report carries it: its method, nodes, fidelity and notes. */
export function surrogateTree(s: Surrogate): SurrogateTree {
  return {
    method: s.method,
    nodes: s.nodes.map((n) => ({ ...(n.condition ? { condition: n.condition } : {}), value: n.mean, n: n.n, children: n.children })),
    fidelity: [
      { measure: "R² of the rule's score against the model's", kind: 'r2', value: s.fidelity.r2, n: s.fidelity.n },
      { measure: "cases the rule puts in the model's band", kind: 'share', value: s.fidelity.bandAgreement, n: s.fidelity.n },
      ...(s.heldOut
        ? [
            { measure: 'R² on cases held out from fitting (a tree grown the same way without them)', kind: 'r2', value: s.heldOut.r2, n: s.heldOut.n } as const,
            { measure: "held-out cases that tree puts in the model's band", kind: 'share', value: s.heldOut.bandAgreement, n: s.heldOut.n } as const,
          ]
        : []),
    ],
    notes: s.notes,
  };
}

function surrogateSection(review: Review, s: Surrogate, i: number, header: CaseHeader): SurrogateSection {
  const fit = surrogateCase(s, review.cases.x, header.score, i * review.model.features.length);
  return {
    ...surrogateTree(s),
    path: fit.steps.map((step) => step.node),
    rule: fit.conditions,
    leafScore: fit.prediction,
    agreesWithModel: fit.prediction >= review.threshold === header.flagged,
    caseFit: { ruleBand: fit.surrogateBand, modelBand: fit.modelBand, errorRank: fit.errorRank, leafSpread: fit.leafSpread, poorlyServed: fit.poorlyServed },
  };
}

function caseAttributionOf(review: Review, analyses: Analyses, i: number): CaseAttribution | null {
  if (analyses.set) return caseAttribution(analyses.set, review.model, review.cases.ids, i);
  if (analyses.explainer) return explainCase(analyses.explainer, review.cases, i);
  return null;
}

/** The file's name without its folders (which may name people or places and say nothing about the model). */
function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * Everything a summary shows, computed once for the whole review (the CLI and the extension host's
 * worker both call this): the explainer, the surrogate rule tree, and calibration when the outcomes are
 * known and the scores are probabilities. An analysis that cannot run is left out with the reason, and its section says so.
 */
export function prepareAnalyses(review: Review, options: { readonly bins?: number; readonly surrogate?: Partial<SurrogateOptions>; readonly score?: Float64Array } = {}): Analyses {
  const reasons: Partial<Record<SectionName, string>> = {};
  const explainer = review.model.kind === 'score-column' ? undefined : explainerOf(review);
  if (review.model.kind === 'score-column') reasons.attribution = NO_MODEL_ATTRIBUTION(review.model.column);
  // The caller may already have scored every case (the extension host's worker does, for its case list).
  const score = options.score ?? scoreAll(review.model, review.cases).score;
  const surrogate = fitReviewSurrogate(review, options.surrogate, score);
  let calibration: CalibrationReport[] | undefined;
  if (!review.cases.outcome) reasons.calibration = 'calibration needs the known outcomes, and no outcome column was named (--outcome)';
  else {
    calibration = [calibrateReview(review, score, { bins: options.bins }), ...review.cases.groups.map((g) => calibrateReview(review, score, { groupColumn: g.column, bins: options.bins }))];
  }
  const computed = review.model.kind !== 'score-column';
  if (!computed) reasons.sensitivity = NO_MODEL_SENSITIVITY;
  return { explainer, surrogate, calibration, changeRules: computed ? changeRules(review) : undefined, reasons };
}

/** Why a score read from a column has no curves and no smallest changes: nothing recomputes it from changed values. */
const NO_MODEL_SENSITIVITY = 'the score is read from the case file, and no model recomputes it when a value changes, so there are no curves and no smallest changes to a lower band';

/** Why a score read from a column has no attributions. */
export const NO_MODEL_ATTRIBUTION = (column: string) =>
  `this review audits a score already in use (column "${column}") without its model, so nothing can say how much each answer added to it; the rule below imitates it from the case's other columns instead`;

/** What was reviewed, with what, and when: every document's provenance. */
export function provenanceOf(review: Review, methods: readonly string[], extras: Pick<SummaryExtras, 'generatedAt' | 'extensionVersion'>): Provenance {
  return {
    projectName: review.spec.name,
    modelName: review.model.name,
    modelVersion: review.model.version,
    modelKind: review.model.kind,
    modelFile: review.spec.source.kind === 'model' ? fileName(review.spec.source.modelFile) : null,
    modelSha256: review.modelSha256,
    ...(review.model.kind === 'score-column' ? { scoreColumn: review.model.column } : {}),
    dataFile: fileName(review.spec.dataFile),
    dataSha256: review.dataSha256,
    extensionVersion: extras.extensionVersion,
    methods,
    generatedAt: extras.generatedAt,
  };
}

/**
 * Each grouping's comparison (`groupComparison`) from the review's calibration reports; with every case's
 * attributions (`set`), also how much each feature moves each group's scores — in percentage points where
 * the model has probabilities, else on its margin scale.
 */
export function reviewComparisons(review: Review, reports: readonly CalibrationReport[], set: AttributionSet | null): GroupComparison[] {
  const outcome = review.cases.outcomeColumn;
  if (!outcome) return [];
  const labels = new Map(review.model.features.map((f) => [f.name, f.label]));
  const probability = set !== null && hasProbabilityView(review.model);
  const scale = probability ? percentagePointFactors(review.model, set) : undefined;
  const unit = probability ? 'percentage points' : set?.scale === 'points' ? 'points' : 'log-odds';
  return reports
    .filter((r) => r.groupBy !== null && r.reference !== null)
    .map((r) => {
      const groups = groupColumnOf(review.cases, r.groupBy!)!;
      const drivers = set && { drivers: groupDrivers({ contributions: set.contributions, features: review.model.features.map((f) => f.name), groups, scale }, { reference: r.reference! }), unit, labels } as const;
      return groupComparison(r, outcome, review, drivers);
    });
}

/** The bands as people read them: "Low below 30%; Moderate from 30%; High from 60%". */
function bandsText(review: Review): string[] {
  const shown = (v: number) => scoreText(v, review.scoreIsProbability, review.scoreUnit);
  return review.bands.map((b, k) => {
    const from = k > 0 ? review.bands[k - 1].below : undefined;
    return from === undefined ? `${b.label} below ${shown(b.below as number)}` : `${b.label} from ${shown(from)}`;
  });
}

/**
 * The audit of a whole review (report/audit.ts): everyone's figures, each grouping's comparison (with
 * the drivers when `comparisons` carry them), the surrogate's rules, and what could not be computed.
 */
export function buildAuditSummary(review: Review, analyses: Analyses, comparisons: readonly GroupComparison[], extras: Pick<SummaryExtras, 'generatedAt' | 'extensionVersion'>): AuditSummary {
  const overall = analyses.calibration?.[0];
  const unavailable = [
    ...(analyses.calibration ? [] : [analyses.reasons?.calibration ?? NOT_RUN.calibration]),
    ...(analyses.calibration && comparisons.length === 0 ? ['group comparisons need at least one group column (--group, or "groupColumns" in the project)'] : []),
    ...(comparisons.length && comparisons.every((c) => c.drivers === null) ? [`what drives each group's scores: ${analyses.reasons?.attribution ?? 'the attributions were not computed'}`] : []),
  ];
  const methods = [analyses.surrogate?.method, ...(overall ? [comparisons[0]?.method ?? ''] : [])].filter((x): x is string => !!x);
  return {
    provenance: provenanceOf(review, methods, extras),
    cases: review.cases.n,
    outcomeColumn: review.cases.outcomeColumn,
    threshold: review.threshold,
    scoreIsProbability: review.scoreIsProbability,
    scoreUnit: review.scoreUnit,
    bands: bandsText(review),
    everyone: overall ? metrics(overall.overall, 'Everyone') : null,
    comparisons,
    surrogate: analyses.surrogate ? surrogateTree(analyses.surrogate) : null,
    unavailable,
  };
}

const NOT_RUN: Readonly<Record<SectionName, string>> = {
  attribution: 'the attributions were not computed',
  surrogate: 'no surrogate rule was fitted',
  calibration: 'calibration needs the known outcomes; name the outcome column (--outcome)',
  sensitivity: 'the curves and the smallest changes to a lower band were not computed',
};

export function buildCaseSummary(review: Review, analyses: Analyses, i: number, extras: SummaryExtras): CaseSummary {
  const header = caseHeader(review, i);
  const a = caseAttributionOf(review, analyses, i);
  const attribution = a ? attributionSummary(review, a, analyses.explainer) : null;
  const calibration =
    analyses.calibration && review.cases.outcomeColumn ? caseCalibrationSection(analyses.calibration, review.cases.outcomeColumn, header.score, (c) => groupLabelOf(review.cases, c, i)) : null;
  const surrogate = analyses.surrogate ? surrogateSection(review, analyses.surrogate, i, header) : null;
  const sensitivity = analyses.changeRules ? caseSensitivity(review, analyses.changeRules, i) : { section: null };
  const reasons: Partial<Record<SectionName, string>> = { ...analyses.reasons, ...('reason' in sensitivity ? { sensitivity: sensitivity.reason } : {}) };
  const sections: Record<SectionName, unknown> = { attribution, surrogate, calibration, sensitivity: sensitivity.section };
  const unavailable = (Object.keys(sections) as SectionName[]).filter((s) => sections[s] === null).map((section) => ({ section, reason: reasons[section] ?? NOT_RUN[section] }));
  const methods = [attribution?.method, surrogate?.method, calibration?.method].filter((x): x is string => x !== undefined);
  return {
    header,
    attribution,
    surrogate,
    calibration,
    sensitivity: sensitivity.section,
    whatIfs: extras.whatIfs ?? [],
    decision: extras.decision ?? null,
    provenance: provenanceOf(review, methods, extras),
    unavailable,
    redacted: false,
  };
}
