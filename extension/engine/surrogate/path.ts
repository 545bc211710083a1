/**
 * Following the surrogate: the branch a value takes, the path a case follows, the surrogate's prediction
 * beside the model's score, and the tree nested for printing. Pure functions of the plain-data
 * `Surrogate`, so the panel can run them on a copy it received as JSON.
 */
import { bandOf } from '../models/score';
import { errorRank } from './fidelity';
import { mergeConditions, scoreText } from './rules';
import type { CaseFit, CasePath, Condition, PathStep, Split, Surrogate, SurrogateNode } from './types';

/** Whether a value takes the left branch of a split. */
export function goesLeft(split: Split, v: number): boolean {
  if (v !== v) return split.missingGoesLeft;
  switch (split.test.kind) {
    case 'below':
      return v < split.test.threshold;
    case 'in':
      return split.test.codes.includes(v);
    case 'known':
      return true;
  }
}

/** The leaf a row (model feature order, NaN for missing) reaches, and every node on the way. */
export function route(nodes: readonly { split?: Split; children: readonly number[] }[], x: ArrayLike<number>, offset: number): number[] {
  const path = [0];
  let node = nodes[0];
  while (node.split) {
    const next = node.children[goesLeft(node.split, x[offset + node.split.feature]) ? 0 : 1];
    path.push(next);
    node = nodes[next];
  }
  return path;
}

/** Node ids from the root to `id`. */
export function pathTo(nodes: readonly SurrogateNode[], id: number): number[] {
  const parent = new Int32Array(nodes.length).fill(-1);
  for (const node of nodes) for (const c of node.children) parent[c] = node.id;
  const path = [id];
  while (parent[path[0]] >= 0) path.unshift(parent[path[0]]);
  return path;
}

/** The path a case (a row in model feature order, NaN for missing) follows, and the surrogate's prediction. */
export function surrogatePath(surrogate: Surrogate, row: ArrayLike<number>, offset = 0): CasePath {
  const ids = route(surrogate.nodes, row, offset);
  const steps: PathStep[] = ids.map((k) => {
    const node = surrogate.nodes[k];
    return { node: k, ...(node.condition ? { condition: node.condition } : {}), mean: node.mean, n: node.n };
  });
  const leaf = ids[ids.length - 1];
  return {
    steps,
    leaf,
    conditions: mergeConditions(steps.flatMap((s) => (s.condition ? [s.condition] : []))),
    prediction: surrogate.nodes[leaf].mean,
  };
}

/** The case's path beside the model's score, and whether the surrogate serves the case well. */
export function surrogateCase(surrogate: Surrogate, row: ArrayLike<number>, modelScore: number, offset = 0): CaseFit {
  const path = surrogatePath(surrogate, row, offset);
  const leaf = surrogate.nodes[path.leaf];
  const rule = surrogate.rules.find((r) => r.leaf === path.leaf)!;
  const difference = modelScore - path.prediction;
  const error = Math.abs(difference);
  const rank = errorRank(surrogate.errorPercentiles, error);
  const modelBand = bandOf(surrogate.bands, modelScore);
  const surrogateBand = bandOf(surrogate.bands, path.prediction);
  const otherBand = modelBand !== surrogateBand;
  const farOff = error > surrogate.errorPercentiles[90] && error > 1e-12;
  const p = surrogate.scoreIsProbability;
  const said = `The rule gives ${scoreText(path.prediction, p)} (${surrogateBand}) where the model scores ${scoreText(modelScore, p)} (${modelBand})`;
  const closer = `${Math.round(rank * 100)}% of cases are fitted more closely`;
  const verdict =
    otherBand || farOff
      ? `${said}: the rule serves this case poorly (${[otherBand ? 'it puts the case in another band' : '', farOff ? closer : ''].filter(Boolean).join('; ')}), so read the model's own attribution instead.`
      : rank < 0.5
        ? `${said}: the rule serves this case well (${closer}; in this leaf the model's score spreads ±${scoreText(leaf.spread, p)}).`
        : `${said}: the rule serves this case fairly (${closer}; in this leaf the model's score spreads ±${scoreText(leaf.spread, p)}).`;
  return {
    ...path,
    modelScore,
    difference,
    modelBand,
    surrogateBand,
    errorRank: rank,
    leafSpread: leaf.spread,
    leafBandAgreement: rule.bandAgreement,
    poorlyServed: otherBand || farOff,
    verdict,
  };
}

/** The tree nested, as the CLI prints it. */
export interface TreeJson {
  readonly id: number;
  readonly n: number;
  readonly mean: number;
  readonly spread: number;
  readonly condition?: Condition;
  readonly split?: Split;
  readonly left?: TreeJson;
  readonly right?: TreeJson;
}

export function nestedTree(surrogate: Surrogate, id = 0): TreeJson {
  const node = surrogate.nodes[id];
  const base = { id, n: node.n, mean: node.mean, spread: node.spread, ...(node.condition ? { condition: node.condition } : {}) };
  if (node.children.length === 0) return base;
  return { ...base, split: node.split!, left: nestedTree(surrogate, node.children[0]), right: nestedTree(surrogate, node.children[1]) };
}

