/**
 * Reads a tree ensemble saved by XGBoost's `Booster.save_model("m.json")` (1.4 to 3.x) into the flat
 * `Forest` the scorer and TreeSHAP share (checked in forest.ts).
 *
 * What differs between versions and matters here:
 *   - `base_score` is a number in a string ("5E-1") up to 2.x and a one-element list in a string
 *     ("[5E-1]") from 3.x; for the logistic objectives the margin starts at logit(base_score).
 *   - `default_left` holds 0/1 or booleans.
 *   - Categorical splits (1.4 on): `split_type` 1, with the node's categories listed in `categories`
 *     (`categories_nodes` names the nodes, `categories_segments` / `categories_sizes` slice the list); the
 *     node's `split_conditions` entry means nothing, and 1.4–2.0 write it as the bare token NaN.
 *     `feature_types` "c" marks categorical features. From 3.1 the model may hold the categories' names
 *     (`cats.enc`, one entry per feature, in code order): cases then give names; otherwise codes, or names
 *     from the project (review.ts).
 *   - `dart` boosters keep the trees under `gbtree` and a weight per tree in `weight_drop`; a tree's
 *     leaves count times its weight, as XGBoost predicts.
 * Leaf values sit in `split_conditions` of leaf nodes; `sum_hessian` is the cover.
 */
import { InputError } from '../errors';
import { nonFiniteValue } from '../data/json-syntax';
import { buildForest, categoryCounts, type FieldNames, type TreeNodes } from './forest';
import { logit } from './score';
import { SplitRule, type FeatureInfo, type Forest, type XGBoostModel } from './types';

type Json = Record<string, unknown>;

const SUPPORTED_OBJECTIVES = ['binary:logistic', 'reg:logistic'] as const;

const FIELDS: FieldNames = {
  left: 'left_children',
  right: 'right_children',
  feature: 'split_indices',
  threshold: 'split_conditions',
  value: 'split_conditions',
  cover: 'sum_hessian',
  categories: 'categories',
  weight: 'weight_drop',
};

function obj(v: unknown, what: string, file: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InputError(`is not an XGBoost JSON model: "${what}" is missing or not an object`, { file });
  return v as Json;
}

/** A number as XGBoost writes it: a JSON number, a bare NaN / Infinity (see parseModelJson), or 0/1 as false/true. */
function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return nonFiniteValue(v) ?? NaN;
}

