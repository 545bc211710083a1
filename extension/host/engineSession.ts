/**
 * The engine side of the review panel: one open review and its analyses, answering the host's requests
 * (open, case, what-if, export). It runs inside the worker thread (worker.ts) and is plain engine code —
 * the same `openReview`, `prepareAnalyses`, `buildCaseSummary` and `exportBatch` the CLI uses, so the
 * panel, the CLI and the exported documents say the same about a case.
 */
import { integer } from '../engine/report/format';
import { RISK_REVIEW_VERSION } from '../engine/version';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { InputError } from '../engine/errors';
import { readHead, writeFileAtomic } from '../engine/io';
import { bandOf, imputedValue } from '../engine/models/score';
import type { RiskModel } from '../engine/models/types';
import { batchFileNames, buildCaseSummary, exportBatch, prepareAnalyses, renderSummary, type Analyses, type SummaryExtras } from '../engine/report/index';
import { blindSummary } from '../engine/report/blind';
import { decisionsOverview } from '../engine/decisions/overview';
import type { DecisionsOverview } from '../engine/decisions/types';
import { verifyLog } from '../engine/reviewLog';
import { computedModel, openReview, scoreAll, scoringSha256, type Review } from '../engine/review';
import type { CaseSet } from '../engine/data/cases';
import type { FeatureField, FeatureValues } from '../../webview/protocol';
import type { CaseExtras, CaseView, ExportJob, ExportResult, OpenedReview, OpenOptions, Requests, ReviewSource, WhatIfResult } from './engineProtocol';
import { confineToProjectFolder, readProject, type ReviewSpec } from '../engine/project';
import type { SummaryFormat } from '../engine/report/index';
import { orderById, orderByScore } from './caseQuery';
import { acceptsMissing } from '../engine/recourse/axes';

export interface RunContext {
  onProgress(done: number, total: number, message?: string): void;
  isCancelled(): boolean;
}

function extrasOf(extras: CaseExtras | undefined): SummaryExtras {
  return {
    generatedAt: new Date().toISOString(),
    extensionVersion: RISK_REVIEW_VERSION,
    decision: extras?.decision ?? null,
    whatIfs: extras?.whatIfs ?? [],
  };
}

function featureFields(model: RiskModel, cases: CaseSet): FeatureField[] {
  const m = model.features.length;
  return model.features.map((f, j) => {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < cases.n; i++) {
      const v = cases.x[i * m + j];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (min > max) min = max = 0; // every value missing
    const imputed = imputedValue(model, j);
    return { name: f.name, label: f.label, description: f.description, categories: f.categories, min, max, acceptsMissing: acceptsMissing(model, j), ...(imputed === imputed ? { imputedAs: imputed } : {}) };
  });
}

function caseValues(model: RiskModel, x: Float64Array, offset: number): FeatureValues {
  // fromEntries defines each name as its own key: a feature named "__proto__" is a value, not a prototype.
  return Object.fromEntries(
    model.features.map((f, j) => {
      const v = x[offset + j];
      return [f.name, v !== v ? null : v];
    }),
  );
}

/** The case's row with the scenario's values in place of its own; every name and category checked. */
function scenarioRow(review: Review, i: number, values: FeatureValues): Float64Array {
  const { model, cases } = review;
  const m = model.features.length;
  const row = cases.x.slice(i * m, (i + 1) * m);
  const index = new Map(model.features.map((f, j) => [f.name, j]));
  for (const [name, v] of Object.entries(values)) {
    const j = index.get(name);
    if (j === undefined) throw new InputError(`the model has no feature "${name}"`, { caseId: cases.ids[i] });
    const categories = model.features[j].categories;
    if (v !== null && categories && !(Number.isInteger(v) && v >= 0 && v < categories.length)) {
      throw new InputError(`${v} is not a category of "${model.features[j].label}"`, { caseId: cases.ids[i] });
    }
    row[j] = v === null ? NaN : v;
  }
  return row;
}

