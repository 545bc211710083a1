/** Opens any model file Risk Review reads, telling the kinds apart by their content. */
import { InputError } from '../errors';
import { decodeUtf8, parseModelJson, readBytes, READ_LIMITS, sha256 } from '../io';
import { parseRiskModel } from './riskmodel';
import type { ComputedModel } from './types';
import { isLightGBMJson, isLightGBMText, parseLightGBMJson, parseLightGBMText } from './lightgbm';
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
  if (isLightGBMJson(json)) return parseLightGBMJson(json, file, featureNames);
  if (json !== null && typeof json === 'object' && Object.hasOwn(json, 'kind')) {
    const kind = (json as { kind: unknown }).kind;
    if (!RISK_MODEL_KINDS.includes(kind)) {
      throw new InputError(`has "kind": ${JSON.stringify(kind)?.slice(0, 80)}, which Risk Review does not read; it reads "logistic" and "scorecard" models (*.riskmodel.json), XGBoost JSON models and LightGBM models`, { file });
    }
    return parseRiskModel(json, file);
  }
  throw new InputError('is none of the models Risk Review reads: an XGBoost JSON model (Booster.save_model), a LightGBM model (save_model text or dump_model JSON), or a Risk Review model ("kind": "logistic" or "scorecard")', { file });
}

/** A model file's text: LightGBM's text format, or JSON (XGBoost, LightGBM's dump, Risk Review's own). */
export function parseModelText(text: string, file: string, featureNames?: readonly string[]): ComputedModel {
  if (isLightGBMText(text)) return parseLightGBMText(text, file, featureNames);
  return parseModel(parseModelJson(text, file), file, featureNames);
}

export function loadModel(file: string, featureNames?: readonly string[]): LoadedModel {
  const bytes = readBytes(file, READ_LIMITS.model);
  return { model: parseModelText(decodeUtf8(bytes, file), file, featureNames), file, sha256: sha256(bytes) };
}
