/**
 * Shared by the explain tests: the XGBoost oracle fixtures (test/oracles/xgb_fixtures.py) and a
 * brute-force Shapley calculator that enumerates every coalition — deliberately the slow, obvious
 * definition, written independently of the engine's product-game algebra.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv } from '../../extension/engine/data/csv';
import { bindCases, type CaseSet } from '../../extension/engine/data/cases';
import { loadModel } from '../../extension/engine/models/load';
import type { Forest, RiskModel, XGBoostModel } from '../../extension/engine/models/types';

export const XGB_DIR = join(__dirname, '..', 'fixtures', 'xgb');
export const XGB_MODELS = ['binary_d3_named', 'binary_d4_named', 'binary_d5_unnamed', 'reglogistic_d6_unnamed'] as const;
/** Models the oracle also wrote as XGBoost 2.x and 3.x save them. */
export const XGB_VARIANTS = ['binary_d3_named', 'reglogistic_d6_unnamed'] as const;

export interface Expected {
  readonly xgboostVersion: string;
  readonly objective: string;
  readonly probability: number[];
  readonly contribs: number[][];
  readonly interactions: number[][][];
}

export interface XgbFixture {
  readonly model: XGBoostModel;
  readonly cases: CaseSet;
  readonly expected: Expected;
}

export function xgbFixture(name: string, variant: '' | '.v2' | '.v3' = ''): XgbFixture {
  const { model } = loadModel(join(XGB_DIR, `${name}${variant}.json`));
  if (model.kind !== 'xgboost') throw new Error(`${name} is not an XGBoost model`);
  const cases = bindCases(readCsv(join(XGB_DIR, `${name}.csv`), ['case_id']), model.features, { idColumn: 'case_id' });
  const expected = JSON.parse(readFileSync(join(XGB_DIR, `${name}.expected.json`), 'utf8')) as Expected;
  return { model, cases, expected };
}

/** A coalition game over M players, as a function of the coalition's bit mask. */
export type Game = (coalition: number) => number;

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

function popcount(x: number): number {
  let c = 0;
  for (; x; x &= x - 1) c++;
  return c;
}

/** All 2^M values of the game, evaluated once. */
function tabulate(m: number, v: Game): Float64Array {
  const values = new Float64Array(1 << m);
  for (let s = 0; s < 1 << m; s++) values[s] = v(s);
  return values;
}

/** φ_i = Σ_{S ⊆ N\{i}} |S|!(M−|S|−1)!/M! · (v(S∪{i}) − v(S)) */
export function bruteShapley(m: number, v: Game): Float64Array {
  const values = tabulate(m, v);
  const phi = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let s = 0; s < 1 << m; s++) {
      if ((s >> i) & 1) continue;
      const k = popcount(s);
      phi[i] += ((factorial(k) * factorial(m - k - 1)) / factorial(m)) * (values[s | (1 << i)] - values[s]);
    }
  }
  return phi;
}

/**
 * The Shapley interaction index (Lundberg et al. 2020, eq. 10), halves in Φ_ij and Φ_ji, and the main
 * effects Φ_ii = φ_i − Σ_{j≠i} Φ_ij; row-major M×M.
 *   Φ_ij = Σ_{S ⊆ N\{i,j}} |S|!(M−|S|−2)! / (2(M−1)!) · (v(S∪{i,j}) − v(S∪{i}) − v(S∪{j}) + v(S))
 */
export function bruteInteractions(m: number, v: Game): Float64Array {
  const values = tabulate(m, v);
  const phi = bruteShapley(m, v);
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    out[i * m + i] = phi[i];
    for (let j = 0; j < m; j++) {
      if (j === i) continue;
      let sum = 0;
      for (let s = 0; s < 1 << m; s++) {
        if ((s >> i) & 1 || (s >> j) & 1) continue;
        const k = popcount(s);
        const w = (factorial(k) * factorial(m - k - 2)) / (2 * factorial(m - 1));
        sum += w * (values[s | (1 << i) | (1 << j)] - values[s | (1 << i)] - values[s | (1 << j)] + values[s]);
      }
      out[i * m + j] = sum;
      out[i * m + i] -= sum;
    }
  }
  return out;
}

/**
 * The path-dependent TreeSHAP game (Lundberg et al. 2020, Algorithm 1, EXPVALUE): for a coalition S,
 * the expected margin when features in S take the case's values and the others follow the training
 * cover down both branches. Recursive and direct, as the paper states it.
 */
export function pathDependentGame(forest: Forest, x: Float64Array, offset: number): Game {
  const expValue = (node: number, s: number): number => {
    if (forest.left[node] < 0) return forest.value[node];
    const f = forest.feature[node];
    const l = forest.left[node];
    const r = forest.right[node];
    if ((s >> f) & 1) {
      const v = x[offset + f];
      const goLeft = Number.isNaN(v) ? forest.defaultLeft[node] === 1 : Math.fround(v) < forest.threshold[node];
      return expValue(goLeft ? l : r, s);
    }
    return (forest.cover[l] * expValue(l, s) + forest.cover[r] * expValue(r, s)) / forest.cover[node];
  };
  return (s) => {
    let sum = forest.baseMargin;
    for (let t = 0; t < forest.nTrees; t++) sum += expValue(forest.treeStart[t], s);
    return sum;
  };
}

/**
 * The interventional game over a background: v(S) = mean over background rows b of the model's margin
 * at the case's values on S and b's elsewhere. Evaluated by actually scoring the hybrid rows.
 */
export function interventionalGame(model: RiskModel, marginOf: (x: Float64Array) => number, x: Float64Array, background: Float64Array, rows: number): Game {
  const m = model.features.length;
  const hybrid = new Float64Array(m);
  return (s) => {
    let sum = 0;
    for (let b = 0; b < rows; b++) {
      for (let j = 0; j < m; j++) hybrid[j] = (s >> j) & 1 ? x[j] : background[b * m + j];
      sum += marginOf(hybrid);
    }
    return sum / rows;
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let d = 0;
  for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k] - b[k]));
  return d;
}