/** A one-case review holding the scenario, so the scenario is summarised by the very code real cases are. */
function scenarioReview(review: Review, i: number, row: Float64Array): Review {
  const c = review.cases;
  const id = c.ids[i];
  const cases: CaseSet = {
    ...c,
    n: 1,
    ids: [id],
    x: row,
    outcome: c.outcome ? Int8Array.of(c.outcome[i]) : null,
    groups: c.groups.map((g) => ({ ...g, codes: Int32Array.of(g.codes[i]) })),
    lines: Uint32Array.of(c.lines[i]),
    indexOf: (x) => (x === id ? 0 : -1),
  };
  return { ...review, cases };
}

/** The first record of a CSV file: its column names (for the id / outcome / group pickers). */
export function csvHeader(file: string): string[] {
  // The header is at the start; 1 MB is far more than any header and keeps a huge file from being read whole.
  const head = readHead(file, 1 << 20).toString('utf8');
  let records: string[][];
  try {
    records = parse(head, { bom: true, to_line: 1, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw new InputError(`cannot be read as CSV (${(e as Error).message})`, { file, line: 1 });
  }
  const header = records[0] ?? [];
  if (header.length === 0) throw new InputError('is empty: a header row is needed', { file });
  return header;
}

export function specOf(source: ReviewSource): ReviewSpec {
  if (source.kind === 'project') return readProject(source.file);
  return {
    source: { kind: 'model', modelFile: resolve(source.model) },
    dataFile: resolve(source.data),
    idColumn: source.idColumn,
    outcomeColumn: source.outcomeColumn,
    groupColumns: source.groupColumns,
    referenceGroups: {},
    features: {},
  };
}

export class EngineSession {
  private review: Review | null = null;
  private analyses: Analyses | null = null;
  private scores: Float64Array | null = null;

  private current(): { review: Review; analyses: Analyses; score: Float64Array } {
    if (!this.review || !this.analyses || !this.scores) throw new Error('no review is open');
    return { review: this.review, analyses: this.analyses, score: this.scores };
  }

  private indexOk(review: Review, index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= review.cases.n) throw new Error(`case index ${index} is out of range`);
  }

  open(source: ReviewSource, options: OpenOptions, run?: RunContext): OpenedReview {
    this.review = null;
    this.analyses = null;
    this.scores = null;
    const stage = (k: number, message: string) => run?.onProgress(k, 4, message);
    stage(0, 'reading the model and the case file');
    const spec = specOf(source);
    if (options.untrusted) confineToProjectFolder(spec);
    const review = openReview(spec);
    stage(1, `scoring ${integer(review.cases.n)} cases`);
    const { score } = scoreAll(review.model, review.cases);
    stage(2, 'fitting the surrogate rule and checking calibration');
    const analyses = prepareAnalyses(review, { bins: options.bins, score, surrogate: options.maxLeaves === undefined ? undefined : { maxLeaves: options.maxLeaves } });
    stage(3, 'ordering the case list');
    const labels = review.bands.map((b) => b.label);
    const band = new Uint8Array(review.cases.n);
    for (let i = 0; i < score.length; i++) band[i] = labels.indexOf(bandOf(review.bands, score[i]));
    this.review = review;
    this.analyses = analyses;
    this.scores = score;
    const c = review.cases;
    return {
      name: spec.name ?? review.model.name,
      projectFile: spec.projectFile,
      modelName: review.model.name,
      modelKind: review.model.kind,
      modelFile: spec.source.kind === 'model' ? spec.source.modelFile : null,
      dataFile: spec.dataFile,
      modelSha256: scoringSha256(review),
      dataSha256: review.dataSha256,
      n: c.n,
      ids: c.ids,
      score,
      byScore: orderByScore(score),
      byId: orderById(c.ids),
      scoreIsProbability: review.scoreIsProbability,
      scoreUnit: review.scoreUnit,
      threshold: review.threshold,
      bands: labels,
      band,
      outcome: c.outcome,
      outcomeColumn: c.outcomeColumn,
      groups: c.groups.map((g) => ({ column: g.column, labels: g.labels, codes: g.codes })),
      fields: featureFields(review.model, c),
      warnings: review.warnings.map((w) => w.message),
    };
  }

  caseView(index: number, extras: CaseExtras, blind = false): CaseView {
    const { review, analyses } = this.current();
    this.indexOk(review, index);
    const m = review.model.features.length;
    const summary = buildCaseSummary(review, analyses, index, extrasOf(extras));
    return { summary: blind ? blindSummary(summary) : summary, values: caseValues(review.model, review.cases.x, index * m) };
  }

  async decisions(logFile: string): Promise<DecisionsOverview> {
    const { review, score } = this.current();
    return decisionsOverview(review, score, await verifyLog(logFile), logFile);
  }

  whatIf(index: number, values: FeatureValues): WhatIfResult {
    const { review, analyses } = this.current();
    this.indexOk(review, index);
    computedModel(review, 'a what-if scenario');
    const scenario = scenarioReview(review, index, scenarioRow(review, index, values));
    // Attributions only: the scenario's score and band come from its header, its explanation from the same explainer.
    const s = buildCaseSummary(scenario, { explainer: analyses.explainer }, 0, extrasOf(undefined));
    return { score: s.header.score, margin: s.header.margin, band: s.header.band, attribution: s.attribution };
  }

  planBatch(indices: readonly number[], format: SummaryFormat, redactPrefix: string | undefined, dir: string): { names: string[]; existing: string[] } {
    const { review } = this.current();
    indices.forEach((i) => this.indexOk(review, i));
    const names = batchFileNames(
      indices.map((i) => review.cases.ids[i]),
      format,
      redactPrefix === undefined ? undefined : { prefix: redactPrefix },
    );
    return { names, existing: names.filter((name) => existsSync(join(dir, name))) };
  }

  async export(job: ExportJob, run: RunContext): Promise<ExportResult> {
    const { review, analyses } = this.current();
    job.indices.forEach((i) => this.indexOk(review, i));
    const summaryAt = (k: number) => buildCaseSummary(review, analyses, job.indices[k], extrasOf(job.extras[job.indices[k]]));
    const target = job.target;
    if (target.kind === 'file') {
      const data = await renderSummary(summaryAt(0), job.format, { plainLanguage: job.plainLanguage, reviewerText: job.reviewerText, redact: job.redact === undefined ? undefined : { reference: job.redact } });
      writeFileAtomic(target.file, data);
      run.onProgress(1, 1);
      return { written: [target.file], cancelled: false };
    }
    const result = await exportBatch({
      count: job.indices.length,
      summaryAt,
      fileNames: target.names,
      format: job.format,
      plainLanguage: job.plainLanguage,
      reviewerText: job.reviewerText,
      redact: job.redact === undefined ? undefined : { prefix: job.redact },
      write: (_k, name, data) => writeFileAtomic(join(target.dir, name), data),
      onProgress: (done, total) => run.onProgress(done, total),
      isCancelled: () => run.isCancelled(),
    });
    return { written: result.written.map((name) => join(target.dir, name)), cancelled: result.cancelled };
  }

  /** Answers one request; the switch is checked against `Requests` so every type is handled. */
  async handle<T extends keyof Requests>(type: T, args: Requests[T]['args'], run: RunContext): Promise<Requests[T]['result']> {
    const a = args as Requests[keyof Requests]['args'];
    switch (type) {
      case 'open': {
        const { source, options } = a as Requests['open']['args'];
        return this.open(source, options, run) as Requests[T]['result'];
      }
      case 'csvHeader':
        return csvHeader((a as Requests['csvHeader']['args']).file) as Requests[T]['result'];
      case 'case': {
        const { index, extras, blind } = a as Requests['case']['args'];
        return this.caseView(index, extras, blind) as Requests[T]['result'];
      }
      case 'whatIf': {
        const { index, values } = a as Requests['whatIf']['args'];
        return this.whatIf(index, values) as Requests[T]['result'];
      }
      case 'planBatch': {
        const { indices, format, redactPrefix, dir } = a as Requests['planBatch']['args'];
        return this.planBatch(indices, format, redactPrefix, dir) as Requests[T]['result'];
      }
      case 'export':
        return (await this.export(a as Requests['export']['args'], run)) as Requests[T]['result'];
      case 'decisions':
        return (await this.decisions((a as Requests['decisions']['args']).logFile)) as Requests[T]['result'];
      default:
        throw new Error(`unknown request "${String(type)}"`);
    }
  }
}
