/**
 * The full tree: ml-cart's greedy CART regression tree grown to the depth cap on the coded features,
 * read into flat arrays, with the squared error of the model's score at every node.
 *
 * ml-cart chooses at each node the split that minimises the children's summed squared error (the
 * same choice as scikit-learn's DecisionTreeRegressor), with thresholds midway between neighbouring
 * codes, and splits a node when that lowers the error (patches/ml-cart+2.1.1.patch). Growing every
 * node to the depth cap, rather than best first to the leaf budget, gives the pruning step a superset
 * of the best-first tree to choose from.
 */
import { DecisionTreeRegression, type CartNode } from 'ml-cart';
import { Matrix, MatrixTransposeView } from 'ml-matrix';

export interface GrownTree {
  /** Encoded column of each inner node's split, −1 at leaves. */
  readonly column: Int32Array;
  /** ml-cart's split value: left when code < cut. */
  readonly cut: Float64Array;
  /** Child ids, −1 at leaves. Node 0 is the root. */
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly depth: Int32Array;
  /** Training cases, mean score and sum of squared deviations from it, per node. */
  readonly n: Float64Array;
  readonly mean: Float64Array;
  readonly sse: Float64Array;
  /** The leaf each training case reaches. */
  readonly leafOfCase: Int32Array;
}

function flatten(root: CartNode): { column: number[]; cut: number[]; left: number[]; right: number[]; depth: number[] } {
  const out = { column: [] as number[], cut: [] as number[], left: [] as number[], right: [] as number[], depth: [] as number[] };
  const visit = (node: CartNode, depth: number): number => {
    const id = out.column.length;
    out.column.push(-1);
    out.cut.push(0);
    out.left.push(-1);
    out.right.push(-1);
    out.depth.push(depth);
    if (node.left && node.right && node.splitColumn !== undefined && node.splitValue !== undefined) {
      out.column[id] = node.splitColumn;
      out.cut[id] = node.splitValue;
      out.left[id] = visit(node.left, depth + 1);
      out.right[id] = visit(node.right, depth + 1);
    }
    return id;
  };
  visit(root, 0);
  return out;
}

/** `codes`: one array per encoded column, n cases each. */
export function growTree(codes: readonly Int32Array[], score: Float64Array, maxDepth: number): GrownTree {
  const n = score.length;
  const flat = { column: [-1], cut: [0], left: [-1], right: [-1], depth: [0] };
  if (n > 1 && codes.length > 0) {
    const cart = new DecisionTreeRegression({ gainFunction: 'regression', splitFunction: 'mean', minNumSamples: 1, maxDepth });
    // The cases as ml-cart's n × columns matrix, a view of the columns rather than a copy by rows.
    cart.train(new MatrixTransposeView(new Matrix(codes as Int32Array[])), Array.from(score));
    Object.assign(flat, flatten(cart.root));
  }
  const nodes = flat.column.length;
  const column = Int32Array.from(flat.column);
  const cut = Float64Array.from(flat.cut);
  const left = Int32Array.from(flat.left);
  const right = Int32Array.from(flat.right);

  // Sums of deviations from the overall mean, which keeps the squared errors accurate.
  let centre = 0;
  for (let i = 0; i < n; i++) centre += score[i];
  centre = n ? centre / n : 0;
  const count = new Float64Array(nodes);
  const total = new Float64Array(nodes);
  const sum = new Float64Array(nodes);
  const squares = new Float64Array(nodes);
  const leafOfCase = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const d = score[i] - centre;
    let node = 0;
    for (;;) {
      count[node]++;
      total[node] += score[i];
      sum[node] += d;
      squares[node] += d * d;
      if (left[node] < 0) break;
      node = codes[column[node]][i] < cut[node] ? left[node] : right[node];
    }
    leafOfCase[i] = node;
  }
  const mean = new Float64Array(nodes);
  const sse = new Float64Array(nodes);
  for (let k = 0; k < nodes; k++) {
    // The plain mean, summed in case order, so that it is the very number the surrogate's leaves report.
    mean[k] = count[k] ? total[k] / count[k] : centre;
    sse[k] = count[k] ? Math.max(0, squares[k] - (sum[k] * sum[k]) / count[k]) : 0;
  }
  return { column, cut, left, right, depth: Int32Array.from(flat.depth), n: count, mean, sse, leafOfCase };
}
