/**
 * Fitting the surrogate (see index.ts for the method): coding, growing with ml-cart, exact pruning, and
 * reading the chosen tree back in the features' own units with its statistics and rules.
 */
import { InputError } from '../errors';
import { bandOf } from '../models/score';
import type { Band, FeatureInfo } from '../models/types';
import { CODE_SHIFT, encodeFeatures, type EncodedColumn } from './binning';
import { errorPercentiles, fidelityOf } from './fidelity';
import { integer } from '../report/format';
import { growTree } from './grow';
import { fidelityOn, MIN_CASES_FOR_HOLDOUT, splitForHoldout } from './holdout';
import { pathTo, route } from './path';
import { prunedLeafOf, pruneTable, pruneTo } from './prune';
import { branchCondition, mergeConditions, ruleText } from './rules';
import type { Condition, FrontierPoint, HeldOutFidelity, Rule, Split, Surrogate, SurrogateNode, SurrogateOptions } from './types';

export const LIMITS = { maxLeaves: 64, maxDepth: 12, maxBins: 1024 } as const;
export const DEFAULT_OPTIONS: SurrogateOptions = { maxLeaves: 8, maxDepth: 6, maxBins: 255 };

/**
 * The depth cap when none is given: 6, or two levels more than a balanced tree of the budget needs,
 * so that the best-first tree scikit-learn grows for the budget usually fits under it.
 */
export function defaultDepth(maxLeaves: number): number {
  return Math.min(LIMITS.maxDepth, Math.max(DEFAULT_OPTIONS.maxDepth, Math.ceil(Math.log2(maxLeaves)) + 2));
}

export const FRONTIER_BUDGETS = [2, 4, 8, 16] as const;

function checkOptions(o: SurrogateOptions): void {
  const whole = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  if (!whole(o.maxLeaves, 1, LIMITS.maxLeaves)) throw new InputError(`the leaf budget must be a whole number from 1 to ${LIMITS.maxLeaves}, not ${o.maxLeaves}`);
  if (!whole(o.maxDepth, 1, LIMITS.maxDepth)) throw new InputError(`the depth cap must be a whole number from 1 to ${LIMITS.maxDepth}, not ${o.maxDepth}`);
  if (!whole(o.maxBins, 2, LIMITS.maxBins)) throw new InputError(`the number of bins must be a whole number from 2 to ${LIMITS.maxBins}, not ${o.maxBins}`);
}

/** The split ml-cart's "code < cut" on an encoded column means, in the feature's own units. */
function decodeSplit(column: EncodedColumn, cut: number): { split: Omit<Split, 'missingGoesLeft'> & { missingGoesLeft: boolean | null }; swap: boolean } {
  // Codes below ceil(cut) go left; k is how many present codes that is (codes were shifted up by one).
  const k = Math.ceil(cut) - CODE_SHIFT;
  const { feature, binning, nCodes, missingCode } = column;
  // A cut between the missing code and every present code asks only whether the value is known.
  if (missingCode === -1 && k === 0) return { split: { feature, test: { kind: 'known' }, missingGoesLeft: false }, swap: true };
  if (missingCode === nCodes && k === nCodes) return { split: { feature, test: { kind: 'known' }, missingGoesLeft: false }, swap: false };
  const missingGoesLeft = missingCode === null ? null : missingCode < 0;
  const test = binning.kind === 'numeric' ? { kind: 'below' as const, threshold: binning.edges[k - 1] } : { kind: 'in' as const, codes: binning.order.slice(0, k) };
  return { split: { feature, test, missingGoesLeft }, swap: false };
}

interface Draft {
  id: number;
  depth: number;
  condition?: Condition;
  split?: Omit<Split, 'missingGoesLeft'> & { missingGoesLeft: boolean | null };
  children: [number, number] | [];
}

export interface FitOptions extends Partial<SurrogateOptions> {
  /** Whether the score is a probability (else an instrument's total); only the wording depends on it. */
  readonly scoreIsProbability?: boolean;
  /**
   * Whether to grow the second tree that measures fidelity on held-out cases (default true). It costs
   * about as much as the fit itself; the benchmark times the two apart.
   */
  readonly heldOut?: boolean;
}

/**
 * Fits the surrogate to `score` (one per case) from the cases' features `x` (row-major n × m in model
 * order, NaN for missing, category indexes for categorical features).
 */
