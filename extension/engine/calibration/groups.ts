/**
 * Calibration for everyone and for each group of one group column, and the gaps between each group and
 * a reference group.
 *
 * Only cases with a known outcome count; cases whose outcome is unknown are left out of every figure and
 * counted (`excludedUnknownOutcome`), overall and per group. Scores must be probabilities in [0, 1].
 *
 * A gap is a group's figure minus the reference group's (so a positive FPR gap means the group's
 * innocent are flagged more often). The reference is the one asked for, else the largest group. With
 * `bootstrap`, every gap also gets a 95% percentile interval: each replicate resamples every group's cases
 * with replacement, independently (a stratified bootstrap), recomputes every figure of every group exactly
 * as for the data (quantile bin edges included), and takes the gaps; the interval is
 * numpy.percentile(gaps, [2.5, 97.5]) of the replicates where the gap exists (an AUC gap needs both
 * outcomes in both resamples). Resampling is seeded, so the same data and seed give the same intervals.
 */
import type { GroupColumn } from '../data/cases';
import { InputError } from '../errors';
import { percentilesOfSorted, type BinStrategy } from './bins';
import { calibrationStats, mergeSorted, sortByOutcome, type CalibrationStats, type CaseScores, type StatsOptions } from './stats';
import { CONFIDENCE, type Interval } from './wilson';

export const EVERYONE = '(everyone)';

export interface CalibrationInput {
  /** Probabilities, one per case. */
  readonly scores: Float64Array;
  /** 1, 0 or −1 (unknown) per case. */
  readonly outcomes: Int8Array;
  /** Case ids, to name a case whose score is not a probability. */
  readonly ids?: readonly string[];
  readonly groups?: GroupColumn | null;
}

export interface CalibrationOptions {
  /** Number of bins (default 10). */
  readonly bins?: number;
  readonly strategy?: BinStrategy;
  /** Flagged when score ≥ threshold. */
  readonly threshold: number;
  /** The group the others are compared with; default the largest. */
  readonly reference?: string;
  /** Bootstrap intervals for the gaps: replicates (e.g. 1000) and a seed. */
  readonly bootstrap?: { readonly replicates: number; readonly seed: number };
}

export const GAP_FIGURES = ['observedRate', 'meanScore', 'calibrationInTheLarge', 'brier', 'ece', 'auc', 'calibrationSlope', 'fpr', 'fnr', 'ppv', 'selectionRate'] as const;
export type GapFigure = (typeof GAP_FIGURES)[number];

export interface GroupGap {
  readonly group: string;
  /** Group minus reference; null when either figure is missing. */
  readonly differences: Readonly<Record<GapFigure, number | null>>;
  /** Bootstrap intervals of the differences, when asked for. */
  readonly intervals?: Readonly<Record<GapFigure, Interval | null>>;
}

/** How each figure's 95% interval is made (`intervalMethod` is the rates' and the bins'); see stats.ts. */
export const INTERVAL_METHODS = {
  auc: 'DeLong (logit scale)',
  brier: 'normal approximation (central limit theorem)',
  calibrationSlope: 'Wald (observed information)',
  calibrationIntercept: 'Wald (observed information)',
} as const;

export interface CalibrationReport {
  /** The group column, or null when calibration is for everyone only. */
  readonly groupBy: string | null;
  readonly threshold: number;
  readonly strategy: BinStrategy;
  readonly binCount: number;
  readonly confidence: number;
  /** The Wilson interval, for the outcome rates (bins, and the rates at the threshold). */
  readonly intervalMethod: string;
  readonly intervalMethods: Readonly<Record<keyof typeof INTERVAL_METHODS, string>>;
  /** Cases left out because their outcome is unknown. */
  readonly excludedUnknownOutcome: number;
  readonly overall: CalibrationStats;
  readonly groups: readonly CalibrationStats[];
  readonly reference: string | null;
  readonly gaps: readonly GroupGap[];
  readonly bootstrap: { readonly replicates: number; readonly seed: number } | null;
}

function checkScores(input: CalibrationInput): void {
  const { scores, ids } = input;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!(s >= 0 && s <= 1)) {
      throw new InputError(`the score ${s} is not a probability between 0 and 1, so it cannot be checked for calibration`, ids ? { caseId: ids[i] } : {});
    }
  }
}

/** The cases with a known outcome, split by group (a counting sort, so each group's cases are contiguous and in data order). */
function splitByGroup(input: CalibrationInput): { everyone: CaseScores; groups: CaseScores[] } {
  const { scores, outcomes } = input;
  const n = scores.length;
  const labels = input.groups?.labels ?? [];
  const codes = input.groups?.codes;
  const known = new Int32Array(labels.length);
  const unknown = new Int32Array(labels.length);
  let knownTotal = 0;
  for (let i = 0; i < n; i++) {
    const g = codes ? codes[i] : -1;
    if (codes && !(g >= 0 && g < labels.length)) throw new RangeError(`group code ${g} of case ${i} is not an index into the ${labels.length} labels`);
    if (outcomes[i] < 0) {
      if (g >= 0) unknown[g]++;
      continue;
    }
    knownTotal++;
    if (g >= 0) known[g]++;
  }
  const everyone: CaseScores = { label: EVERYONE, scores: new Float64Array(knownTotal), outcomes: new Uint8Array(knownTotal), excluded: n - knownTotal };
  const groups = labels.map((label, g) => ({ label, scores: new Float64Array(known[g]), outcomes: new Uint8Array(known[g]), excluded: unknown[g] }));
  const fill = new Int32Array(labels.length);
  for (let i = 0, k = 0; i < n; i++) {
    const y = outcomes[i];
    if (y < 0) continue;
    everyone.scores[k] = scores[i];
    everyone.outcomes[k++] = y;
    if (codes) {
      const g = codes[i];
      const at = fill[g]++;
      groups[g].scores[at] = scores[i];
      groups[g].outcomes[at] = y;
    }
  }
  return { everyone, groups };
}

