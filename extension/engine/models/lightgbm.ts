/**
 * Reads a LightGBM model — the text of `Booster.save_model` / `model_to_string`, or the JSON of
 * `dump_model` — into the flat `Forest` the scorer and TreeSHAP share (checked in forest.ts).
 *
 * The format (LightGBM 3 and 4, "version=v3"/"v4"): a header of `key=value` lines, then per tree
 * `num_leaves`, `split_feature`, `threshold`, `decision_type`, `left_child`/`right_child` (a negative
 * child c is leaf ~c), `leaf_value`, `leaf_count`, `internal_count`, and for categorical splits
 * `cat_boundaries`/`cat_threshold` (the categories as 32-bit bitsets; the node's threshold is the
 * bitset's index). `decision_type` bit 0 marks a categorical split, bit 1 the default branch left, bits
 * 2–3 the missing type (0 None, 1 Zero, 2 NaN); types.ts `SplitRule` says what each means. Leaf values
 * already hold the learning rate and, in the first tree, the average the boosting started from, so the
 * base margin is 0. Covers are the training rows' counts, as LightGBM's own TreeSHAP weighs by.
 *
 * Objectives: `binary` (probability = sigmoid(σ·raw), σ the objective's `sigmoid:` parameter, so the
 * log-odds are σ·raw: leaf values are multiplied by σ) and `cross_entropy` (probability = sigmoid(raw)).
 * Categories: LightGBM's codes; the names where the model holds them (`pandas_categorical`, written
 * for a model trained on a pandas DataFrame with categorical columns, in the order of those columns).
 */
import { InputError } from '../errors';
import { buildForest, categoryCounts, type FieldNames, type TreeNodes } from './forest';
import { SplitRule, type FeatureInfo, type LightGBMModel } from './types';

type Json = Record<string, unknown>;

const FIELDS: FieldNames = {
  left: 'left_child',
  right: 'right_child',
  feature: 'split_feature',
  threshold: 'threshold',
  value: 'leaf_value',
  cover: 'internal_count / leaf_count',
  categories: 'cat_threshold',
  weight: 'sigmoid',
};

/** What the header of either format says. */
interface Header {
  readonly version: string;
  readonly objective: string;
  readonly numClass: number;
  readonly treesPerIteration: number;
  readonly averageOutput: boolean;
  readonly featureNames: readonly string[];
  /** Features LightGBM treats as categorical (by index). */
  readonly categorical: ReadonlySet<number>;
  /** `pandas_categorical`: the categories of each categorical column, in column order, or null. */
  readonly pandasCategorical: readonly (readonly unknown[])[] | null;
}

/** One tree as both formats describe it, before it becomes `TreeNodes`. */
interface LightGBMTree {
  readonly leaves: number;
  readonly splitFeature: readonly number[];
  readonly threshold: readonly number[];
  readonly decisionType: readonly number[];
  readonly leftChild: readonly number[];
  readonly rightChild: readonly number[];
  readonly leafValue: readonly number[];
  readonly leafCount: readonly number[];
  readonly internalCount: readonly number[];
  /** Per categorical split (decision type bit 0): its categories; undefined for numeric splits. */
  readonly categories: readonly (readonly number[] | undefined)[];
}

const RULE_BY_MISSING_TYPE = [SplitRule.LightGBMLessNone, SplitRule.LightGBMLessZero, SplitRule.LightGBMLessNaN];

