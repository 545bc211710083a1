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
import { checkTreeShape, nodeNumbers, type NodeNumberKind } from './treeChecks';

type Json = Record<string, unknown>;

const SUPPORTED_OBJECTIVES = ['binary:logistic', 'reg:logistic'] as const;

function obj(v: unknown, what: string, file: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InputError(`is not an XGBoost JSON model: "${what}" is missing or not an object`, { file });
  return v as Json;
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

/** One tree's nodes as read and checked (tree-local indices). */
interface TreeNodes {
  readonly left: Float64Array;
  readonly right: Float64Array;
  readonly feature: Float64Array;
  readonly condition: Float64Array;
  readonly defaultLeft: Float64Array;
  readonly cover: Float64Array;
}

/**
 * The one place an XGBoost tree is checked (with treeChecks.ts): every per-node list is numbers of its
 * kind and of the tree's length, split features exist, splits are numeric, and the nodes form a tree.
 * Leaf values sit in `split_conditions`; `base_weights` and `loss_changes` are not used, but checked
 * when present, since the format says they are finite.
 */
function readTree(tree: Json, t: number, numFeature: number, file: string): TreeNodes {
  const field = (name: string, kind: NodeNumberKind, count?: number) => nodeNumbers(tree[name], kind, { file, tree: t, field: name }, count);
  const left = field('left_children', 'index');
  const n = left.length;
  const nodes: TreeNodes = {
    left,
    right: field('right_children', 'index', n),
    feature: field('split_indices', 'index', n),
    condition: field('split_conditions', 'float32', n),
    defaultLeft: field('default_left', 'flag', n),
    cover: field('sum_hessian', 'weight', n),
  };
  for (const optional of ['base_weights', 'loss_changes']) if (tree[optional] !== undefined) field(optional, 'float32', n);
  const splitType = tree.split_type === undefined ? null : field('split_type', 'index', n);
  checkTreeShape(nodes.left, nodes.right, { file, tree: t });
  for (let i = 0; i < n; i++) {
    if (nodes.left[i] < 0) continue;
    if (!(nodes.feature[i] >= 0 && nodes.feature[i] < numFeature)) throw new InputError(`tree ${t}, node ${i}: split on feature ${nodes.feature[i]}, but the model has ${numFeature}`, { file });
    if (splitType !== null && splitType[i] === 1) throw new InputError(`tree ${t}, node ${i}: categorical split; Risk Review reads numeric splits only`, { file });
  }
  return nodes;
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
  if (!(Number.isInteger(numFeature) && numFeature >= 1)) throw new InputError(`has num_feature ${JSON.stringify(params.num_feature)}, which is not a whole number of features`, { file });
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

  const perTree = trees.map((t, i) => readTree(obj(t, `trees[${i}]`, file), i, numFeature, file));
  const total = perTree.reduce((sum, tree) => sum + tree.left.length, 0);
  const treeStart = new Int32Array(trees.length + 1);
  const left = new Int32Array(total);
  const right = new Int32Array(total);
  const feature = new Int32Array(total);
  const threshold = new Float64Array(total);
  const defaultLeft = new Uint8Array(total);
  const value = new Float64Array(total);
  const cover = new Float64Array(total);

  let off = 0;
  perTree.forEach((tree, t) => {
    const n = tree.left.length;
    treeStart[t] = off;
    for (let i = 0; i < n; i++) {
      const k = off + i;
      const isLeaf = tree.left[i] < 0;
      left[k] = isLeaf ? -1 : off + tree.left[i];
      right[k] = isLeaf ? -1 : off + tree.right[i];
      feature[k] = isLeaf ? 0 : tree.feature[i];
      threshold[k] = isLeaf ? 0 : Math.fround(tree.condition[i]);
      defaultLeft[k] = tree.defaultLeft[i];
      value[k] = isLeaf ? Math.fround(tree.condition[i]) : 0;
      cover[k] = tree.cover[i];
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
