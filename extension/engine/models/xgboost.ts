/**
 * Reads a tree ensemble saved by XGBoost's `Booster.save_model("m.json")` (1.7, 2.x and 3.x) into the
 * flat `Forest` the scorer and TreeSHAP share.
 *
 * Differences between versions that matter here: `base_score` is a number in a string ("5E-1") in 1.7
 * and 2.x and a one-element list in a string ("[5E-1]") in 3.x; `default_left` holds 0/1 or booleans.
 * For the logistic objectives the margin starts at logit(base_score). Leaf values sit in
 * `split_conditions` of leaf nodes (as `base_weights` do), and `sum_hessian` is the cover.
 */
import { InputError } from '../errors';
import { logit } from './score';
import type { FeatureInfo, Forest, XGBoostModel } from './types';

type Json = Record<string, unknown>;

const SUPPORTED_OBJECTIVES = ['binary:logistic', 'reg:logistic'] as const;

function obj(v: unknown, what: string, file: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InputError(`is not an XGBoost JSON model: "${what}" is missing or not an object`, { file });
  return v as Json;
}

function numArray(v: unknown, what: string, file: string, tree: number): number[] {
  if (!Array.isArray(v)) throw new InputError(`tree ${tree}: "${what}" is missing or not a list`, { file });
  return v.map((x) => (typeof x === 'boolean' ? (x ? 1 : 0) : Number(x)));
}

/** "5E-1", "[5E-1]", 0.5 or [0.5] → 0.5 */
function parseBaseScore(v: unknown, file: string): number {
  let s: unknown = v;
  if (Array.isArray(s)) s = s[0];
  if (typeof s === 'string') s = s.trim().replace(/^\[/, '').replace(/\]$/, '').split(',')[0];
  const n = Number(s);
  if (!Number.isFinite(n)) throw new InputError(`has an unreadable base_score ${JSON.stringify(v)}`, { file });
  return n;
}

export function isXGBoostJson(json: unknown): boolean {
  return json !== null && typeof json === 'object' && 'learner' in (json as Json);
}

/**
 * @param names feature names to use when the model has none (from the project file), in model order.
 */
