/**
 * Group drivers: which features move the score, group by group, and where that differs.
 *
 * From per-case attributions φ_ij (case i, feature j, any scale, e.g. explain/'s `AttributionSet`
 * contributions, n × m row-major) and a group column:
 *
 *     influence_gj = (1/n_g) Σ_{i ∈ g} |φ_ij|          (mean |attribution| of feature j in group g)
 *     share_gj     = influence_gj / Σ_k influence_gk   (its part of the group's total influence)
 *     disparity_j  = max_g share_gj − min_g share_gj    over groups of at least 50 cases
 *
 * Shares, not raw influences, are compared, so that a group whose scores are simply more extreme (all
 * attributions larger) does not make every feature look different. Of the features whose disparity is
 * at least `minDisparity` (default 0.05: five percentage points of a group's total influence), the
 * `flagTop` (default 3) largest are flagged; smaller differences are listed but not flagged. When fewer than two groups have 50 cases, every non-empty group is
 * compared instead and `warning` says so. Attributions say what moved the model, not what causes the
 * outcome; a difference here is a prompt to look, not a finding.
 *
 * Against a reference group r (default the largest), each group's influence differs by
 *
 *     d_gj = influence_gj − influence_rj,   se(d_gj)² = s²_gj / n_g + s²_rj / n_r
 *
 * with s² the sample variance of |φ_ij| within the group (the groups share no case; Welch's standard
 * error), and the 95% interval d ± z·se; a difference "stands out" when its interval excludes 0. The
 * mean signed attribution (`mean_gj`, which way the feature moves the group's scores on average) is given
 * beside it. `scale` multiplies case i's attributions first (e.g. to percentage points of probability).
 */
import { InputError } from '../errors';
import type { GroupColumn } from '../data/cases';
import { excludesZero } from './differences';
import { waldInterval } from './intervals';
import { MIN_GROUP_CASES } from './stats';
import type { Interval } from './wilson';

export interface DriverInput {
  /** Row-major n × features.length. */
  readonly contributions: Float64Array;
  /** Feature names in the contributions' column order. */
  readonly features: readonly string[];
  readonly groups: GroupColumn;
  /** Per case, a factor its attributions are multiplied by first (another scale); default 1. */
  readonly scale?: Float64Array;
}

/** A group's influence minus the reference's, with Welch's 95% interval. */
export interface DriverDifference {
  readonly value: number;
  readonly interval: Interval | null;
  readonly standsOut: boolean;
}

export interface FeatureDriver {
  readonly feature: string;
  /** Mean |attribution| over every case. */
  readonly overall: number;
  /** Per group, in `GroupDrivers.groups` order; null for an empty group. */
  readonly influence: readonly (number | null)[];
  readonly share: readonly (number | null)[];
  /** Largest minus smallest share among the compared groups; null when fewer than two are compared. */
  readonly disparity: number | null;
  readonly flagged: boolean;
  /** Mean signed attribution per group (null for an empty group). */
  readonly mean: readonly (number | null)[];
  /** Per group, its influence minus the reference's (null for the reference and for empty groups). */
  readonly differences: readonly (DriverDifference | null)[];
}

export interface GroupDrivers {
  readonly groupBy: string;
  readonly groups: readonly { readonly group: string; readonly n: number; readonly compared: boolean }[];
  /** In the contributions' column order. */
  readonly features: readonly FeatureDriver[];
  /** The smallest disparity flagged. */
  readonly minDisparity: number;
  /** The flagged features' names, largest disparity first. */
  readonly flagged: readonly string[];
  readonly warning: string | null;
  /** The group the others' influences are compared with. */
  readonly reference: string;
}

export interface DriverOptions {
  readonly flagTop?: number;
  readonly minDisparity?: number;
  /** Default: the largest group. */
  readonly reference?: string;
}