function referenceOf(input: CalibrationInput, groups: readonly CalibrationStats[], asked: string | undefined): string | null {
  if (groups.length === 0) return null;
  if (asked !== undefined) {
    if (!groups.some((g) => g.group === asked)) {
      throw new InputError(`the reference group "${asked}" is not a group of column "${input.groups!.column}"; its groups are: ${groups.map((g) => g.group).join(', ')}`);
    }
    return asked;
  }
  return groups.reduce((best, g) => (g.n > best.n ? g : best)).group;
}

function difference(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}

/** Mulberry32: a small, fast, seeded generator; the bootstrap needs repeatability, not cryptography. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One resample of `set`: n cases drawn with replacement. */
function resample(set: CaseScores, random: () => number): CaseScores {
  const n = set.scores.length;
  const scores = new Float64Array(n);
  const outcomes = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = Math.floor(random() * n);
    scores[k] = set.scores[i];
    outcomes[k] = set.outcomes[i];
  }
  return { label: set.label, scores, outcomes, excluded: 0 };
}

function bootstrapGaps(sets: readonly CaseScores[], ref: number, options: StatsOptions, replicates: number, seed: number): Record<GapFigure, Interval | null>[] {
  const random = mulberry32(seed);
  const draws = sets.map(() => Object.fromEntries(GAP_FIGURES.map((f) => [f, [] as number[]])) as Record<GapFigure, number[]>);
  for (let r = 0; r < replicates; r++) {
    const figures = sets.map((set) => calibrationStats(resample(set, random), options));
    figures.forEach((f, g) => {
      if (g === ref) return;
      for (const name of GAP_FIGURES) {
        const d = difference(f[name], figures[ref][name]);
        if (d !== null) draws[g][name].push(d);
      }
    });
  }
  return draws.map((d) =>
    Object.fromEntries(
      GAP_FIGURES.map((name) => {
        const values = Float64Array.from(d[name]).sort();
        if (values.length === 0) return [name, null];
        const [ciLow, ciHigh] = percentilesOfSorted(values, [100 * (1 - CONFIDENCE) / 2, 100 * (1 + CONFIDENCE) / 2]);
        return [name, { ciLow, ciHigh }];
      }),
    ) as Record<GapFigure, Interval | null>,
  );
}

export function calibrationReport(input: CalibrationInput, options: CalibrationOptions): CalibrationReport {
  const binCount = options.bins ?? 10;
  const strategy = options.strategy ?? 'uniform';
  if (!(Number.isInteger(binCount) && binCount >= 1)) throw new InputError(`the number of bins must be a whole number ≥ 1, not ${binCount}`);
  if (!(options.threshold >= 0 && options.threshold <= 1)) throw new InputError(`the threshold ${options.threshold} is not a probability between 0 and 1`);
  if (input.outcomes.length !== input.scores.length) throw new InputError(`there are ${input.scores.length} scores but ${input.outcomes.length} outcomes`);
  checkScores(input);

  const { everyone, groups: sets } = splitByGroup(input);
  const statsOptions = { bins: binCount, strategy, threshold: options.threshold };
  const sorted = sets.map(sortByOutcome);
  // Everyone's sorted scores are the groups' merged: cheaper than sorting a million numbers again.
  const overall = calibrationStats(
    everyone,
    statsOptions,
    sets.length ? { sorted: { positives: mergeSorted(sorted.map((x) => x.positives)), negatives: mergeSorted(sorted.map((x) => x.negatives)) } } : {},
  );
  // Each group's recalibration starts from everyone's, usually an iteration closer than (0, 1).
  const fitStart = overall.calibrationSlope === null ? undefined : { slope: overall.calibrationSlope, intercept: overall.calibrationIntercept! };
  const groups = sets.map((set, g) => calibrationStats(set, statsOptions, { sorted: sorted[g], fitStart }));
  const reference = referenceOf(input, groups, options.reference);
  const refIndex = groups.findIndex((g) => g.group === reference);
  const intervals = options.bootstrap && refIndex >= 0 ? bootstrapGaps(sets, refIndex, statsOptions, options.bootstrap.replicates, options.bootstrap.seed) : null;
  const gaps: GroupGap[] = [];
  groups.forEach((g, k) => {
    if (k === refIndex) return;
    const differences = Object.fromEntries(GAP_FIGURES.map((f) => [f, difference(g[f], groups[refIndex][f])])) as Record<GapFigure, number | null>;
    gaps.push(intervals ? { group: g.group, differences, intervals: intervals[k] } : { group: g.group, differences });
  });
  return {
    groupBy: input.groups?.column ?? null,
    threshold: options.threshold,
    strategy,
    binCount,
    confidence: CONFIDENCE,
    intervalMethod: 'Wilson score interval',
    intervalMethods: INTERVAL_METHODS,
    excludedUnknownOutcome: everyone.excluded,
    overall,
    groups,
    reference,
    gaps,
    bootstrap: options.bootstrap ?? null,
  };
}