function toNodes(tree: LightGBMTree, weight: number, t: number, file: string): TreeNodes {
  const inner = tree.leaves - 1;
  const n = inner + tree.leaves;
  const node = (child: number) => (child >= 0 ? child : inner + ~child);
  const nodes = {
    left: new Array<number>(n).fill(-1),
    right: new Array<number>(n).fill(-1),
    feature: new Array<number>(n).fill(0),
    split: new Array<SplitRule>(n).fill(SplitRule.LightGBMLessNaN),
    threshold: new Array<number>(n).fill(0),
    defaultLeft: new Array<number>(n).fill(0),
    categories: new Array<readonly number[] | null>(n).fill(null),
    value: new Array<number>(n).fill(0),
    cover: new Array<number>(n).fill(0),
    weight,
  };
  for (let i = 0; i < inner; i++) {
    const type = tree.decisionType[i];
    const missing = (type >> 2) & 3;
    if (type & 1) {
      nodes.split[i] = SplitRule.LightGBMCategory;
      nodes.categories[i] = tree.categories[i] ?? null;
    } else if (missing < 3) nodes.split[i] = RULE_BY_MISSING_TYPE[missing];
    else throw new InputError(`tree ${t}, node ${i}: "decision_type" ${type} has missing type 3, which LightGBM does not define`, { file });
    nodes.left[i] = node(tree.leftChild[i]);
    nodes.right[i] = node(tree.rightChild[i]);
    nodes.feature[i] = tree.splitFeature[i];
    nodes.threshold[i] = tree.threshold[i];
    nodes.defaultLeft[i] = (type >> 1) & 1;
    nodes.cover[i] = tree.internalCount[i];
  }
  for (let l = 0; l < tree.leaves; l++) {
    nodes.value[inner + l] = tree.leafValue[l];
    nodes.cover[inner + l] = tree.leafCount[l];
  }
  return nodes;
}

/** "binary sigmoid:1" → the log-odds per raw unit (σ); "cross_entropy" → 1; anything else is refused by name. */
function logOddsPerRaw(objective: string, file: string): { name: LightGBMModel['objective']; sigma: number } {
  const [name, ...params] = objective.trim().split(/\s+/);
  if (name === 'binary') {
    const sigmoid = params.find((p) => p.startsWith('sigmoid:'));
    const sigma = sigmoid === undefined ? 1 : Number(sigmoid.slice('sigmoid:'.length));
    if (!(sigma > 0 && sigma < Infinity)) throw new InputError(`has the objective "${objective}", whose sigmoid parameter is not a positive number`, { file });
    return { name, sigma };
  }
  if (name === 'cross_entropy' || name === 'xentropy') return { name: 'cross_entropy', sigma: 1 };
  throw new InputError(`uses the objective "${name || '(none)'}"; Risk Review reads LightGBM models with the objectives binary and cross_entropy`, { file });
}

/** Category names of each feature from `pandas_categorical` (empty where there are none). */
function pandasNames(header: Header, nFeatures: number): string[][] {
  const names = Array.from({ length: nFeatures }, () => [] as string[]);
  const columns = [...header.categorical].sort((a, b) => a - b);
  // pandas_categorical lists the DataFrame's categorical columns in order; when LightGBM was told of other
  // categorical features too, which list belongs to which feature is unknown, and none is used.
  if (!header.pandasCategorical || header.pandasCategorical.length !== columns.length) return names;
  columns.forEach((j, k) => (names[j] = header.pandasCategorical![k].map((c) => String(c))));
  return names;
}

