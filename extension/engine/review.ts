/**
 * Opening a review: the model, its cases, and the decision rules (threshold and bands) in one value that
 * the CLI, the extension host's worker and the exports all start from.
 */
import { InputError } from './errors';
import { readBytes, sha256, decodeUtf8 } from './io';
import { parseCsv } from './data/csv';
import { bindCases, type CaseSet } from './data/cases';
import { loadModel } from './models/load';
import { checkBands } from './models/riskmodel';
import { marginOf, scoreOf } from './models/score';
import type { Band, RiskModel } from './models/types';
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

function decisionRules(model: RiskModel, spec: ReviewSpec): { threshold: number; bands: readonly Band[]; scoreIsProbability: boolean } {
  const where = spec.projectFile;
  const scoreIsProbability = model.kind !== 'scorecard' || model.probability !== null;
  const modelBands = model.kind === 'scorecard' && !scoreIsProbability ? model.bands : undefined;
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
  const table = parseCsv(decodeUtf8(dataBytes, spec.dataFile), spec.dataFile, textColumns);
  const cases = bindCases(table, model.features, { idColumn: spec.idColumn, outcomeColumn: spec.outcomeColumn, groupColumns: spec.groupColumns });
  return { spec, model, modelSha256: loaded.sha256, dataSha256: sha256(dataBytes), cases, ...decisionRules(model, spec) };
}

export function scoreAll(model: RiskModel, cases: CaseSet): Scores {
  const m = cases.features.length;
  const margin = new Float64Array(cases.n);
  const score = new Float64Array(cases.n);
  for (let i = 0; i < cases.n; i++) {
    margin[i] = marginOf(model, cases.x, i * m, cases.ids[i]);
    score[i] = scoreOf(model, margin[i]);
  }
  return { margin, score };
}

