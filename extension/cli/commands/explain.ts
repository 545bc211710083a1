import { openReviewAndWarn } from '../review';
import type { RiskModel } from '../../engine/models/types';
import { imputedValue, scoreOf } from '../../engine/models/score';
import { caseIndex } from '../../engine/data/cases';
import {
  backgroundOf,
  explainBlocks,
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
import { emit, JsonArrayFrame, streamOutput } from '../output';
import { Progress } from '../progress';
import { domainRows } from '../../engine/report/domains';
import { changeRules, featureCurves, type ChangeRule, type CurvesSection } from '../../engine/recourse/index';

/**
 * One case's attributions as one line of compact JSON — the shape of `--case` and of every line of
 * `--all`, with keys in this order:
 *   caseId, score, margin, baseValue, scale, method,
 *   attributions: [{ feature, value (the input as the case file had it: a number, a category's label,
 *                    or null when missing), imputed? (the value a logistic model took in its place),
 *                    contribution }],
 *   topInteraction? { features, value }, domains? [{ domain, items, points, maxPoints, contribution }].
 * The parts that are the same on every line (feature names, categories, scale and method) are turned
 * into JSON text once, so that a million lines cost a million numbers' worth of formatting and no more.
 * `--format json` lays the same line out with two-space indents.
 */
class AttributionLines {
  private readonly featureHead: string[];
  private readonly categories: (string[] | null)[];
  private readonly imputed: string[];
  private readonly scaleAndMethod: string;
  private readonly valueTexts: NumberTexts[];
  private readonly contributionTexts: NumberTexts[];

  constructor(
    private readonly model: RiskModel,
    scale: CaseAttribution['scale'],
    method: CaseAttribution['method'],
  ) {
    const q = JSON.stringify;
    this.featureHead = model.features.map((f) => `{"feature":${q(f.name)},"value":`);
    this.categories = model.features.map((f) => (f.categories ? f.categories.map((c) => q(c)) : null));
    this.imputed = model.features.map((_, j) => {
      const taken = imputedValue(model, j);
      return taken === taken ? `,"imputed":${q(taken)}` : '';
    });
    this.scaleAndMethod = `,"scale":${q(scale)},"method":${q(method)}`;
    this.valueTexts = model.features.map(() => new NumberTexts());
    this.contributionTexts = model.features.map(() => new NumberTexts());
  }

  /**
   * The line for case i (its inputs are row i of `x`), whose contributions start at `c[cOff]`.
   * `interaction`: the case's strongest pair, when asked for.
   */
  line(caseId: string, score: number, margin: number, baseValue: number, c: Float64Array, cOff: number, x: Float64Array, xOff: number, interaction?: TopInteraction | null, curves?: CurvesSection | null): string {
    const m = this.featureHead.length;
    let s = `{"caseId":${JSON.stringify(caseId)},"score":${jsonNumber(score)},"margin":${jsonNumber(margin)},"baseValue":${jsonNumber(baseValue)}${this.scaleAndMethod},"attributions":[`;
    for (let j = 0; j < m; j++) {
      const v = x[xOff + j];
      const labels = this.categories[j];
      const value = v !== v ? 'null' : labels ? (labels[v] ?? jsonNumber(v)) : this.valueTexts[j].get(v);
      s += `${j === 0 ? '' : ','}${this.featureHead[j]}${value}${v !== v ? this.imputed[j] : ''},"contribution":${this.contributionTexts[j].get(c[cOff + j])}}`;
    }
    s += ']';
    if (interaction) s += `,"topInteraction":${JSON.stringify({ features: interaction.features, value: interaction.value })}`;
    const model = this.model;
    if (model.kind === 'scorecard' && model.domains.length) {
      const rows = model.features.map((f, j) => ({ label: f.name, contribution: c[cOff + j], probabilityPoints: null }));
      s += `,"domains":${JSON.stringify(domainRows(model, x, xOff, rows).map(({ probabilityPoints: _, ...d }) => d))}`;
    }
    if (curves) s += `,"bands":${JSON.stringify(curves.bands)},"curves":${JSON.stringify(curves.curves)}`;
    return s + '}';
  }
}

/**
 * A number as JSON writes it (null for NaN and ±∞). Whole numbers (counts, ages, categories) take the
 * short road: formatting a small integer is a table lookup in V8, a double a digit-generation run.
 */
function jsonNumber(v: number): string {
  const k = v | 0;
  return k === v ? `${k}` : Number.isFinite(v) ? String(v) : 'null';
}

/** Distinct numbers a column's text cache holds; beyond that, numbers are formatted each time. */
const CACHED_NUMBERS = 4096;

/**
 * The JSON text of numbers that recur in a column (a count takes a dozen values, a logistic model's
 * contribution is a function of the value): formatted once, looked up after. Formatting a double is
 * the dearest step of writing a line.
 */
class NumberTexts {
  private readonly texts = new Map<number, string>();
  get(v: number): string {
    if ((v | 0) === v) return `${v | 0}`;
    let s = this.texts.get(v);
    if (s === undefined) {
      s = jsonNumber(v);
      if (this.texts.size < CACHED_NUMBERS) this.texts.set(v, s);
    }
    return s;
  }
}

/** The same line laid out as `JSON.stringify(value, null, 2)` lays it out. */
function pretty(line: string): string {
  return JSON.stringify(JSON.parse(line), null, 2);
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

    const spec = specFrom(v);
    const progress = all ? new Progress({ label: 'explain', done: 'explained', unit: 'case' }) : undefined;
    const review = openReviewAndWarn(spec, v, progress);
    const { cases } = review;
    const model = computedModel(review, 'explain');
    const modelFile = modelFileOf(review.spec, 'explain');
    if (scale === 'probability' && !hasProbabilityView(model)) {
      throw new InputError(`the instrument "${model.name}" maps no probability; use --scale margin (points)`, { file: modelFile });
    }
    const background = backgroundOf(review);
    // Its scale, method and base value head every line; --case and --interactions also explain on this thread.
    const explainer = prepareExplainer(model, background, { file: modelFile });
    const m = model.features.length;
    const lines = new AttributionLines(model, scale === 'probability' ? 'probability' : explainer.scale, explainer.method);
    /** The line of case i, whose margin-scale contributions start at `c[cOff]`. */
    const rules: readonly ChangeRule[] | null = v.curves === true ? changeRules(review) : null;
    const lineOf = (i: number, margin: number, c: Float64Array, cOff: number, interaction?: TopInteraction | null) => {
      const score = scoreOf(model, margin);
      const curves = rules ? featureCurves(review, rules, i) : null;
      if (scale === 'margin') return lines.line(cases.ids[i], score, margin, explainer.baseValue, c, cOff, cases.x, i * m, interaction, curves);
      const a = toProbabilityPoints(model, { caseId: cases.ids[i], index: i, method: explainer.method, scale: explainer.scale, baseValue: explainer.baseValue, margin, score, contributions: c.subarray(cOff, cOff + m) });
      return lines.line(a.caseId, a.score, a.margin, a.baseValue, a.contributions, 0, cases.x, i * m, interaction, curves);
    };

    if (!all) {
      const i = caseIndex(cases, id!);
      const a = explainCase(explainer, cases, i);
      const line = lineOf(i, a.margin, a.contributions, 0, topInteraction(explainer, cases.x, i * m));
      emit(v, format === 'json' ? pretty(line) + '\n' : line + '\n');
      return;
    }

    const withPairs = v.interactions === true;
    await streamOutput(v, async (out) => {
      const frame = format === 'json' ? new JsonArrayFrame(out) : null;
      await explainBlocks({ model, cases, background }, { threads, file: modelFile, onProgress: (done, total) => progress!.update(done, total) }, async (b) => {
        for (let i = b.from; i < b.to; i++) {
          const line = lineOf(i, b.margin[i - b.from], b.contributions, (i - b.from) * m, withPairs ? topInteraction(explainer, cases.x, i * m) : undefined);
          if (frame) frame.item(pretty(line));
          else out.add(line + '\n');
        }
        await out.flush();
      });
      frame?.end();
    });
    progress!.finish(cases.n);
  },
};
