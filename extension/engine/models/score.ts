/**
 * Scoring: the margin of one case, the probability people see, and the band it falls in.
 *
 * A case is a row of a row-major `Float64Array` (model feature order, `NaN` for missing, category
 * codes for categorical features), read at `offset` so that batch loops never copy rows.
 */
import { InputError } from '../errors';
import { channelsOf, fillChannels, type Channels } from './channels';
import type { Band, ComputedModel, Forest, LogisticModel, ProbabilityMap, RiskModel, ScorecardItem, ScorecardModel } from './types';

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/**
 * The forest laid out for scoring many cases fast. Walking a tree is a chain of dependent loads, and a
 * branch on each split is a coin the CPU cannot guess; so here
 *   - every split is one comparison, "goes right ⇔ channel ≥ cut" (channels.ts), on a row of channel
 *     values read once per case: XGBoost's and LightGBM's rules, numeric and categorical, all look alike;
 *   - `children[2k]`, `children[2k + 1]` are node k's left and right children, and a leaf is its own
 *     two children: a split test picks its child by arithmetic, not by a branch;
 *   - every walk of tree t takes `depth[t]` steps (a case that reaches a leaf early stays there), so the
 *     loops have fixed lengths and the walks of a block of cases through one tree are independent
 *     chains the CPU overlaps.
 * Built once per forest.
 */
interface Descent {
  readonly channels: Channels;
  readonly children: Int32Array;
  readonly depth: Int32Array;
  /** Channel values per case row. */
  readonly width: number;
}

/** Cases walked together through each tree. */
const BLOCK = 64;

const descents = new WeakMap<Forest, Descent>();

function descentOf(forest: Forest): Descent {
  let d = descents.get(forest);
  if (d) return d;
  const { nTrees, treeStart, left, right } = forest;
  const nodes = left.length;
  const children = new Int32Array(2 * nodes);
  const depth = new Int32Array(nTrees);
  for (let k = 0; k < nodes; k++) {
    const inner = left[k] >= 0;
    children[2 * k] = inner ? left[k] : k;
    children[2 * k + 1] = inner ? right[k] : k;
  }
  const nodeDepth = new Int32Array(nodes);
  for (let t = 0; t < nTrees; t++) {
    // Depth-first from the root, with a stack: the loader checked that the nodes form a tree (forest.ts).
    const stack = [treeStart[t]];
    nodeDepth[treeStart[t]] = 0;
    while (stack.length > 0) {
      const k = stack.pop()!;
      if (left[k] < 0) depth[t] = Math.max(depth[t], nodeDepth[k]);
      else for (const c of [left[k], right[k]]) {
        nodeDepth[c] = nodeDepth[k] + 1;
        stack.push(c);
      }
    }
  }
  const channels = channelsOf(forest);
  d = { channels, children, depth, width: Math.max(1, channels.count) };
  descents.set(forest, d);
  return d;
}

/** Reads rows `first … first + count − 1` of `x` (m values each) into `rows` as channel values, `width` per case. */
function loadRows(d: Descent, rows: Float64Array, x: Float64Array, m: number, first: number, count: number): void {
  for (let i = 0; i < count; i++) fillChannels(d.channels, x, (first + i) * m, rows, i * d.width);
}

/** Walks `count` loaded rows through tree t, `nodes[i]` from the root to row i's leaf. */
function walkTree(forest: Forest, d: Descent, t: number, rows: Float64Array, count: number, nodes: Int32Array): void {
  const { children, width } = d;
  const { input, cut } = d.channels;
  nodes.fill(forest.treeStart[t], 0, count);
  for (let step = d.depth[t]; step > 0; step--) {
    for (let i = 0; i < count; i++) {
      const node = nodes[i];
      nodes[i] = children[2 * node + +(rows[i * width + input[node]] >= cut[node])];
    }
  }
}

/** The leaf a case reaches in tree `t`, by the rules of the library that wrote the model. */
export function leafOf(forest: Forest, t: number, x: Float64Array, offset: number): number {
  const d = descentOf(forest);
  const row = new Float64Array(d.width);
  const node = new Int32Array(1);
  fillChannels(d.channels, x, offset, row, 0);
  walkTree(forest, d, t, row, 1, node);
  return node[0];
}

/**
 * `out[i]` = the margin of row i of `x` (n rows of m values): the base margin plus each tree's leaf value,
 * added in tree order. Blocks of cases go through one tree at a time.
 */
