/**
 * Opening a review: the model, its cases, and the decision rules (threshold and bands) in one value that
 * the CLI, the extension host's worker and the exports all start from.
 */
import { InputError, placed } from './errors';
import { checkUtf8, readBytes, sha256 } from './io';
import { parseCsv, readCsv, type CsvTable } from './data/csv';
import { featureRanges, rangeWarnings, type InputWarning } from './data/ranges';
import { bindCases, type CaseSet } from './data/cases';
import { loadModel } from './models/load';
import { checkBands } from './models/riskmodel';
import { forestMargins, marginOf, probabilityOf, scoreOf } from './models/score';
import type { Band, RiskModel, ScorecardModel } from './models/types';
import type { ReviewSpec } from './project';

export interface Review {
  readonly spec: ReviewSpec;
  readonly model: RiskModel;
  readonly modelSha256: string;
  readonly dataSha256: string;
  readonly cases: CaseSet;
  /** Decision threshold on the score: a case is flagged when score ≥ threshold. */
  readonly threshold: number;
  readonly bands: readonly Band[];
  /** Whether scores are probabilities (false only for an instrument without a probability mapping). */
  readonly scoreIsProbability: boolean;
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

/** Labels and descriptions from the project win over the model's own. */
function withProjectLabels(model: RiskModel, spec: ReviewSpec): RiskModel {
  const features = model.features.map((f) => {
    const note = spec.features[f.name];
    return note ? { ...f, label: note.label ?? f.label, description: note.description ?? f.description } : f;
  });
  return { ...model, features };
}

/**
 * An instrument's own bands are on its total. When the instrument maps totals to probabilities the
 * score people see is the probability, so the edges are carried over through the mapping; with a
 * strictly increasing mapping a total and its probability fall in the same band.
 */
function instrumentBands(model: ScorecardModel, file: string): readonly Band[] {
  if (!model.probability) return model.bands;
  const edges = model.bands.slice(0, -1).map((b) => probabilityOf(model, b.below as number) as number);
  if (edges.some((e, k) => k > 0 && !(e > edges[k - 1]))) {
    throw new InputError('the instrument\'s probability mapping is not strictly increasing across its band edges, so its bands cannot be read on the probability scale', { file });
  }
  return model.bands.map((b, k) => (k < edges.length ? { label: b.label, below: edges[k] } : { label: b.label }));
}

function decisionRules(model: RiskModel, spec: ReviewSpec): { threshold: number; bands: readonly Band[]; scoreIsProbability: boolean } {
  const where = spec.projectFile;
  const scoreIsProbability = model.kind !== 'scorecard' || model.probability !== null;
  const modelBands = model.kind === 'scorecard' ? instrumentBands(model, spec.modelFile) : undefined;
  const projectBands = spec.bands;
  if (projectBands) checkBands(projectBands, where ?? 'project', '"bands"');
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

export function openReview(spec: ReviewSpec): Review {
  const loaded = loadModel(spec.modelFile, spec.modelFeatures);
  const model = withProjectLabels(loaded.model, spec);
  const dataBytes = readBytes(spec.dataFile);
  const textColumns = [spec.idColumn, ...spec.groupColumns, ...(spec.outcomeColumn ? [spec.outcomeColumn] : [])];
  const table = parseCsv(checkUtf8(dataBytes, spec.dataFile), spec.dataFile, textColumns);
  const cases = bindCases(table, model.features, { idColumn: spec.idColumn, outcomeColumn: spec.outcomeColumn, groupColumns: spec.groupColumns });
  const rules = decisionRules(model, spec);
  const backgroundTable = spec.backgroundFile === undefined ? null : readCsv(spec.backgroundFile, [spec.idColumn]);
  const warnings = backgroundTable ? rangeWarnings(model, cases, featureRanges(backgroundTable, model.features)) : [];
  return { spec, model, modelSha256: loaded.sha256, dataSha256: sha256(dataBytes), cases, ...rules, warnings, backgroundTable };
}

/** Every case's margin and score; a case the model cannot score is an error naming its file, line and id. */
export function scoreAll(model: RiskModel, cases: CaseSet): Scores {
  const m = cases.features.length;
  const margin = new Float64Array(cases.n);
  const score = new Float64Array(cases.n);
  let i = 0;
  try {
    if (model.kind === 'xgboost') forestMargins(model.forest, cases.x, cases.n, m, margin);
    else for (; i < cases.n; i++) margin[i] = marginOf(model, cases.x, i * m, cases.ids[i]);
    for (i = 0; i < cases.n; i++) score[i] = scoreOf(model, margin[i]);
  } catch (e) {
    throw e instanceof InputError ? placed(e, { file: cases.file, line: cases.lines[i] }) : e;
  }
  return { margin, score };
}

