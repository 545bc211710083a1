/**
 * The smallest changes to a case that reach a target: an exact best-first (A*) search over sets of
 * changes, a set being a choice of candidate values (candidates.ts) for some of the changeable features.
 *
 * Order. An option that changes fewer features is smaller; of two that change as many, the one whose
 * sizes add up to less; then the one with the lower margin; then the one found first.
 * Distinct options. An option is left out when a listed one changes only some of its features, each to
 * a value between the case's own and the option's (inclusive; for a category, the same one): it
 * contains a smaller option that already reaches the target.
 *
 * How. Features are taken in a fixed order, and a set is extended only by changes to features after its
 * last one, so each set is met once. A set that reaches the target is an option and is not extended.
 * Every other set waits in a queue, keyed by a lower bound on the smallest option it can lead to:
 *   (changes so far + the fewest further changes that could reach,  sizes so far + the least those add),
 * and a set is dropped when no extension can reach (the model's lower bound on the margin with every
 * later feature free is not low enough) or when it would need more than `maxChanges` changes. The key
 * never exceeds the truth, so the first option taken from the queue is the smallest there is, the next
 * the smallest of the rest, and so on: that is the proof of optimality. A search stopped at its budget
 * still lists only proven options; the queue's head then bounds every option it did not list.
 *
 * Pruning works on margins: a lower margin never gives a higher score (recourse.ts checks that the
 * model's score never falls as its margin rises), so what reaches the target is a set of margins below
 * some level. Bounds are loosened by a hair (LOOSE) so that float rounding never drops a real option.
 */
import type { Candidate } from './candidates';

export interface SearchProblem {
  /** The case's row in model order; changed while searching and restored after. */
  readonly row: Float64Array;
  /** Changeable features (model indices) in search order, and each one's candidates, cheapest first. */
  readonly features: readonly number[];
  readonly candidates: readonly (readonly Candidate[])[];
  /** The model's exact margin for a row. */
  margin(row: Float64Array): number;
  /** Whether a margin's score reaches the target. */
  reaches(margin: number): boolean;
  /**
   * For a model whose margin is a sum of one term per feature: how far each search position's best
   * candidate lowers the margin. The bound is then exact, and a candidate further than a nearer one on
   * the same side that already reaches is never needed. Null for a tree ensemble.
   */
  readonly additiveGain: readonly number[] | null;
  /**
   * A lower bound on the margin of every row that differs from `row` only at search positions ≥ from
   * (each at its own value or a candidate). Not called for additive models.
   */
  lowerBound(row: Float64Array, from: number): number;
}

export interface SearchLimits {
  readonly maxChanges: number;
  readonly maxOptions: number;
  /** Sets of changes the search may score before it stops. */
  readonly budget: number;
}

export interface FoundChange {
  /** Search position (index into `features`). */
  readonly position: number;
  readonly candidate: Candidate;
}

export interface FoundOption {
  readonly changes: readonly FoundChange[];
  readonly size: number;
  readonly margin: number;
}

export interface SearchResult {
  readonly options: readonly FoundOption[];
  /** Sets of changes scored. */
  readonly evaluated: number;
  /** True when the search ended by itself (the options are all there are, or the first `maxOptions`); false when stopped at the budget. */
  readonly complete: boolean;
  /** Set when stopped at the budget with sets still queued: every option not listed changes at least `changes` features and, with exactly that many, has sizes adding to at least `size`. */
  readonly bound: { readonly changes: number; readonly size: number } | null;
}

const LOOSE = 1e-9;

interface Node {
  readonly parent: Node | null;
  /** Search position of this set's last change (−1 for the empty set). */
  readonly position: number;
  readonly candidate: Candidate | null;
  readonly changes: number;
  readonly size: number;
  readonly margin: number;
  readonly reaches: boolean;
  readonly keyChanges: number;
  readonly keySize: number;
  readonly order: number;
}

function before(a: Node, b: Node): boolean {
  return a.keyChanges !== b.keyChanges ? a.keyChanges < b.keyChanges : a.keySize !== b.keySize ? a.keySize < b.keySize : a.order < b.order;
}