export function groupDrivers(input: DriverInput, options: DriverOptions = {}): GroupDrivers {
  const flagTop = options.flagTop ?? 3;
  const minDisparity = options.minDisparity ?? 0.05;
  const { contributions: phi, features, groups } = input;
  const m = features.length;
  const n = groups.codes.length;
  if (phi.length !== n * m) throw new InputError(`the attributions hold ${phi.length} values, not ${n} cases × ${m} features`);
  const k = groups.labels.length;
  const sums = new Float64Array(k * m);
  const squares = new Float64Array(k * m);
  const signed = new Float64Array(k * m);
  const counts = new Float64Array(k);
  const overall = new Float64Array(m);
  const factor = input.scale;
  for (let i = 0; i < n; i++) {
    const g = groups.codes[i];
    counts[g]++;
    const row = i * m;
    const at = g * m;
    const f = factor ? factor[i] : 1;
    for (let j = 0; j < m; j++) {
      const v = phi[row + j] * f;
      const a = Math.abs(v);
      sums[at + j] += a;
      squares[at + j] += a * a;
      signed[at + j] += v;
      overall[j] += a;
    }
  }
  const ref = options.reference === undefined ? counts.indexOf(Math.max(...counts)) : groups.labels.indexOf(options.reference);
  if (ref < 0) throw new InputError(`the reference group "${options.reference}" is not a group of column "${groups.column}"`);
  /** Welch's difference of group g's mean |φ_j| from the reference's. */
  const differenceOf = (g: number, j: number): DriverDifference | null => {
    if (g === ref || counts[g] === 0 || counts[ref] === 0) return null;
    const mean = (h: number) => sums[h * m + j] / counts[h];
    const variance = (h: number) => (counts[h] > 1 ? (squares[h * m + j] - counts[h] * mean(h) ** 2) / (counts[h] - 1) : NaN);
    const value = mean(g) - mean(ref);
    const se = Math.sqrt(Math.max(0, variance(g)) / counts[g] + Math.max(0, variance(ref)) / counts[ref]);
    const interval = Number.isFinite(se) ? waldInterval(value, se) : null;
    return { value, interval, standsOut: excludesZero(interval) };
  };
  const large = groups.labels.map((_, g) => counts[g] >= MIN_GROUP_CASES);
  const enough = large.filter(Boolean).length >= 2;
  const compared = groups.labels.map((_, g) => (enough ? large[g] : counts[g] > 0));
  const influence = (g: number, j: number) => (counts[g] > 0 ? sums[g * m + j] / counts[g] : null);
  const totals = groups.labels.map((_, g) => {
    let t = 0;
    for (let j = 0; j < m; j++) t += sums[g * m + j];
    return counts[g] > 0 ? t / counts[g] : 0;
  });
  const rows = features.map((feature, j) => {
    const inf = groups.labels.map((_, g) => influence(g, j));
    const share = inf.map((v, g) => (v === null ? null : totals[g] > 0 ? v / totals[g] : 0));
    const comparedShares = share.filter((s, g): s is number => compared[g] && s !== null);
    const disparity = comparedShares.length >= 2 ? Math.max(...comparedShares) - Math.min(...comparedShares) : null;
    const mean = groups.labels.map((_, g) => (counts[g] > 0 ? signed[g * m + j] / counts[g] : null));
    return { feature, overall: n > 0 ? overall[j] / n : 0, influence: inf, share, disparity, mean, differences: groups.labels.map((_, g) => differenceOf(g, j)) };
  });
  const flagged = rows
    .filter((r) => r.disparity !== null && r.disparity >= minDisparity)
    .sort((a, b) => b.disparity! - a.disparity!)
    .slice(0, flagTop)
    .map((r) => r.feature);
  const flaggedSet = new Set(flagged);
  return {
    groupBy: groups.column,
    groups: groups.labels.map((group, g) => ({ group, n: counts[g], compared: compared[g] })),
    features: rows.map((r) => ({ ...r, flagged: flaggedSet.has(r.feature) })),
    minDisparity,
    flagged,
    warning: enough ? null : `fewer than two groups have ${MIN_GROUP_CASES} cases, so small groups are compared too and the differences are very uncertain`,
    reference: groups.labels[ref],
  };
}
