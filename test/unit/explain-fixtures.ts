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
import { isTreeModel, SplitRule, type Forest, type RiskModel, type TreeModel, type XGBoostModel } from '../../extension/engine/models/types';
import { resolveSpec, type SpecOverrides } from '../../extension/engine/project';
import { openReview } from '../../extension/engine/review';

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

/** A tree model, cases, and the library's own outputs for them (`interactions` may be empty). */
export interface OracleFixture {
  readonly label: string;
  load(): { readonly model: TreeModel; readonly cases: CaseSet; readonly expected: Pick<Expected, 'probability' | 'contribs' | 'interactions'> };
}

const FIXTURES = join(__dirname, '..', 'fixtures');

/** A review of a tree model (as the CLI opens it), with the library's outputs for its cases. */
function reviewFixture(spec: SpecOverrides, expected: string): OracleFixture['load'] {
  return () => {
    const { model, cases } = openReview(resolveSpec(spec));
    if (!isTreeModel(model)) throw new Error(`${spec.model ?? spec.project} is not a tree model`);
    return { model, cases, expected: JSON.parse(readFileSync(join(FIXTURES, expected), 'utf8')) as Expected };
  };
}

/** Model, cases and expected outputs from files under test/fixtures/`dir`. */
function filesFixture(dir: string, model: string, cases: string, expected: string): OracleFixture['load'] {
  return reviewFixture({ model: join(FIXTURES, dir, model), data: join(FIXTURES, dir, cases), idColumn: 'case_id' }, join(dir, expected));
}

/** Every tree model with the library's own outputs: the TreeSHAP and scoring tests run on each. */
export const ORACLE_FIXTURES: readonly OracleFixture[] = [
  ...XGB_MODELS.map((name) => ({ label: `XGBoost ${name}`, load: () => xgbFixture(name) })),
  ...['partition', 'onehot', 'dart'].map((name) => ({ label: `XGBoost categorical ${name}`, load: filesFixture('xgb-categorical', `${name}.json`, 'cases.csv', `${name}.expected.json`) })),
  { label: 'XGBoost categorical partition, names from the model (3.1 "cats")', load: filesFixture('xgb-categorical', 'partition.v31.json', 'cases_names.csv', 'partition.expected.json') },
  { label: 'XGBoost categorical partition, names from the project', load: reviewFixture({ project: join(FIXTURES, 'xgb-categorical/partition.riskreview.json') }, 'xgb-categorical/partition.expected.json') },
  ...['pandas', 'zeros', 'sigmoid'].flatMap((name) =>
    ['txt', 'json'].map((format) => ({ label: `LightGBM ${name}.${format}`, load: filesFixture('lightgbm', `${name}.${format}`, `${name}.csv`, `${name}.expected.json`) })),
  ),
];

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
 * Whether node k sends the value v (NaN = missing) left, by the libraries' rules as their own code
 * states them (XGBoost's predict_fn.h and categorical.h; LightGBM's tree.h NumericalDecision and
 * CategoricalDecision, and its row reader dropping |v| ≤ 1e-35 as zero), written out plainly.
 */
export function goesLeft(forest: Forest, k: number, v: number): boolean {
  const t = forest.threshold[k];
  const dl = forest.defaultLeft[k] === 1;
  const set = forest.categories.subarray(forest.categoryStart[k], forest.categoryStart[k + 1]);
  const lgbm = Math.abs(v) <= Math.fround(1e-35) ? 0 : v;
  switch (forest.split[k]) {
    case SplitRule.XGBoostLess:
      return Number.isNaN(v) ? dl : Math.fround(v) < t;
    case SplitRule.XGBoostCategory: {
      if (Number.isNaN(v)) return dl;
      const f = Math.fround(v);
      if (f < 0 || f >= 16777216) return true;
      return !set.includes(Math.trunc(f));
    }
    case SplitRule.LightGBMLessNaN:
      return Number.isNaN(v) ? dl : lgbm <= t;
    case SplitRule.LightGBMLessZero: {
      const z = Number.isNaN(v) ? 0 : lgbm;
      return z === 0 ? dl : z <= t;
    }
    case SplitRule.LightGBMLessNone:
      return (Number.isNaN(v) ? 0 : lgbm) <= t;
    case SplitRule.LightGBMCategory: {
      if (Number.isNaN(v)) return false;
      const code = Math.trunc(v);
      return code >= 0 && set.includes(code);
    }
    default:
      throw new Error(`unknown split rule ${forest.split[k]}`);
  }
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
    if ((s >> f) & 1) return expValue(goesLeft(forest, node, x[offset + f]) ? l : r, s);
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
