/** Opens any model file Risk Review reads, telling the kinds apart by their content. */
import { InputError } from '../errors';
import { decodeUtf8, parseJson, readBytes, READ_LIMITS, sha256 } from '../io';
import { parseRiskModel } from './riskmodel';
import type { ComputedModel } from './types';
import { isXGBoostJson, parseXGBoostModel } from './xgboost';

export interface LoadedModel {
  readonly model: ComputedModel;
  readonly file: string;
  readonly sha256: string;
}

/** The kinds of `*.riskmodel.json` Risk Review reads (its JSON Schema says the same). */
const RISK_MODEL_KINDS: readonly unknown[] = ['logistic', 'scorecard'];

export function parseModel(json: unknown, file: string, featureNames?: readonly string[]): ComputedModel {
  if (isXGBoostJson(json)) return parseXGBoostModel(json, file, featureNames);
  if (json !== null && typeof json === 'object' && Object.hasOwn(json, 'kind')) {
    const kind = (json as { kind: unknown }).kind;
    if (!RISK_MODEL_KINDS.includes(kind)) {
      throw new InputError(`has "kind": ${JSON.stringify(kind)?.slice(0, 80)}, which Risk Review does not read; it reads "logistic" and "scorecard" models (*.riskmodel.json) and XGBoost JSON models`, { file });
    }
    return parseRiskModel(json, file);
  }
  throw new InputError('is neither an XGBoost JSON model (Booster.save_model) nor a Risk Review model ("kind": "logistic" or "scorecard")', { file });
}

export function loadModel(file: string, featureNames?: readonly string[]): LoadedModel {
  const bytes = readBytes(file, READ_LIMITS.model);
  const json = parseJson(decodeUtf8(bytes, file), file);
  return { model: parseModel(json, file, featureNames), file, sha256: sha256(bytes) };
}