/** A tree's list of numbers; `perNode` lists hold one entry per node, and a bad entry is named by its node. */
function numArray(v: unknown, what: string, file: string, tree: number, perNode = true): number[] {
  if (!Array.isArray(v)) throw new InputError(`tree ${tree}: "${what}" is missing or not a list`, { file });
  return v.map((x, i) => {
    const n = toNumber(x);
    if (n !== n && nonFiniteValue(x) === undefined) {
      throw new InputError(`tree ${tree}${perNode ? `, node ${i}: "${what}"` : `: "${what}" item ${i}`} is ${JSON.stringify(x)?.slice(0, 40)}, not a number`, { file });
    }
    return n;
  });
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

/** Tree t's nodes; categorical splits' categories from the four `categories*` lists. */
function readTree(tree: Json, t: number, weight: number, file: string): TreeNodes {
  const left = numArray(tree.left_children, 'left_children', file, t);
  const n = left.length;
  const lists = {
    right_children: numArray(tree.right_children, 'right_children', file, t),
    split_indices: numArray(tree.split_indices, 'split_indices', file, t),
    split_conditions: numArray(tree.split_conditions, 'split_conditions', file, t),
    default_left: numArray(tree.default_left, 'default_left', file, t),
    sum_hessian: numArray(tree.sum_hessian, 'sum_hessian', file, t),
    split_type: tree.split_type === undefined ? new Array<number>(n).fill(0) : numArray(tree.split_type, 'split_type', file, t),
  };
  for (const [name, list] of Object.entries(lists)) {
    if (list.length !== n) throw new InputError(`tree ${t}: "${name}" has ${list.length} entries for ${n} nodes (a damaged model?)`, { file });
  }
  const categories: (number[] | null)[] = new Array<number[] | null>(n).fill(null);
  const categorical = lists.split_type.some((s) => s === 1);
  if (categorical) {
    const codes = numArray(tree.categories, 'categories', file, t, false);
    const nodes = numArray(tree.categories_nodes, 'categories_nodes', file, t, false);
    const segments = numArray(tree.categories_segments, 'categories_segments', file, t, false);
    const sizes = numArray(tree.categories_sizes, 'categories_sizes', file, t, false);
    if (segments.length !== nodes.length || sizes.length !== nodes.length) throw new InputError(`tree ${t}: "categories_nodes", "categories_segments" and "categories_sizes" differ in length (a damaged model?)`, { file });
    nodes.forEach((node, k) => {
      const from = segments[k];
      const to = from + sizes[k];
      if (!(Number.isInteger(node) && node >= 0 && node < n) || !(from >= 0 && sizes[k] >= 0 && to <= codes.length)) {
        throw new InputError(`tree ${t}: categorical split ${k} ("categories_nodes" ${node}) points outside its lists (a damaged model?)`, { file });
      }
      categories[node] = codes.slice(from, to);
    });
  }
  const split = lists.split_type.map((s, i) => {
    if (!(lists.default_left[i] === 0 || lists.default_left[i] === 1)) throw new InputError(`tree ${t}, node ${i}: "default_left" is ${lists.default_left[i]}, not 0, 1, false or true`, { file });
    if (left[i] < 0) return SplitRule.XGBoostLess;
    if (s === 1) return SplitRule.XGBoostCategory;
    if (s !== 0) throw new InputError(`tree ${t}, node ${i}: "split_type" ${s} is neither numeric (0) nor categorical (1)`, { file });
    // XGBoost writes float32 thresholds: one beyond ±3.4e38 (or ±1e400 in the file) is no threshold it wrote.
    const c = lists.split_conditions[i];
    if (c === c && !Number.isFinite(Math.fround(c))) throw new InputError(`tree ${t}, node ${i}: "split_conditions" is ${c}, beyond the ±3.4e38 a float32 holds`, { file });
    return SplitRule.XGBoostLess;
  });
  return {
    left,
    right: lists.right_children,
    feature: lists.split_indices,
    split,
    // XGBoost compares and sums in float32: thresholds and leaf values are float32 numbers.
    threshold: lists.split_conditions.map((c, i) => (split[i] === SplitRule.XGBoostCategory ? 0 : Math.fround(c))),
    defaultLeft: lists.default_left,
    categories,
    value: lists.split_conditions.map((c, i) => (left[i] < 0 ? Math.fround(c) : 0)),
    cover: lists.sum_hessian,
    weight,
  };
}

/** Category names by feature from XGBoost 3.1's `cats` (empty where a feature has none). */
function categoryNames(cats: unknown, nFeatures: number, file: string): string[][] {
  const none = Array.from({ length: nFeatures }, () => [] as string[]);
  if (cats === undefined || cats === null) return none;
  const enc = obj(cats, 'cats', file).enc;
  if (!Array.isArray(enc) || enc.length === 0) return none;
  if (enc.length !== nFeatures) throw new InputError(`"cats.enc" lists ${enc.length} features, but the model has ${nFeatures}`, { file });
  const utf8 = new TextDecoder('utf-8', { fatal: false });
  return enc.map((column: unknown, j) => {
    const c = obj(column, `cats.enc[${j}]`, file);
    const values = Array.isArray(c.values) ? (c.values as unknown[]).map(toNumber) : [];
    if (Array.isArray(c.offsets)) {
      // Strings, as Arrow lays them out: UTF-8 bytes (written as signed 8-bit numbers) cut at the offsets.
      const offsets = (c.offsets as unknown[]).map(toNumber);
      const bytes = Uint8Array.from(values, (b) => b & 0xff);
      return offsets.slice(1).map((end, k) => utf8.decode(bytes.subarray(offsets[k], end)));
    }
    return values.map((v) => String(v));
  });
}

function objectiveOf(learner: Json, file: string): XGBoostModel['objective'] {
  const name = String(obj(learner.objective, 'learner.objective', file).name);
  if (!(SUPPORTED_OBJECTIVES as readonly string[]).includes(name)) {
    throw new InputError(`uses the objective "${name}"; Risk Review reads binary:logistic and reg:logistic models`, { file });
  }
  return name as XGBoostModel['objective'];
}

/** The trees and their weights: gbtree's trees weigh 1, dart's `weight_drop`. */
function boosterOf(learner: Json, file: string): { booster: XGBoostModel['booster']; model: Json; weights: number[] | null } {
  const booster = obj(learner.gradient_booster, 'learner.gradient_booster', file);
  if (booster.name === 'gbtree') return { booster: 'gbtree', model: obj(booster.model, 'gradient_booster.model', file), weights: null };
  if (booster.name === 'dart') {
    const gbtree = obj(booster.gbtree, 'gradient_booster.gbtree', file);
    if (!Array.isArray(booster.weight_drop)) throw new InputError('is a dart model without "weight_drop" (its trees\' weights)', { file });
    return { booster: 'dart', model: obj(gbtree.model, 'gradient_booster.gbtree.model', file), weights: (booster.weight_drop as unknown[]).map(toNumber) };
  }
  throw new InputError(`uses the "${String(booster.name)}" booster; Risk Review reads gbtree and dart models`, { file });
}

/** The parts of an XGBoost model that do not depend on its objective. */
export interface XGBoostTrees {
  readonly features: FeatureInfo[];
  readonly booster: XGBoostModel['booster'];
  readonly version: string;
  readonly forest: Forest;
}

/**
 * The trees of any single-output XGBoost model (whatever its objective), with `baseMargin` as the margin
 * they add to. @param names feature names to use when the model has none (from the project file).
 */
export function readXGBoostTrees(json: unknown, file: string, baseMargin: number, names?: readonly string[]): XGBoostTrees {
  const root = obj(json, 'learner', file);
  const learner = obj(root.learner, 'learner', file);
  const { booster, model, weights } = boosterOf(learner, file);
  const params = obj(learner.learner_model_param, 'learner.learner_model_param', file);
  const numClass = Number(params.num_class ?? 0);
  const numTarget = Number(params.num_target ?? 1);
  if (numClass > 1 || numTarget > 1) throw new InputError('has several outputs (classes or targets); Risk Review reads single-output models', { file });
  const numFeature = Number(params.num_feature);
  if (!(Number.isInteger(numFeature) && numFeature > 0)) throw new InputError(`has an unreadable num_feature ${JSON.stringify(params.num_feature)}`, { file });

  const trees = model.trees;
  if (!Array.isArray(trees)) throw new InputError('is not an XGBoost JSON model: it has no list of trees', { file });
  if (weights && weights.length !== trees.length) throw new InputError(`is a dart model with ${trees.length} trees but ${weights.length} weights ("weight_drop")`, { file });

  const modelNames = Array.isArray(learner.feature_names) ? (learner.feature_names as unknown[]).map(String) : [];
  let featureNames: string[];
  if (modelNames.length > 0) featureNames = modelNames;
  else if (names && names.length > 0) featureNames = [...names];
  else featureNames = Array.from({ length: numFeature }, (_, i) => `f${i}`);
  if (featureNames.length !== numFeature) {
    throw new InputError(`has ${numFeature} features but ${featureNames.length} feature names were given`, { file });
  }

  const nodes = trees.map((t, i) => {
    const tree = obj(t, `trees[${i}]`, file);
    const leafVector = Number(obj(tree.tree_param ?? {}, `trees[${i}].tree_param`, file).size_leaf_vector ?? 1);
    if (leafVector > 1) throw new InputError(`tree ${i} has vector leaves (${leafVector} values each); Risk Review reads single-output models`, { file });
    // XGBoost reads weight_drop as float32.
    return readTree(tree, i, weights ? Math.fround(weights[i]) : 1, file);
  });
  const forest = buildForest(nodes, baseMargin, numFeature, FIELDS, file);

  const types = Array.isArray(learner.feature_types) ? (learner.feature_types as unknown[]).map(String) : [];
  const counts = categoryCounts(forest, numFeature);
  const named = categoryNames(model.cats, numFeature, file);
  const features: FeatureInfo[] = featureNames.map((name, j) => {
    if (types[j] !== 'c' && counts[j] === 0) return { name, label: name };
    if (named[j].length === 0) return { name, label: name, categories: Array.from({ length: counts[j] }, (_, k) => String(k)), codedCategories: true };
    if (named[j].length < counts[j]) {
      throw new InputError(`feature "${name}" has ${named[j].length} named categories ("cats"), but a split uses category code ${counts[j] - 1}`, { file });
    }
    return { name, label: name, categories: named[j] };
  });
  const version = Array.isArray(root.version) ? (root.version as unknown[]).join('.') : 'unknown';
  return { features, booster, version, forest };
}

/**
 * @param names feature names to use when the model has none (from the project file), in model order.
 */
export function parseXGBoostModel(json: unknown, file: string, names?: readonly string[]): XGBoostModel {
  const learner = obj(obj(json, 'learner', file).learner, 'learner', file);
  const objective = objectiveOf(learner, file);
  const params = obj(learner.learner_model_param, 'learner.learner_model_param', file);
  const baseScore = parseBaseScore(params.base_score, file);
  if (!(baseScore > 0 && baseScore < 1)) throw new InputError(`has base_score ${baseScore}, which is not a probability strictly between 0 and 1`, { file });
  const { features, booster, version, forest } = readXGBoostTrees(json, file, logit(Math.fround(baseScore)), names);
  return {
    kind: 'xgboost',
    name: file.split(/[\\/]/).pop() ?? 'XGBoost model',
    features,
    objective,
    booster,
    xgboostVersion: version,
    forest,
  };
}
