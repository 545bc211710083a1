/**
 * What every tree-ensemble loader checks before a tree reaches the scorer or TreeSHAP, so that a
 * damaged or hostile model file is refused at load with a message naming the tree, the node and the
 * field — never scored into NaN, never walked into an endless loop or a stack overflow:
 *   - each per-node field is a list of JSON numbers (no `null`, no strings such as "NaN"), finite, and
 *     of its kind: a float32 value (XGBoost stores thresholds and leaf values as float32, so a double
 *     beyond ±3.4e38 would become ±∞), a non-negative weight, a node index, a 0/1 flag;
 *   - the nodes form a tree: from the root every node is reached at most once (no cycle, no shared
 *     child), every inner node has two children, and no path is deeper than MAX_TREE_DEPTH.
 * A format's loader (xgboost.ts) says which field is which; the checks and their words live here.
 */
import { InputError } from '../errors';

/**
 * The deepest tree Risk Review reads, in levels below the root. Trees grown depth-wise are rarely deeper
 * than 20 and leaf-wise ones than a few hundred; the bound keeps every recursive walk (TreeSHAP's
 * preparation) far from the stack's limit, which a chain of about 4,000 levels reaches.
 */
export const MAX_TREE_DEPTH = 1024;

/** The kinds of per-node numbers a tree holds. */
export type NodeNumberKind =
  /** A threshold or leaf value stored as float32: finite once rounded to float32. */
  | 'float32'
  /** A weight such as the cover (sum of hessians): finite and ≥ 0. */
  | 'weight'
  /** A node or feature index: a whole number ≥ −1 (−1 marks "none"). */
  | 'index'
  /** A yes/no flag: 0, 1, false or true. */
  | 'flag';

export interface TreeField {
  readonly file: string;
  readonly tree: number;
  /** The field's name in the file, e.g. "split_conditions". */
  readonly field: string;
}

/** The value as the message quotes it: `null`, `"NaN"`, `Infinity`, `[1]`. */
function quoted(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** What is wrong with `v` as a number of this kind, to follow "is <v>"; null when nothing is. */
function problem(v: unknown, kind: NodeNumberKind): string | null {
  if (kind === 'flag') return v === 0 || v === 1 || v === true || v === false ? null : ', not 0, 1, false or true';
  if (typeof v !== 'number' || v !== v) return ', not a number';
  if (!Number.isFinite(v)) return ' (a number beyond ±1.8e308 in the file); a finite number is needed';
  switch (kind) {
    case 'float32':
      return Number.isFinite(Math.fround(v)) ? null : ', beyond the ±3.4e38 a float32 holds';
    case 'weight':
      return v >= 0 ? null : ', but a weight cannot be negative';
    case 'index':
      return Number.isInteger(v) && v >= -1 ? null : ', not a whole number of at least −1';
  }
}

/**
 * A per-node field of one tree as numbers, checked value by value. `count` is the tree's node count
 * when known (the lists must agree).
 */
export function nodeNumbers(value: unknown, kind: NodeNumberKind, where: TreeField, count?: number): Float64Array {
  const { file, tree, field } = where;
  if (!Array.isArray(value)) throw new InputError(`tree ${tree}: "${field}" is missing or not a list`, { file });
  if (count !== undefined && value.length !== count) {
    throw new InputError(`tree ${tree}: "${field}" has ${value.length} entries where the tree has ${count} nodes (a damaged model?)`, { file });
  }
  const out = new Float64Array(value.length);
  for (let node = 0; node < value.length; node++) {
    const v: unknown = value[node];
    const why = problem(v, kind);
    if (why !== null) throw new InputError(`tree ${tree}, node ${node}: "${field}" is ${quoted(v)}${why}`, { file });
    out[node] = v === true ? 1 : v === false ? 0 : (v as number);
  }
  return out;
}

/**
 * Checks that `left` and `right` (tree-local child indices, −1 for a leaf, node 0 the root) form a tree
 * no deeper than MAX_TREE_DEPTH, walking it with an explicit stack; returns its depth.
 */
export function checkTreeShape(left: ArrayLike<number>, right: ArrayLike<number>, where: Omit<TreeField, 'field'>): number {
  const { file, tree } = where;
  const n = left.length;
  if (n === 0) throw new InputError(`tree ${tree} has no nodes`, { file });
  for (let k = 0; k < n; k++) {
    const leaf = left[k] === -1;
    if (leaf !== (right[k] === -1)) throw new InputError(`tree ${tree}, node ${k}: it has ${leaf ? 'a right child but no left one' : 'a left child but no right one'}`, { file });
    if (!leaf && !(left[k] > 0 && left[k] < n && right[k] > 0 && right[k] < n)) {
      throw new InputError(`tree ${tree}, node ${k}: a child index (${left[k]}, ${right[k]}) is outside the tree's ${n} nodes`, { file });
    }
  }
  const parent = new Int32Array(n).fill(-1);
  const depth = new Int32Array(n);
  const stack = [0];
  let deepest = 0;
  while (stack.length > 0) {
    const k = stack.pop()!;
    if (left[k] === -1) continue;
    for (const c of [left[k], right[k]]) {
      // Children are never the root (checked above), so a node reached twice closes a cycle or is shared.
      if (parent[c] !== -1) {
        throw new InputError(`tree ${tree}, node ${c}: both node ${parent[c]} and node ${k} point to it; the nodes form a cycle or share a child, so they are not a tree`, { file });
      }
      parent[c] = k;
      depth[c] = depth[k] + 1;
      if (depth[c] > MAX_TREE_DEPTH) throw new InputError(`tree ${tree}, node ${c}: the tree is deeper than ${MAX_TREE_DEPTH} levels, more than Risk Review reads`, { file });
      deepest = Math.max(deepest, depth[c]);
      stack.push(c);
    }
  }
  return deepest;
}