export function parseXGBoostModel(json: unknown, file: string, names?: readonly string[]): XGBoostModel {
  const root = obj(json, 'learner', file);
  const learner = obj(root.learner, 'learner', file);
  const objective = obj(learner.objective, 'learner.objective', file);
  const objectiveName = String(objective.name);
  if (!(SUPPORTED_OBJECTIVES as readonly string[]).includes(objectiveName)) {
    throw new InputError(`uses the objective "${objectiveName}"; Risk Review reads binary:logistic and reg:logistic models`, { file });
  }
  const booster = obj(learner.gradient_booster, 'learner.gradient_booster', file);
  if (booster.name !== 'gbtree') {
    throw new InputError(`uses the "${String(booster.name)}" booster; Risk Review reads gbtree models`, { file });
  }
  const params = obj(learner.learner_model_param, 'learner.learner_model_param', file);
  const numClass = Number(params.num_class ?? 0);
  const numTarget = Number(params.num_target ?? 1);
  if (numClass > 1 || numTarget > 1) throw new InputError('has several outputs (classes or targets); Risk Review reads single-output models', { file });
  const numFeature = Number(params.num_feature);
  const baseScore = parseBaseScore(params.base_score, file);
  if (!(baseScore > 0 && baseScore < 1)) throw new InputError(`has base_score ${baseScore}, which is not a probability strictly between 0 and 1`, { file });

  const model = obj(booster.model, 'gradient_booster.model', file);
  const trees = model.trees;
  if (!Array.isArray(trees)) throw new InputError('is not an XGBoost JSON model: it has no list of trees', { file });

  const modelNames = Array.isArray(learner.feature_names) ? (learner.feature_names as unknown[]).map(String) : [];
  let featureNames: string[];
  if (modelNames.length > 0) featureNames = modelNames;
  else if (names && names.length > 0) featureNames = [...names];
  else featureNames = Array.from({ length: numFeature }, (_, i) => `f${i}`);
  if (featureNames.length !== numFeature) {
    throw new InputError(`has ${numFeature} features but ${featureNames.length} feature names were given`, { file });
  }
  const types = Array.isArray(learner.feature_types) ? (learner.feature_types as unknown[]).map(String) : [];
  const categorical = types.findIndex((t) => t === 'c');
  if (categorical >= 0) throw new InputError(`feature "${featureNames[categorical]}" is categorical; Risk Review reads numeric splits only`, { file });

  let total = 0;
  const perTree = trees.map((t, i) => {
    const tree = obj(t, `trees[${i}]`, file);
    const left = numArray(tree.left_children, 'left_children', file, i);
    total += left.length;
    return { tree, left };
  });
  const treeStart = new Int32Array(trees.length + 1);
  const left = new Int32Array(total);
  const right = new Int32Array(total);
  const feature = new Int32Array(total);
  const threshold = new Float64Array(total);
  const defaultLeft = new Uint8Array(total);
  const value = new Float64Array(total);
  const cover = new Float64Array(total);

  let off = 0;
  perTree.forEach(({ tree, left: l }, t) => {
    const n = l.length;
    const r = numArray(tree.right_children, 'right_children', file, t);
    const idx = numArray(tree.split_indices, 'split_indices', file, t);
    const cond = numArray(tree.split_conditions, 'split_conditions', file, t);
    const dl = numArray(tree.default_left, 'default_left', file, t);
    const hess = numArray(tree.sum_hessian, 'sum_hessian', file, t);
    const splitType = Array.isArray(tree.split_type) ? numArray(tree.split_type, 'split_type', file, t) : [];
    for (const arr of [r, idx, cond, dl, hess]) {
      if (arr.length !== n) throw new InputError(`tree ${t}: its node lists have different lengths (a damaged model?)`, { file });
    }
    treeStart[t] = off;
    for (let i = 0; i < n; i++) {
      const k = off + i;
      const isLeaf = l[i] < 0;
      if (!isLeaf) {
        if (!(l[i] > 0 && l[i] < n && r[i] > 0 && r[i] < n)) throw new InputError(`tree ${t}, node ${i}: a child index is out of range`, { file });
        if (!(idx[i] >= 0 && idx[i] < numFeature)) throw new InputError(`tree ${t}, node ${i}: split on feature ${idx[i]}, but the model has ${numFeature}`, { file });
        if (splitType[i] === 1) throw new InputError(`tree ${t}, node ${i}: categorical split; Risk Review reads numeric splits only`, { file });
      }
      left[k] = isLeaf ? -1 : off + l[i];
      right[k] = isLeaf ? -1 : off + r[i];
      feature[k] = isLeaf ? 0 : idx[i];
      threshold[k] = isLeaf ? 0 : Math.fround(cond[i]);
      defaultLeft[k] = dl[i] ? 1 : 0;
      value[k] = isLeaf ? Math.fround(cond[i]) : 0;
      cover[k] = hess[i];
    }
    off += n;
  });
  treeStart[trees.length] = off;

  const forest: Forest = {
    nTrees: trees.length,
    treeStart,
    left,
    right,
    feature,
    threshold,
    defaultLeft,
    value,
    cover,
    baseMargin: logit(Math.fround(baseScore)),
  };
  const version = Array.isArray(root.version) ? (root.version as unknown[]).join('.') : 'unknown';
  const features: FeatureInfo[] = featureNames.map((name) => ({ name, label: name }));
  return {
    kind: 'xgboost',
    name: file.split(/[\\/]/).pop() ?? 'XGBoost model',
    features,
    objective: objectiveName as XGBoostModel['objective'],
    xgboostVersion: version,
    forest,
  };
}