export function forestMargins(forest: Forest, x: Float64Array, n: number, m: number, out: Float64Array): void {
  const d = descentOf(forest);
  const block = Math.min(BLOCK, n);
  const rows = new Float64Array(block * d.width);
  const nodes = new Int32Array(block);
  const value = forest.value;
  for (let first = 0; first < n; first += block) {
    const count = Math.min(block, n - first);
    loadRows(d, rows, x, m, first, count);
    out.fill(forest.baseMargin, first, first + count);
    for (let t = 0; t < forest.nTrees; t++) {
      walkTree(forest, d, t, rows, count, nodes);
      for (let i = 0; i < count; i++) out[first + i] += value[nodes[i]];
    }
  }
}

/** The margin of the one case at `x[offset …]`. */
export function forestMargin(forest: Forest, x: Float64Array, offset: number): number {
  const d = descentOf(forest);
  const row = new Float64Array(d.width);
  const node = new Int32Array(1);
  fillChannels(d.channels, x, offset, row, 0);
  let margin = forest.baseMargin;
  for (let t = 0; t < forest.nTrees; t++) {
    walkTree(forest, d, t, row, 1, node);
    margin += forest.value[node[0]];
  }
  return margin;
}

/**
 * The value a logistic model multiplies: g_j(v) = v when present, else the model's impute value for
 * feature j (NaN when it has none: the model cannot score a missing value there).
 */
export function logisticInput(model: LogisticModel, j: number, v: number): number {
  return v === v ? v : model.impute[j];
}

/** log-odds = b + Σ_j w_j · g_j(x_j), g_j as in `logisticInput`. */
function logisticMargin(model: LogisticModel, x: Float64Array, offset: number, caseId?: string): number {
  let sum = model.intercept;
  const w = model.weights;
  for (let j = 0; j < w.length; j++) {
    const v = logisticInput(model, j, x[offset + j]);
    if (v !== v) {
      throw new InputError(`missing value for "${model.features[j].name}"; a logistic model cannot score it`, { caseId, column: model.features[j].name });
    }
    sum += w[j] * v;
  }
  return sum;
}

/** Points one item gives a value (`NaN` = missing). */
/** The value a model takes for a missing value of feature j (a logistic model's `impute`), or NaN where it takes none. */
export function imputedValue(model: RiskModel, j: number): number {
  return model.kind === 'logistic' ? model.impute[j] : NaN;
}

export function itemPoints(item: ScorecardItem, v: number): number | null {
  if (v !== v) return item.missingPoints;
  if (item.type === 'categories') return item.points[v];
  const edges = item.edges;
  let k = 0;
  while (k < edges.length && v >= edges[k]) k++;
  return item.points[k];
}

export function scorecardItemPoints(model: ScorecardModel, j: number, v: number, caseId?: string): number {
  const p = itemPoints(model.items[j], v);
  if (p === null) {
    const name = model.features[j].name;
    throw new InputError(`missing value for item "${name}", and the instrument gives no points for a missing value`, { caseId, column: name });
  }
  return p;
}

function scorecardTotal(model: ScorecardModel, x: Float64Array, offset: number, caseId?: string): number {
  let total = 0;
  for (let j = 0; j < model.items.length; j++) total += scorecardItemPoints(model, j, x[offset + j], caseId);
  return total;
}

/** The model's margin for the case at `offset`: log-odds, or the instrument's total. */
export function marginOf(model: ComputedModel, x: Float64Array, offset = 0, caseId?: string): number {
  switch (model.kind) {
    case 'xgboost':
    case 'lightgbm':
      return forestMargin(model.forest, x, offset);
    case 'logistic':
      return logisticMargin(model, x, offset, caseId);
    case 'scorecard':
      return scorecardTotal(model, x, offset, caseId);
  }
}

function mapProbability(map: ProbabilityMap, total: number): number {
  if (map.method === 'logistic') return sigmoid(map.intercept + map.slope * total);
  // Piecewise-linear through the table, flat beyond its ends.
  const { totals, probabilities } = map;
  if (total <= totals[0]) return probabilities[0];
  const last = totals.length - 1;
  if (total >= totals[last]) return probabilities[last];
  let k = 1;
  while (totals[k] < total) k++;
  const f = (total - totals[k - 1]) / (totals[k] - totals[k - 1]);
  return probabilities[k - 1] + f * (probabilities[k] - probabilities[k - 1]);
}

/** The probability for a margin, or null for an instrument or a score column without a probability mapping. */
export function probabilityOf(model: RiskModel, margin: number): number | null {
  if (model.kind !== 'scorecard' && model.kind !== 'score-column') return sigmoid(margin);
  return model.probability ? mapProbability(model.probability, margin) : null;
}

/** The score people see: the probability, or the total where the instrument maps none. */
export function scoreOf(model: RiskModel, margin: number): number {
  return probabilityOf(model, margin) ?? margin;
}

export function bandOf(bands: readonly Band[], score: number): string {
  for (const b of bands) if (b.below === undefined || score < b.below) return b.label;
  return bands[bands.length - 1].label;
}
