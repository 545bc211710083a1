/**
 * Opening a review: the model, its cases, and the decision rules (threshold and bands) in one value that
 * the CLI, the extension host's worker and the exports all start from.
 */
import { InputError, placed } from './errors';
import { checkUtf8, readBytes, READ_LIMITS, sha256 } from './io';
import { parseCsv, readCsv, type CsvTable } from './data/csv';
import { featureRanges, rangeWarnings, type InputWarning } from './data/ranges';
import { bindCases, groupingParts, withCodesIn, withIntersection, type CaseSet } from './data/cases';
import { loadModel } from './models/load';
import { checkBands } from './models/riskmodel';
import { forestMargins, marginOf, probabilityOf, scoreOf } from './models/score';
import { isTreeModel, type Band, type ComputedModel, type FeatureInfo, type RiskModel, type ScoreColumnModel } from './models/types';
import { modelFileOf, noModel, type ReviewSpec, type ScoreSource } from './project';
import { own } from './own';

export interface Review {
  readonly spec: ReviewSpec;
  readonly model: RiskModel;
  /** The model file's SHA-256; null for a score read from a column (the data's SHA-256 covers it). */
  readonly modelSha256: string | null;
  readonly dataSha256: string;
  readonly cases: CaseSet;
  /** Decision threshold on the score: a case is flagged when score ≥ threshold. */
  readonly threshold: number;
  readonly bands: readonly Band[];
  /** Whether scores are probabilities (false only for an instrument without a probability mapping). */
  readonly scoreIsProbability: boolean;
  /** The unit of a score on its own scale: "points" for an instrument's total, "" for a score read from a column. */
  readonly scoreUnit: string;
  /**
   * Values outside what the model saw (against the project's background file; see data/ranges.ts):
   * the review opens, and these are shown beside it (the CLI prints them as `risk-review: warning: …`).
   */
  readonly warnings: readonly InputWarning[];
  /**
   * The project's background file, read once when the review opens: the range warnings and the
   * attributions' background means (explain/background.ts) both start from it. Null without one.
   */
  readonly backgroundTable: CsvTable | null;
}

export interface Scores {
  readonly margin: Float64Array;
  readonly score: Float64Array;
}

/**
 * The categories of a feature with the project's names for them: a model that holds only codes takes
 * the project's names (at least as many as its splits use); one that names them itself must agree.
 */
function categoriesOf(f: FeatureInfo, named: readonly string[], where: string): Pick<FeatureInfo, 'categories' | 'codedCategories'> {
  const at = `"features" → "${f.name}" → "categories"`;
  if (!f.categories) throw new InputError(`${at}: the model reads "${f.name}" as a number, not as a category`, { file: where });
  if (f.codedCategories) {
    if (named.length < f.categories.length) {
      throw new InputError(`${at} names ${named.length} categories, but the model's splits use category codes up to ${f.categories.length - 1}`, { file: where });
    }
    return { categories: named, codedCategories: false };
  }
  if (named.length !== f.categories.length || named.some((c, k) => c !== f.categories![k])) {
    throw new InputError(`${at}: the model names the categories of "${f.name}" itself (${f.categories.join(', ')}), and the project's list differs`, { file: where });
  }
  return {};
}

/** Labels, descriptions and category names from the project win over the model's own. */
function withProjectNotes<M extends RiskModel>(model: M, spec: ReviewSpec): M {
  const features = model.features.map((f) => {
    const note = own(spec.features, f.name);
    if (!note) return f;
    const categories = note.categories ? categoriesOf(f, note.categories, spec.projectFile ?? spec.dataFile) : {};
    return { ...f, label: note.label ?? f.label, description: note.description ?? f.description, ...categories };
  });
  return { ...model, features };
}

/**
 * Bands on a score's own scale (an instrument's total, a score column's values) as people see the score.
 * When it maps to probabilities the score people see is the probability, so the edges are carried over
 * through the mapping; with a strictly increasing mapping a score and its probability fall in the same band.
 */