function lightgbmModel(header: Header, trees: readonly LightGBMTree[], file: string, names?: readonly string[]): LightGBMModel {
  const { name: objective, sigma } = logOddsPerRaw(header.objective, file);
  if (header.numClass > 1 || header.treesPerIteration > 1) throw new InputError(`has ${Math.max(header.numClass, header.treesPerIteration)} classes; Risk Review reads single-output models`, { file });
  if (header.averageOutput) throw new InputError('averages its trees (boosting "rf", a random forest); Risk Review reads boosted LightGBM models', { file });
  const nFeatures = header.featureNames.length;
  if (nFeatures === 0) throw new InputError('is not a LightGBM model: it names no features ("feature_names")', { file });
  const automatic = header.featureNames.every((f, j) => f === `Column_${j}`);
  let featureNames = header.featureNames;
  if (automatic && names && names.length > 0) {
    if (names.length !== nFeatures) throw new InputError(`has ${nFeatures} features but ${names.length} feature names were given`, { file });
    featureNames = names;
  }
  const forest = buildForest(
    trees.map((tree, t) => toNodes(tree, sigma, t, file)),
    0,
    nFeatures,
    FIELDS,
    file,
  );
  const counts = categoryCounts(forest, nFeatures);
  const named = pandasNames(header, nFeatures);
  const features: FeatureInfo[] = featureNames.map((name, j) => {
    if (!header.categorical.has(j) && counts[j] === 0) return { name, label: name };
    if (named[j].length === 0) return { name, label: name, categories: Array.from({ length: counts[j] }, (_, k) => String(k)), codedCategories: true };
    if (named[j].length < counts[j]) {
      throw new InputError(`feature "${name}" has ${named[j].length} named categories ("pandas_categorical"), but a split uses category code ${counts[j] - 1}`, { file });
    }
    return { name, label: name, categories: named[j] };
  });
  return {
    kind: 'lightgbm',
    name: file.split(/[\\/]/).pop() ?? 'LightGBM model',
    features,
    objective,
    lightgbmVersion: header.version,
    forest,
  };
}

/** The codes whose bits are set in `words` (32-bit bitset words). */
function bitsetCodes(words: readonly number[]): number[] {
  const codes: number[] = [];
  words.forEach((w, k) => {
    for (let b = 0; b < 32; b++) if ((w >>> b) & 1) codes.push(32 * k + b);
  });
  return codes;
}

// ---------------------------------------------------------------------------------------------- text

