/**
 * Intersections of two group columns ("sex × race"): each case's pair of groups as one group, so that the
 * per-group figures can be read for, say, Black girls as for any group. Only the pairs some case has are
 * groups; they are sorted by the first column's group, then the second's.
 */
import type { GroupColumn } from './cases';

/** The separator in an intersection's column and group names: "sex × race", "Female × Black". */
export const CROSS = ' × ';

export function crossGroups(a: GroupColumn, b: GroupColumn): GroupColumn {
  const n = a.codes.length;
  const width = b.labels.length;
  const pairCode = new Int32Array(n);
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    pairCode[i] = a.codes[i] * width + b.codes[i];
    seen.add(pairCode[i]);
  }
  // Both label lists are sorted, so ordering pairs by their code orders them by (first, second).
  const pairs = [...seen].sort((x, y) => x - y);
  const index = new Map(pairs.map((p, k) => [p, k]));
  return {
    column: `${a.column}${CROSS}${b.column}`,
    labels: pairs.map((p) => `${a.labels[Math.floor(p / width)]}${CROSS}${b.labels[p % width]}`),
    codes: Int32Array.from(pairCode, (p) => index.get(p)!),
  };
}

/** Every pair of columns, in the columns' order: (1, 2), (1, 3), (2, 3)… */
export function columnPairs<T>(columns: readonly T[]): [T, T][] {
  const pairs: [T, T][] = [];
  for (let x = 0; x < columns.length; x++) for (let y = x + 1; y < columns.length; y++) pairs.push([columns[x], columns[y]]);
  return pairs;
}