function ownScaleBands(model: RiskModel, bands: readonly Band[], file: string): readonly Band[] {
  if (probabilityOf(model, 0) === null) return bands;
  const edges = bands.slice(0, -1).map((b) => probabilityOf(model, b.below as number) as number);
  if (edges.some((e, k) => k > 0 && !(e > edges[k - 1]))) {
    throw new InputError('the probability mapping is not strictly increasing across the band edges, so the bands cannot be read on the probability scale', { file });
  }
  return bands.map((b, k) => (k < edges.length ? { label: b.label, below: edges[k] } : { label: b.label }));
}

/**
 * A score column's cut and bands are on the score's own scale ("decile 5 or more"); with a probability
 * mapping they are carried to the probability scale like an instrument's bands.
 */
function columnRules(model: ScoreColumnModel, spec: ReviewSpec): { threshold: number; bands: readonly Band[]; scoreIsProbability: boolean } {
  const where = spec.projectFile ?? spec.dataFile;
  if (spec.threshold === undefined) {
    throw new InputError(`give the cut that flags a case on the scale of "${model.column}" (--threshold, or "threshold" in the project): a case is flagged when its score is at least that`, { file: where });
  }
  if (spec.bands) checkBands(spec.bands, where, '"bands"');
  const own = spec.bands ?? [{ label: 'Below the cut', below: spec.threshold }, { label: 'At or above the cut' }];
  const probability = probabilityOf(model, spec.threshold);
  return { threshold: probability ?? spec.threshold, bands: ownScaleBands(model, own, where), scoreIsProbability: probability !== null };
}

function decisionRules(model: RiskModel, spec: ReviewSpec): { threshold: number; bands: readonly Band[]; scoreIsProbability: boolean } {
  if (model.kind === 'score-column') return columnRules(model, spec);
  const where = spec.projectFile;
  const scoreIsProbability = model.kind !== 'scorecard' || model.probability !== null;
  const modelBands = model.kind === 'scorecard' ? ownScaleBands(model, model.bands, modelFileOf(spec, 'an instrument')) : undefined;
  const projectBands = spec.bands;
  if (projectBands) checkBands(projectBands, where ?? 'project', '"bands"', scoreIsProbability);
  let threshold = spec.threshold;
  if (threshold === undefined) {
    if (scoreIsProbability) threshold = 0.5;
    else {
      // An instrument without probabilities flags its top band unless told otherwise.
      const bands = modelBands!;
      threshold = bands.length > 1 ? (bands[bands.length - 2].below as number) : 0;
    }
  }
  if (scoreIsProbability && !(threshold > 0 && threshold < 1)) {
    throw new InputError(`the threshold ${threshold} is not a probability between 0 and 1`, { file: where });
  }
  const bands = projectBands ?? modelBands ?? [{ label: 'Below threshold', below: threshold }, { label: 'At or above threshold' }];
  return { threshold, bands, scoreIsProbability };
}

/**
 * The case columns a score column is imitated from: those the project names, else every column that is
 * not the id, the outcome, the score itself or a group column. A column of numbers is a number; any other
 * is a category (its distinct values, sorted).
 */
function columnInputs(table: CsvTable, spec: ReviewSpec, source: Extract<ScoreSource, { kind: 'column' }>): FeatureInfo[] {
  const reserved = new Set([spec.idColumn, source.column, ...(spec.outcomeColumn ? [spec.outcomeColumn] : []), ...spec.groupColumns.flatMap(groupingParts)]);
  const names = source.inputs ?? table.header.filter((h) => !reserved.has(h));
  return names.map((name) => {
    const col = table.column(name);
    if (!col) throw new InputError(`has no column "${name}" (a score input); its columns are: ${table.header.join(', ')}`, { file: table.file });
    if (col.kind === 'number') return { name, label: name };
    const categories = [...new Set(col.text.map((t) => t.trim()).filter((t) => t !== '' && t !== 'NA' && t !== 'NaN'))].sort();
    return { name, label: name, categories };
  });
}

function scoreColumnModel(table: CsvTable, spec: ReviewSpec, source: Extract<ScoreSource, { kind: 'column' }>): ScoreColumnModel {
  return { kind: 'score-column', name: source.column, column: source.column, features: columnInputs(table, spec, source), probability: source.probability };
}

/**
 * The case file as a table, and the SHA-256 of its bytes. The bytes live only as long as this call: a
 * large file's buffer is let go before its columns are bound to the model.
 */