/** The text `Booster.save_model` writes starts with the line "tree" and holds "version=". */
export function isLightGBMText(text: string): boolean {
  return /^tree\r?\n/.test(text) && /\nversion=/.test(text.slice(0, 4096));
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** LightGBM writes an infinite threshold as "inf" (a split that sends every value one way but missing ones). */
const INFINITY = /^([+-]?)inf(inity)?$/i;

/** A number as LightGBM's text holds it, ±inf included; NaN for anything else. */
function textNumber(c: string): number {
  if (NUMBER.test(c)) return Number(c);
  const inf = INFINITY.exec(c);
  return inf ? (inf[1] === '-' ? -Infinity : Infinity) : NaN;
}

/** The lines of a LightGBM text model, read with their line numbers for messages. */
class TextLines {
  private readonly lines: string[];
  index = 0;
  constructor(
    text: string,
    readonly file: string,
  ) {
    this.lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }
  get done(): boolean {
    return this.index >= this.lines.length;
  }
  get line(): string {
    return this.lines[this.index];
  }
  error(problem: string, line = this.index): InputError {
    return new InputError(problem, { file: this.file, line: line + 1 });
  }
  /** `key=value` lines up to a blank line (or the end), with the line each came from. */
  block(): Block {
    const entries = new Map<string, { value: string; line: number }>();
    const start = this.index;
    for (; !this.done && this.line !== ''; this.index++) {
      const eq = this.line.indexOf('=');
      if (eq < 0) entries.set(this.line, { value: '', line: this.index });
      else entries.set(this.line.slice(0, eq), { value: this.line.slice(eq + 1), line: this.index });
    }
    return { entries, start };
  }
  skipBlank(): void {
    while (!this.done && this.line === '') this.index++;
  }
  /** The lines from here up to (not including) the line `end`; moves past it. */
  until(end: string): string[] {
    const from = this.index;
    while (!this.done && this.line !== end) this.index++;
    const out = this.lines.slice(from, this.index);
    this.index++;
    return out;
  }
}

/** A block of `key=value` lines and the line it starts at (0-based). */
interface Block {
  readonly entries: ReadonlyMap<string, { value: string; line: number }>;
  readonly start: number;
}

function field(lines: TextLines, block: Block, key: string, where: string): { value: string; line: number } {
  const f = block.entries.get(key);
  if (!f) throw lines.error(`${where} has no "${key}=" line (is this a LightGBM model?)`, block.start);
  return f;
}

function numbers(lines: TextLines, block: Block, key: string, count: number, where: string, integers = false): number[] {
  const { value, line } = field(lines, block, key, where);
  const cells = value === '' ? [] : value.trim().split(/\s+/);
  if (cells.length !== count) throw lines.error(`${where}: "${key}" has ${cells.length} values, ${count} were expected (a damaged model?)`, line);
  return cells.map((c, k) => {
    const v = textNumber(c);
    if (v !== v || (integers && !Number.isInteger(v))) throw lines.error(`${where}: "${key}" value ${k + 1} is "${c.slice(0, 30)}", not ${integers ? 'a whole number' : 'a number'}`, line);
    return v;
  });
}

function textTree(lines: TextLines, block: Block, where: string): LightGBMTree {
  const leaves = numbers(lines, block, 'num_leaves', 1, where, true)[0];
  if (!(leaves >= 1)) throw lines.error(`${where}: "num_leaves" must be at least 1`, field(lines, block, 'num_leaves', where).line);
  if (block.entries.get('is_linear')?.value.trim() === '1') throw lines.error(`${where} is a linear tree (linear_tree=true); Risk Review reads LightGBM models with constant leaves`, field(lines, block, 'is_linear', where).line);
  const inner = leaves - 1;
  const list = (key: string, count: number, integers = false) => (count === 0 ? [] : numbers(lines, block, key, count, where, integers));
  const decisionType = list('decision_type', inner, true);
  const threshold = list('threshold', inner);
  const numCat = block.entries.has('num_cat') ? numbers(lines, block, 'num_cat', 1, where, true)[0] : 0;
  const boundaries = numCat > 0 ? numbers(lines, block, 'cat_boundaries', numCat + 1, where, true) : [];
  const words = numCat > 0 ? numbers(lines, block, 'cat_threshold', boundaries[numCat], where, true) : [];
  const categories = decisionType.map((type, i) => {
    if (!(type & 1)) return undefined;
    const k = threshold[i];
    if (!(Number.isInteger(k) && k >= 0 && k < numCat)) throw lines.error(`${where}, node ${i}: categorical split ${k} is not one of the tree's ${numCat} ("num_cat")`, field(lines, block, 'threshold', where).line);
    return bitsetCodes(words.slice(boundaries[k], boundaries[k + 1]));
  });
  return {
    leaves,
    splitFeature: list('split_feature', inner, true),
    threshold,
    decisionType,
    leftChild: list('left_child', inner, true),
    rightChild: list('right_child', inner, true),
    leafValue: list('leaf_value', leaves),
    leafCount: list('leaf_count', leaves),
    internalCount: list('internal_count', inner),
    categories,
  };
}

/** `[categorical_feature: 1,5]` in the parameters block → {1, 5}. */
function categoricalParameter(parameters: readonly string[]): number[] {
  const line = parameters.find((p) => p.startsWith('[categorical_feature:'));
  if (!line) return [];
  const list = line.slice('[categorical_feature:'.length, -1).trim();
  return list === '' ? [] : list.split(',').map((s) => Number(s.trim())).filter((v) => Number.isInteger(v) && v >= 0);
}

export function parseLightGBMText(text: string, file: string, names?: readonly string[]): LightGBMModel {
  const lines = new TextLines(text, file);
  lines.index = 1; // past "tree"
  const head = lines.block();
  const featureNames = field(lines, head, 'feature_names', 'the header').value.split(' ').filter((s) => s !== '');
  const infos = (head.entries.get('feature_infos')?.value ?? '').split(' ');
  const categorical = new Set<number>();
  // feature_infos: "[min:max]" for a numeric feature, "none" when unused, the categories ("-1:0:2") otherwise.
  infos.forEach((info, j) => info !== '' && info !== 'none' && !info.startsWith('[') && categorical.add(j));

  const trees: LightGBMTree[] = [];
  let parameters: string[] = [];
  let pandasCategorical: unknown[][] | null = null;
  for (lines.skipBlank(); !lines.done; lines.skipBlank()) {
    const line = lines.line;
    if (line.startsWith('Tree=')) {
      const start = lines.index++;
      trees.push(textTree(lines, { ...lines.block(), start }, `tree ${trees.length}`));
    } else if (line === 'parameters:') {
      lines.index++;
      parameters = lines.until('end of parameters');
    } else if (line.startsWith('pandas_categorical:')) {
      const json = line.slice('pandas_categorical:'.length);
      try {
        const parsed: unknown = JSON.parse(json);
        if (parsed !== null && !(Array.isArray(parsed) && parsed.every(Array.isArray))) throw new Error('not a list of lists');
        pandasCategorical = parsed as unknown[][] | null;
      } catch {
        throw lines.error('"pandas_categorical" is not a JSON list of category lists');
      }
      lines.index++;
    } else lines.block(); // "end of trees", feature importances: nothing Risk Review needs
  }
  for (const j of categoricalParameter(parameters)) if (j < featureNames.length) categorical.add(j);
  const header: Header = {
    version: head.entries.get('version')?.value ?? 'unknown',
    objective: field(lines, head, 'objective', 'the header').value,
    numClass: Number(head.entries.get('num_class')?.value ?? 1),
    treesPerIteration: Number(head.entries.get('num_tree_per_iteration')?.value ?? 1),
    averageOutput: head.entries.has('average_output'),
    featureNames,
    categorical,
    pandasCategorical,
  };
  if (trees.length === 0) throw new InputError('is a LightGBM model without trees ("Tree=" blocks)', { file });
  return lightgbmModel(header, trees, file, names);
}

// ---------------------------------------------------------------------------------------------- JSON

/** The JSON `Booster.dump_model()` returns: {"name": "tree", "tree_info": [...], ...}. */
export function isLightGBMJson(json: unknown): boolean {
  return json !== null && typeof json === 'object' && !Array.isArray(json) && (json as Json).name === 'tree' && 'tree_info' in (json as Json);
}

function jsonNumber(v: unknown, what: string, file: string): number {
  if (typeof v !== 'number') throw new InputError(`${what} is ${JSON.stringify(v)?.slice(0, 40)}, not a number`, { file });
  return v;
}

/** Flattens a dumped `tree_structure` (nested objects) into LightGBM's arrays, without recursion. */
function jsonTree(info: Json, t: number, file: string): LightGBMTree {
  const where = `tree ${t}`;
  const root = info.tree_structure;
  if (root === null || typeof root !== 'object') throw new InputError(`${where} has no "tree_structure"`, { file });
  const inner: Json[] = [];
  const leaves: Json[] = [];
  const numberOf = new Map<Json, number>();
  // Number the nodes as LightGBM does (split_index, leaf_index), checking each is an object.
  const pending: Json[] = [root as Json];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if ('leaf_const' in node || 'leaf_coeff' in node) throw new InputError(`${where} is a linear tree (linear_tree=true); Risk Review reads LightGBM models with constant leaves`, { file });
    if ('split_index' in node) {
      const k = jsonNumber(node.split_index, `${where}: "split_index"`, file);
      numberOf.set(node, k);
      inner[k] = node;
      for (const side of ['left_child', 'right_child'] as const) {
        const child = node[side];
        // Parsed JSON is a tree of distinct objects: no node can be reached twice.
        if (child === null || typeof child !== 'object' || Array.isArray(child)) throw new InputError(`${where}, node ${k}: "${side}" is not a node`, { file });
        pending.push(child as Json);
      }
    } else {
      const k = 'leaf_index' in node ? jsonNumber(node.leaf_index, `${where}: "leaf_index"`, file) : 0;
      numberOf.set(node, ~k);
      leaves[k] = node;
    }
  }
  const count = leaves.length;
  if (inner.length !== count - 1 || [...inner, ...leaves].some((n) => n === undefined)) {
    throw new InputError(`${where}: its split_index and leaf_index numbers do not run 0, 1, … (a damaged model?)`, { file });
  }
  const child = (node: Json, side: 'left_child' | 'right_child') => numberOf.get(node[side] as Json)!;
  const categories = inner.map((node) => (node.decision_type === '==' ? String(node.threshold).split('||').map(Number) : undefined));
  return {
    leaves: count,
    splitFeature: inner.map((n, i) => jsonNumber(n.split_feature, `${where}, node ${i}: "split_feature"`, file)),
    threshold: inner.map((n, i) => (categories[i] ? 0 : jsonNumber(n.threshold, `${where}, node ${i}: "threshold"`, file))),
    decisionType: inner.map((n, i) => {
      if (n.decision_type !== '<=' && n.decision_type !== '==') throw new InputError(`${where}, node ${i}: "decision_type" ${JSON.stringify(n.decision_type)} is neither "<=" nor "=="`, { file });
      const missing = ['None', 'Zero', 'NaN'].indexOf(String(n.missing_type));
      if (missing < 0) throw new InputError(`${where}, node ${i}: "missing_type" ${JSON.stringify(n.missing_type)} is not None, Zero or NaN`, { file });
      return (categories[i] ? 1 : 0) | (n.default_left === true ? 2 : 0) | (missing << 2);
    }),
    leftChild: inner.map((n) => child(n, 'left_child')),
    rightChild: inner.map((n) => child(n, 'right_child')),
    leafValue: leaves.map((n, l) => jsonNumber(n.leaf_value, `${where}, leaf ${l}: "leaf_value"`, file)),
    leafCount: leaves.map((n, l) => jsonNumber(n.leaf_count ?? 0, `${where}, leaf ${l}: "leaf_count"`, file)),
    internalCount: inner.map((n, i) => jsonNumber(n.internal_count, `${where}, node ${i}: "internal_count"`, file)),
    categories,
  };
}

