import { openReviewAndWarn } from '../review';
import type { RiskModel } from '../../engine/models/types';
import { imputedValue } from '../../engine/models/score';
import { caseIndex, type CaseSet } from '../../engine/data/cases';
import {
  backgroundOf,
  caseAttribution,
  explainAll,
  explainCase,
  hasProbabilityView,
  prepareExplainer,
  toProbabilityPoints,
  topInteraction,
  type CaseAttribution,
  type TopInteraction,
} from '../../engine/explain/index';
import { InputError } from '../../engine/errors';
import { modelFileOf, UsageError } from '../../engine/project';
import { computedModel } from '../../engine/review';
import { choice, num, specFrom, str, whole, type Values } from '../args';
import type { Command } from '../command';
import { emit, json, jsonArray, jsonl } from '../output';
import { domainRows } from '../../engine/report/domains';
import { changeRules, featureCurves, type ChangeRule, type CurvesSection } from '../../engine/recourse/index';

interface AttributionJson {
  caseId: string;
  score: number;
  margin: number;
  baseValue: number;
  scale: CaseAttribution['scale'];
  method: CaseAttribution['method'];
  /** `imputed`: the value a logistic model took for a missing one (its `impute`), when it has one. */
  attributions: { feature: string; value: number | string | null; imputed?: number; contribution: number }[];
  topInteraction?: { features: readonly [string, string]; value: number };
  /** An instrument with domains: each domain's items (feature names), points and summed contribution. */
  domains?: { domain: string; items: readonly string[]; points: number; maxPoints: number; contribution: number }[];
  /** With --curves: the review's bands (the curves' cut points) and every feature's curve (recourse/types.ts). */
  bands?: CurvesSection['bands'];
  curves?: CurvesSection['curves'];
}

/** The input as the case file had it: a number, a category's label, or null when missing. */
function inputValue(model: RiskModel, j: number, v: number): number | string | null {
  if (v !== v) return null;
  const categories = model.features[j].categories;
  return categories ? categories[v] : v;
}

/** The value the model took in place of a missing one, when it imputes one (logistic `impute`). */
function imputed(model: RiskModel, j: number, v: number): { imputed: number } | Record<string, never> {
  const taken = imputedValue(model, j);
  return v !== v && taken === taken ? { imputed: taken } : {};
}

/** One case as the CLI prints it (the same shape for `--case` and for every line of `--all`). */
function toJson(model: RiskModel, cases: CaseSet, a: CaseAttribution, interaction: TopInteraction | null | undefined, curves: CurvesSection | null): AttributionJson {
  const m = model.features.length;
  const off = a.index * m;
  const out: AttributionJson = {
    caseId: a.caseId,
    score: a.score,
    margin: a.margin,
    baseValue: a.baseValue,
    scale: a.scale,
    method: a.method,
    attributions: model.features.map((f, j) => ({ feature: f.name, value: inputValue(model, j, cases.x[off + j]), ...imputed(model, j, cases.x[off + j]), contribution: a.contributions[j] })),
  };
  if (interaction) out.topInteraction = { features: interaction.features, value: interaction.value };
  if (model.kind === 'scorecard' && model.domains.length) {
    const rows = model.features.map((f, j) => ({ label: f.name, contribution: a.contributions[j], probabilityPoints: null }));
    out.domains = domainRows(model, cases.x, off, rows).map(({ probabilityPoints: _, ...d }) => d);
  }
  if (curves) {
    out.bands = curves.bands;
    out.curves = curves.curves;
  }
  return out;
}

export const explain: Command = {
  name: 'explain',
  summary: 'exact per-case Shapley attributions (TreeSHAP for trees, closed form otherwise)',
  usage:
    'risk-review explain (--project FILE | --model FILE --data FILE --id-column NAME) (--case ID | --all) [--scale margin|probability] [--interactions] [--threads N] [--format json|jsonl] [--out FILE]\n\n' +
    '  --case ID          explain one case (default output: one JSON object)\n' +
    '  --all              explain every case, in data order (default output: JSON lines)\n' +
    '  --scale S          margin (default: log-odds, or points for an instrument) or probability\n' +
    '                     (how much each feature moved the probability; the same numbers, rescaled)\n' +
    '  --interactions     with --all, add each case\'s strongest feature pair (tree models; slower).\n' +
    '                     --case always includes it for tree models.\n' +
    '  --curves           add every feature\'s curve: the score as that feature takes each of its values\n' +
    '                     (the project\'s min, max and step, else the case file\'s), the others held\n' +
    '  --threads N        worker threads for --all (default: all cores)',
  options: {
    case: { type: 'string' },
    all: { type: 'boolean' },
    scale: { type: 'string' },
    interactions: { type: 'boolean' },
    curves: { type: 'boolean' },
    threads: { type: 'string' },
  },
  async run(v: Values) {
    const id = str(v, 'case');
    const all = v.all === true;
    if ((id === undefined) === !all) throw new UsageError('give either --case ID or --all');
    const format = choice(v, 'format', ['json', 'jsonl'] as const, all ? 'jsonl' : 'json');
    const scale = choice(v, 'scale', ['margin', 'probability'] as const, 'margin');
    const threads = num(v, 'threads', ...whole(1));

    const review = openReviewAndWarn(specFrom(v));
    const { cases } = review;
    const model = computedModel(review, 'explain');
    const modelFile = modelFileOf(review.spec, 'explain');
    if (scale === 'probability' && !hasProbabilityView(model)) {
      throw new InputError(`the instrument "${model.name}" maps no probability; use --scale margin (points)`, { file: modelFile });
    }
    const background = backgroundOf(review);
    const explainer = prepareExplainer(model, background, { file: modelFile });
    const m = model.features.length;
    const shown = (a: CaseAttribution) => (scale === 'probability' ? toProbabilityPoints(model, a) : a);
    const rules: readonly ChangeRule[] | null = v.curves === true ? changeRules(review) : null;
    const curvesOf = (i: number) => (rules ? featureCurves(review, rules, i) : null);

    if (!all) {
      const i = caseIndex(cases, id!);
      const a = explainCase(explainer, cases, i);
      const row = toJson(model, cases, shown(a), topInteraction(explainer, cases.x, i * m), curvesOf(i));
      emit(v, format === 'json' ? json(row) : jsonl([row]));
      return;
    }

    const set = await explainAll({ model, cases, background }, { threads, file: modelFile });
    const withPairs = v.interactions === true;
    function* rows() {
      for (let i = 0; i < cases.n; i++) {
        const a = caseAttribution(set, model, cases.ids, i);
        yield toJson(model, cases, shown(a), withPairs ? topInteraction(explainer, cases.x, i * m) : undefined, curvesOf(i));
      }
    }
    emit(v, format === 'jsonl' ? jsonl(rows()) : jsonArray(rows()));
  },
};
