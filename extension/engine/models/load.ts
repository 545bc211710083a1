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

export function parseModel(json: unknown, file: string, featureNames?: readonly string[]): ComputedModel {
  if (isXGBoostJson(json)) return parseXGBoostModel(json, file, featureNames);
  if (json !== null && typeof json === 'object' && 'kind' in json) return parseRiskModel(json, file);
  throw new InputError('is neither an XGBoost JSON model (Booster.save_model) nor a Risk Review model ("kind": "logistic" or "scorecard")', { file });
}

export function loadModel(file: string, featureNames?: readonly string[]): LoadedModel {
  const bytes = readBytes(file, READ_LIMITS.model);
  const json = parseJson(decodeUtf8(bytes, file), file);
  return { model: parseModel(json, file, featureNames), file, sha256: sha256(bytes) };
}