function readCaseFile(spec: ReviewSpec): { table: CsvTable; dataSha256: string } {
  const bytes = readBytes(spec.dataFile, READ_LIMITS.cases, { shared: true });
  const textColumns = [spec.idColumn, ...spec.groupColumns.flatMap(groupingParts), ...(spec.outcomeColumn ? [spec.outcomeColumn] : [])];
  return { table: parseCsv(checkUtf8(bytes, spec.dataFile), spec.dataFile, textColumns), dataSha256: sha256(bytes) };
}

export function openReview(spec: ReviewSpec): Review {
  const loaded = spec.source.kind === 'model' ? loadModel(spec.source.modelFile, spec.source.modelFeatures) : null;
  const { table, dataSha256 } = readCaseFile(spec);
  const named = withProjectNotes(loaded ? loaded.model : scoreColumnModel(table, spec, spec.source as Extract<ScoreSource, { kind: 'column' }>), spec);
  const model: RiskModel = { ...named, features: withCodesIn(named.features, table) };
  const cases = bindCases(table, model.features, {
    idColumn: spec.idColumn,
    outcomeColumn: spec.outcomeColumn,
    groupColumns: withIntersection(spec.groupColumns),
    scoreColumn: model.kind === 'score-column' ? model.column : undefined,
  });
  const rules = decisionRules(model, spec);
  const backgroundTable = spec.backgroundFile === undefined ? null : readCsv(spec.backgroundFile, [spec.idColumn]);
  const warnings = backgroundTable && model.kind !== 'score-column' ? rangeWarnings(model, cases, featureRanges(backgroundTable, model.features)) : [];
  const scoreUnit = model.kind === 'score-column' ? '' : 'points';
  return { spec, model, modelSha256: loaded?.sha256 ?? null, dataSha256, cases, ...rules, scoreUnit, warnings, backgroundTable };
}

/**
 * What identifies the scores a decision was made on, as the review log records it: the model file's
 * SHA-256, or for a score read from a column the data's (the data holds the score).
 */
export function scoringSha256(review: Pick<Review, 'modelSha256' | 'dataSha256'>): string {
  return review.modelSha256 ?? review.dataSha256;
}

/** The model that computes a review's scores, or an error saying what `need`s one when the score is read from a column. */
export function computedModel(review: Pick<Review, 'model' | 'spec'>, need: string): ComputedModel {
  return review.model.kind === 'score-column' ? noModel(review.spec, need) : review.model;
}

/**
 * The margins and scores of cases `from` … `to − 1` into `margin` and `score` (from index 0): a block of a
 * batch that is written out as it goes. A case the model cannot score is an error naming its file, line
 * and id.
 */
export function scoreRange(model: RiskModel, cases: CaseSet, from: number, to: number, margin: Float64Array, score: Float64Array): void {
  const m = cases.features.length;
  let i = from;
  try {
    if (isTreeModel(model)) forestMargins(model.forest, cases.x.subarray(from * m, to * m), to - from, m, margin);
    else if (model.kind === 'score-column') margin.set(cases.deployedScores!.subarray(from, to));
    else for (; i < to; i++) margin[i - from] = marginOf(model, cases.x, i * m, cases.ids[i]);
    for (i = from; i < to; i++) {
      const s = scoreOf(model, margin[i - from]);
      // Finite inputs can still overflow (a huge coefficient times a huge value, ∞ − ∞): never a silent NaN.
      if (s !== s) throw new InputError('the model gives this case no score: its terms overflow (a coefficient times a value beyond ±1.8e308)', { caseId: cases.ids[i] });
      score[i - from] = s;
    }
  } catch (e) {
    throw e instanceof InputError ? placed(e, { file: cases.file, line: cases.lines[i] }) : e;
  }
}

/** One case's margin: computed by the model, or read from the score column. */
export function caseMargin(model: RiskModel, cases: CaseSet, i: number): number {
  if (model.kind === 'score-column') return cases.deployedScores![i];
  return marginOf(model, cases.x, i * cases.features.length, cases.ids[i]);
}

/** Every case's margin and score (`scoreRange` over all of them). */
export function scoreAll(model: RiskModel, cases: CaseSet): Scores {
  const margin = new Float64Array(cases.n);
  const score = new Float64Array(cases.n);
  scoreRange(model, cases, 0, cases.n, margin, score);
  return { margin, score };
}
