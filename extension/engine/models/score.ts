/**
 * Scoring: the margin of one case, the probability people see, and the band it falls in.
 *
 * A case is a row of a row-major `Float64Array` (model feature order, `NaN` for missing, category
 * indices for categorical features), read at `offset` so that batch loops never copy rows.
 */
import { InputError } from '../errors';
import type { Band, Forest, LogisticModel, ProbabilityMap, RiskModel, ScorecardItem, ScorecardModel } from './types';

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/** The leaf a case reaches in tree `t`, following XGBoost's rule: left when `x < threshold`, default branch when missing. */
export function leafOf(forest: Forest, t: number, x: Float64Array, offset: number): number {
  const { left, right, feature, threshold, defaultLeft } = forest;
  let node = forest.treeStart[t];
  while (left[node] >= 0) {
    const v = x[offset + feature[node]];
    if (v !== v) node = defaultLeft[node] ? left[node] : right[node];
    else node = Math.fround(v) < threshold[node] ? left[node] : right[node];
  }
  return node;
}

export function forestMargin(forest: Forest, x: Float64Array, offset: number): number {
  let sum = forest.baseMargin;
  for (let t = 0; t < forest.nTrees; t++) sum += forest.value[leafOf(forest, t, x, offset)];
  return sum;
}

function logisticMargin(model: LogisticModel, x: Float64Array, offset: number, caseId?: string): number {
  let sum = model.intercept;
  const w = model.weights;
  for (let j = 0; j < w.length; j++) {
    const v = x[offset + j];
    if (v !== v) {
      throw new InputError(`missing value for "${model.features[j].name}"; a logistic model cannot score it`, { caseId, column: model.features[j].name });
    }
    sum += w[j] * v;
  }
  return sum;
}

/** Points one item gives a value (`NaN` = missing). */
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
export function marginOf(model: RiskModel, x: Float64Array, offset = 0, caseId?: string): number {
  switch (model.kind) {
    case 'xgboost':
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

/** The probability for a margin, or null for an instrument without a probability mapping. */
export function probabilityOf(model: RiskModel, margin: number): number | null {
  if (model.kind !== 'scorecard') return sigmoid(margin);
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