export function fitSurrogate(x: Float64Array, features: readonly FeatureInfo[], score: Float64Array, bands: readonly Band[], options: FitOptions = {}): Surrogate {
  const maxLeaves = options.maxLeaves ?? DEFAULT_OPTIONS.maxLeaves;
  const opts: SurrogateOptions = {
    maxLeaves,
    maxDepth: options.maxDepth ?? defaultDepth(maxLeaves),
    maxBins: options.maxBins ?? DEFAULT_OPTIONS.maxBins,
  };
  checkOptions(opts);
  const isProbability = options.scoreIsProbability ?? true;
  const n = score.length;
  const m = features.length;
  if (n === 0) throw new InputError('there are no cases to fit the surrogate to');
  if (x.length !== n * m) throw new Error(`fitSurrogate: ${x.length} values for ${n} cases × ${m} features`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(score[i])) throw new InputError(`case ${i + 1} has no finite score to fit the surrogate to`);

  let heldOut: HeldOutFidelity | null = null;
  if (options.heldOut !== false && n >= MIN_CASES_FOR_HOLDOUT) {
    const { fit, held } = splitForHoldout(x, m, score);
    const tree = fitTree(fit.x, features, fit.score, bands, opts, isProbability, null);
    const heldBands = Array.from(held.score, (v) => bandOf(bands, v));
    heldOut = { ...fidelityOn(tree.nodes, held.x, m, held.score, heldBands, bands), fittedOn: fit.score.length };
  }
  return fitTree(x, features, score, bands, opts, isProbability, heldOut);
}