export function parseLightGBMJson(json: unknown, file: string, names?: readonly string[]): LightGBMModel {
  const root = json as Json;
  if (!Array.isArray(root.feature_names)) throw new InputError('is not a LightGBM model dump: it has no "feature_names"', { file });
  if (!Array.isArray(root.tree_info) || root.tree_info.length === 0) throw new InputError('is a LightGBM model dump without trees ("tree_info")', { file });
  const featureNames = (root.feature_names as unknown[]).map(String);
  const infos = root.feature_infos !== null && typeof root.feature_infos === 'object' ? (root.feature_infos as Json) : {};
  const categorical = new Set<number>();
  featureNames.forEach((name, j) => {
    const info = infos[name] as Json | undefined;
    if (info && Array.isArray(info.values) && info.values.length > 0) categorical.add(j);
  });
  const trees = (root.tree_info as unknown[]).map((info, t) => {
    if (info === null || typeof info !== 'object') throw new InputError(`tree ${t} ("tree_info") is not an object`, { file });
    return jsonTree(info as Json, t, file);
  });
  const pandas = root.pandas_categorical;
  const header: Header = {
    version: String(root.version ?? 'unknown'),
    objective: String(root.objective ?? ''),
    numClass: Number(root.num_class ?? 1),
    treesPerIteration: Number(root.num_tree_per_iteration ?? 1),
    averageOutput: root.average_output === true,
    featureNames,
    categorical,
    pandasCategorical: Array.isArray(pandas) && pandas.every(Array.isArray) ? (pandas as unknown[][]) : null,
  };
  return lightgbmModel(header, trees, file, names);
}