/** A binary min-heap of nodes by key. */
class Queue {
  private readonly items: Node[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Node | undefined {
    return this.items[0];
  }
  push(n: Node): void {
    const a = this.items;
    a.push(n);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!before(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): Node {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l], a[m])) m = l;
        if (r < a.length && before(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

function changesOf(n: Node): FoundChange[] {
  const out: FoundChange[] = [];
  for (let p: Node | null = n; p && p.candidate; p = p.parent) out.push({ position: p.position, candidate: p.candidate });
  return out.reverse();
}

/** Whether `small` changes some of `big`'s features, each to a value between the case's own and big's (see the top). */
function contains(big: FoundOption, small: FoundOption, own: readonly number[]): boolean {
  return small.changes.every((s) => {
    const b = big.changes.find((c) => c.position === s.position);
    if (!b) return false;
    if (s.candidate.side === 0) return s.candidate.value === b.candidate.value;
    const x = own[s.position];
    return Math.min(x, b.candidate.value) <= s.candidate.value && s.candidate.value <= Math.max(x, b.candidate.value);
  });
}

export function searchRecourse(problem: SearchProblem, limits: SearchLimits): SearchResult {
  const { row, features, candidates } = problem;
  const n = features.length;
  const own = features.map((j) => row[j]);
  const gain = problem.additiveGain;
  // For each position p, the positions after it: their cheapest candidates' sizes ascending and (additive) their gains descending.
  const laterSizes: number[][] = [];
  const laterGains: number[][] = [];
  for (let p = 0; p <= n; p++) {
    laterSizes.push(candidates.slice(p).map((c) => c[0]?.cost ?? Infinity).sort((a, b) => a - b));
    if (gain) laterGains.push(gain.slice(p).sort((a, b) => b - a));
  }
  const loosely = (m: number) => problem.reaches(m - LOOSE * (1 + Math.abs(m)));

  const queue = new Queue();
  const options: FoundOption[] = [];
  let evaluated = 0;
  let order = 0;

  /** The node for a set, or null when no option can come of it. */
  function node(parent: Node | null, position: number, candidate: Candidate | null, margin: number): Node | null {
    const changes = (parent?.changes ?? 0) + (candidate ? 1 : 0);
    const size = (parent?.size ?? 0) + (candidate?.cost ?? 0);
    const reaches = problem.reaches(margin);
    const base = { parent, position, candidate, changes, size, margin, reaches, order: order++ };
    if (reaches) return { ...base, keyChanges: changes, keySize: size };
    const from = position + 1;
    let more = 1;
    if (gain) {
      // The fewest further changes that could reach: the largest gains first.
      const g = laterGains[from];
      let lowest = margin;
      for (more = 1; more <= g.length; more++) {
        lowest -= g[more - 1];
        if (loosely(lowest)) break;
      }
      if (more > g.length) return null;
    } else {
      if (from >= n || !loosely(problem.lowerBound(row, from))) return null;
    }
    if (changes + more > limits.maxChanges) return null;
    let extra = 0;
    for (let k = 0; k < more; k++) extra += laterSizes[from][k];
    return { ...base, keyChanges: changes + more, keySize: size + extra };
  }

  /** Sets `row` to the node's changes (`apply`), or back to the case's own values. */
  function setRow(n0: Node, apply: boolean): void {
    for (let p: Node | null = n0; p && p.candidate; p = p.parent) row[features[p.position]] = apply ? p.candidate.value : own[p.position];
  }

  function expand(parent: Node): void {
    if (parent.changes >= limits.maxChanges) return;
    setRow(parent, true);
    for (let q = parent.position + 1; q < n; q++) {
      const j = features[q];
      const reachedSide = { [-1]: false, 0: false, 1: false } as Record<number, boolean>;
      for (const c of candidates[q]) {
        if (gain && reachedSide[c.side]) continue;
        row[j] = c.value;
        const m = problem.margin(row);
        evaluated++;
        const child = node(parent, q, c, m);
        if (!child) continue;
        queue.push(child);
        if (child.reaches && c.side !== 0) reachedSide[c.side] = true;
      }
      row[j] = own[q];
    }
    setRow(parent, false);
  }

  const root = node(null, -1, null, problem.margin(row));
  evaluated++;
  if (root && !root.reaches) queue.push(root);
  while (queue.size > 0 && options.length < limits.maxOptions) {
    if (evaluated >= limits.budget) {
      const head = queue.peek()!;
      return { options, evaluated, complete: false, bound: { changes: head.keyChanges, size: head.keySize } };
    }
    const first = queue.pop();
    if (!first.reaches) {
      expand(first);
      continue;
    }
    // Every set with the same key: options among them are ordered by margin, then as found.
    const group = [first];
    while (queue.size > 0 && queue.peek()!.keyChanges === first.keyChanges && queue.peek()!.keySize === first.keySize) {
      const next = queue.pop();
      if (next.reaches) group.push(next);
      else expand(next);
    }
    group.sort((a, b) => a.margin - b.margin || a.order - b.order);
    for (const g of group) {
      const option: FoundOption = { changes: changesOf(g), size: g.size, margin: g.margin };
      if (options.some((o) => contains(option, o, own))) continue;
      options.push(option);
      if (options.length >= limits.maxOptions) break;
    }
  }
  return { options, evaluated, complete: true, bound: null };
}