/** The surrogate fitted to every case given, with `heldOut` (measured on another tree) reported beside it. */
function fitTree(x: Float64Array, features: readonly FeatureInfo[], score: Float64Array, bands: readonly Band[], opts: SurrogateOptions, isProbability: boolean, heldOut: HeldOutFidelity | null): Surrogate {
  const n = score.length;
  const m = features.length;
  const encoded = encodeFeatures(x, n, features, score, opts.maxBins);
  const grown = growTree(encoded.codes, score, opts.maxDepth);
  const table = pruneTable(grown, Math.max(opts.maxLeaves, ...FRONTIER_BUDGETS));

  const scoreBands = Array.from(score, (v) => bandOf(bands, v));
  const budgets = [...new Set([...FRONTIER_BUDGETS, opts.maxLeaves])].sort((a, b) => a - b);
  const prediction = new Float64Array(n);
  const frontier: FrontierPoint[] = budgets.map((budget) => {
    const pruning = pruneTo(grown, table, budget);
    const leafOf = prunedLeafOf(grown, pruning);
    for (let i = 0; i < n; i++) prediction[i] = grown.mean[leafOf[grown.leafOfCase[i]]];
    return { budget, leaves: pruning.leaves, ...fidelityOf(score, scoreBands, prediction, bands) };
  });

  // The chosen pruning, read back in the features' units; a node's children follow it.
  const pruning = pruneTo(grown, table, opts.maxLeaves);
  const drafts: Draft[] = [];
  const build = (t: number, depth: number, condition: Condition | undefined): number => {
    const id = drafts.length;
    const draft: Draft = { id, depth, condition, children: [] };
    drafts.push(draft);
    if (!pruning.split[t]) return id;
    const { split, swap } = decodeSplit(encoded.columns[grown.column[t]], grown.cut[t]);
    draft.split = split;
    const [first, second] = swap ? [grown.right[t], grown.left[t]] : [grown.left[t], grown.right[t]];
    // Conditions are filled in once the direction of missing values is settled (below).
    const l = build(first, depth + 1, undefined);
    const r = build(second, depth + 1, undefined);
    draft.children = [l, r];
    return id;
  };
  build(0, 0, undefined);

  // Every case routed through the tree in its own units: node statistics and the predictions.
  const count = new Float64Array(drafts.length);
  const sum = new Float64Array(drafts.length);
  const min = new Float64Array(drafts.length).fill(Infinity);
  const max = new Float64Array(drafts.length).fill(-Infinity);
  const leafOfCase = new Int32Array(n);
  const routable = drafts.map((d) => ({ split: d.split as Split | undefined, children: d.children }));
  for (let i = 0; i < n; i++) {
    const path = route(routable, x, i * m);
    for (const k of path) {
      count[k]++;
      sum[k] += score[i];
      if (score[i] < min[k]) min[k] = score[i];
      if (score[i] > max[k]) max[k] = score[i];
    }
    leafOfCase[i] = path[path.length - 1];
  }
  const mean = Float64Array.from(sum, (s, k) => (count[k] ? s / count[k] : 0));
  const squares = new Float64Array(drafts.length);
  const agree = new Float64Array(drafts.length);
  const bandOfNode = Array.from(mean, (v) => bandOf(bands, v));
  for (let i = 0; i < n; i++) {
    const leaf = leafOfCase[i];
    prediction[i] = mean[leaf];
    squares[leaf] += (score[i] - mean[leaf]) ** 2;
    if (scoreBands[i] === bandOfNode[leaf]) agree[leaf]++;
  }
  // A feature no fitted case is missing sends missing values the way most cases go, as scikit-learn does.
  for (const d of drafts) {
    if (d.split && d.split.missingGoesLeft === null) d.split.missingGoesLeft = count[d.children[0]!] >= count[d.children[1]!];
  }
  for (const d of drafts) {
    if (!d.split) continue;
    const split = d.split as Split;
    drafts[d.children[0]!].condition = branchCondition(split, features[split.feature], true);
    drafts[d.children[1]!].condition = branchCondition(split, features[split.feature], false);
  }
  // Inner nodes' spread comes from their leaves: within-leaf squares plus each leaf's offset from the node mean.
  const spreadOf = (k: number): number => {
    let total = 0;
    const add = (t: number) => {
      const d = drafts[t];
      if (d.children.length === 0) total += squares[t] + count[t] * (mean[t] - mean[k]) ** 2;
      else d.children.forEach(add);
    };
    add(k);
    return count[k] ? Math.sqrt(total / count[k]) : 0;
  };
  const nodes: SurrogateNode[] = drafts.map((d) => ({
    id: d.id,
    depth: d.depth,
    ...(d.condition ? { condition: d.condition } : {}),
    ...(d.split ? { split: d.split as Split } : {}),
    children: d.children,
    n: count[d.id],
    mean: mean[d.id],
    spread: spreadOf(d.id),
    min: count[d.id] ? min[d.id] : 0,
    max: count[d.id] ? max[d.id] : 0,
  }));

  // Features the tree tests that no fitted case was missing: where their missing values go is a convention.
  const hadMissing = new Set(encoded.columns.filter((c) => c.missingCode !== null).map((c) => c.feature));
  const tested = [...new Set(nodes.flatMap((node) => (node.split ? [node.split.feature] : [])))].sort((a, b) => a - b);
  const neverMissing = tested.filter((j) => !hadMissing.has(j)).map((j) => features[j].name);

  const rules: Rule[] = nodes
    .filter((node) => node.children.length === 0)
    .map((leaf) => {
      const conditions = mergeConditions(pathTo(nodes, leaf.id).flatMap((k) => (nodes[k].condition ? [nodes[k].condition!] : [])));
      return {
        leaf: leaf.id,
        conditions,
        text: ruleText(conditions, leaf, isProbability, neverMissing),
        n: leaf.n,
        share: leaf.n / n,
        mean: leaf.mean,
        spread: leaf.spread,
        bandAgreement: leaf.n ? agree[leaf.id] / leaf.n : 1,
      };
    })
    .sort((a, b) => b.n - a.n || a.leaf - b.leaf);

  const notes = [
    `Fitted to the model's ${isProbability ? 'probability' : 'total'} on all ${integer(n)} cases loaded; fidelity is measured on the same cases${
      heldOut
        ? `, and again on ${integer(heldOut.n)} cases held out from a tree grown the same way on the other ${integer(heldOut.fittedOn)}`
        : n < MIN_CASES_FOR_HOLDOUT
          ? ` (with under ${MIN_CASES_FOR_HOLDOUT} cases, none are held out to test it)`
          : ''
    }.`,
    `Continuous features were cut into at most ${opts.maxBins} quantile bins before the tree was grown, so thresholds are bin edges.`,
    'A missing value follows the branch marked "(or missing)": at each test the direction that fitted the model\'s score better.',
  ];
  if (neverMissing.length) {
    const labels = neverMissing.map((name) => features.find((f) => f.name === name)!.label);
    notes.push(`No case fitted was missing ${labels.length > 1 ? `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}` : labels[0]}; a case that is would follow the larger branch at each test on it.`);
  }
  if (pruning.leaves < opts.maxLeaves) notes.push(`Only ${pruning.leaves} of the ${opts.maxLeaves} leaves allowed were used: more splits would not fit the model's score any better${Math.max(...nodes.map((k) => k.depth)) >= opts.maxDepth ? ' within the depth cap' : ''}.`);

  return {
    method: `Regression tree (ml-cart CART grown to depth ${opts.maxDepth}, pruned exactly to at most ${opts.maxLeaves} leaves) imitating the model's ${isProbability ? 'probability' : 'total'}`,
    options: opts,
    scoreIsProbability: isProbability,
    leaves: pruning.leaves,
    depth: Math.max(...nodes.map((k) => k.depth)),
    fidelity: fidelityOf(score, scoreBands, prediction, bands),
    heldOut,
    frontier,
    nodes,
    rules,
    errorPercentiles: errorPercentiles(score, prediction),
    neverMissing,
    bands: bands.map((b) => (b.below === undefined ? { label: b.label } : { label: b.label, below: b.below })),
    notes,
  };
}

