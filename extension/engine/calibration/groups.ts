/**
 * Calibration for everyone and for each group of one group column, and the gaps between each group and
 * a reference group.
 *
 * Only cases with a known outcome count; cases whose outcome is unknown are left out of every figure and
 * counted (`excludedUnknownOutcome`), overall and per group. Scores must be probabilities in [0, 1].
 *
 * Scores are probabilities in [0, 1], or with `probabilities: false` any finite numbers on the score's own
 * scale (see stats.ts for what is then left out). On a score's own scale, and for the `values` strategy,
 * every set is binned on everyone's edges (one bin per score value, everyone's quantiles, or `uniform`
 * steps from the lowest to the highest score), so that groups line up bin by bin.
 *
 * A gap is a group's figure minus the reference group's (so a positive FPR gap means the group's
 * innocent are flagged more often). The reference is the one asked for, else the largest group. Every
 * gap carries an analytic 95% interval where its figure has one (see differences.ts: Newcombe's for the
 * rates, Wald on the difference for the AUC, Brier score, calibration-in-the-large and slope).
 *
 * The outcome gap at equal scores compares the groups where the score is the same: over the bins b of
 * everyone's edges that hold cases of both the group g and the reference r,
 *
 *     Δ = Σ_b w_b (ȳ_gb − ȳ_rb),   w_b = n_gb / Σ_b' n_gb',
 *     se(Δ)² = Σ_b w_b² (ȳ_gb(1 − ȳ_gb)/n_gb + ȳ_rb(1 − ȳ_rb)/n_rb),
 *
 * the reference's outcome rates standardised to the group's scores (direct standardisation). Δ > 0: at
 * the same score the outcome happened more often in the group, so the score understates its risk
 * relative to the reference. It needs no probabilities, so it is the calibration gap of a score on its own
 * scale (a decile of 7 worth the same for everyone?); its interval is Wald's.
 *
 * With `bootstrap`, every gap also gets a 95% percentile interval: each replicate resamples every group's cases
 * with replacement, independently (a stratified bootstrap), recomputes every figure of every group exactly
 * as for the data (quantile bin edges included), and takes the gaps; the interval is
 * numpy.percentile(gaps, [2.5, 97.5]) of the replicates where the gap exists (an AUC gap needs both
 * outcomes in both resamples). Resampling is seeded, so the same data and seed give the same intervals.
 */
import type { GroupColumn } from '../data/cases';
import { InputError } from '../errors';
import { binOf, percentilesOfSorted, quantileEdges, valueEdges, type BinStrategy } from './bins';
import { independentDifference, newcombeDifference } from './differences';
import { waldInterval } from './intervals';
import { calibrationStats, mergeSorted, sortByOutcome, type CalibrationStats, type CaseScores, type SortedScores, type StatsOptions } from './stats';
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
  /** Whether the scores are probabilities (default true); false for a score on its own scale. */
  readonly probabilities?: boolean;
}

export interface CalibrationOptions {
  /** Number of bins (default 10; ignored by `values`). */
  readonly bins?: number;
  /** Default: `uniform` for probabilities; on a score's own scale `values` up to 20 distinct scores, else `quantile`. */
  readonly strategy?: BinStrategy;
  /** Flagged when score ≥ threshold. */
  readonly threshold: number;
  /** The group the others are compared with; default the largest. */
  readonly reference?: string;
  /** Bootstrap intervals for the gaps: replicates (1 to MAX_BOOTSTRAP_REPLICATES, e.g. 1000), a seed, and progress. */
  readonly bootstrap?: BootstrapOptions;
}

/**
 * The most bootstrap replicates Risk Review runs: each recomputes every figure of every group, so the
 * work is replicates × cases; 10,000 gives percentile intervals far steadier than their own width.
 */
export const MAX_BOOTSTRAP_REPLICATES = 10_000;

export interface BootstrapOptions {
  readonly replicates: number;
  readonly seed: number;
  /** Called after each replicate: (done, replicates). */
  readonly onReplicate?: (done: number, total: number) => void;
}

/** The figures whose gaps the bootstrap resamples (the outcome gap at equal scores is a gap in itself). */
export const GAP_FIGURES = ['observedRate', 'meanScore', 'calibrationInTheLarge', 'brier', 'ece', 'auc', 'calibrationSlope', 'fpr', 'fnr', 'ppv', 'selectionRate'] as const;
export type GapFigure = (typeof GAP_FIGURES)[number] | 'outcomeAtEqualScore';
type StatsGapFigure = (typeof GAP_FIGURES)[number];

/** Up to this many distinct scores on a score's own scale get a bin each. */
export const MAX_VALUE_BINS = 20;

export interface GroupGap {
  readonly group: string;
  /** Group minus reference; null when either figure is missing. */
  readonly differences: Readonly<Record<GapFigure, number | null>>;
  /** Analytic 95% intervals of the differences (null where the figure has none: mean score, ECE). */
  readonly intervals: Readonly<Record<GapFigure, Interval | null>>;
  /** Share of the group's cases in score bins the reference also has cases in (what the equal-score gap stands on). */
  readonly equalScoreCoverage: number | null;
  /** Bootstrap intervals of the differences, when asked for. */
  readonly bootstrapIntervals?: Readonly<Record<GapFigure, Interval | null>>;
}

/** How each figure's 95% interval is made (`intervalMethod` is the rates' and the bins'); see stats.ts. */
export const INTERVAL_METHODS = {
  auc: 'DeLong (logit scale)',
  brier: 'normal approximation (central limit theorem)',
  calibrationSlope: 'Wald (observed information)',
  calibrationIntercept: 'Wald (observed information)',
  calibrationInTheLarge: 'normal approximation (central limit theorem)',
  rateGaps: "Newcombe's hybrid score interval (difference of two Wilson intervals)",
  otherGaps: 'Wald on the difference of two independent estimates',
  outcomeAtEqualScore: 'Wald on the standardised difference (binomial variance per score bin)',
} as const;

/** Why the figures that read a score as a probability are absent on a score's own scale. */
export const NOT_PROBABILITIES =
  'the scores are on their own scale and the project maps them to no probability, so the Brier score, ECE, calibration-in-the-large and the calibration slope and intercept (which read a score as a probability) are not computed; every figure that only orders or thresholds the scores is';

export interface CalibrationReport {
  /** The group column, or null when calibration is for everyone only. */
  readonly groupBy: string | null;
  /** `probability`, or `score` for a score on its own scale; then `absentFigures` says what is left out and why. */
  readonly scale: 'probability' | 'score';
  readonly absentFigures: string | null;
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

function checkScores(input: CalibrationInput, probabilities: boolean): void {
  const { scores, ids } = input;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (probabilities ? !(s >= 0 && s <= 1) : !Number.isFinite(s)) {
      const what = probabilities ? 'is not a probability between 0 and 1' : 'is not a finite number';
      throw new InputError(`the score ${s} ${what}, so it cannot be checked for calibration`, ids ? { caseId: ids[i] } : {});
    }
  }
}

/** How many distinct values ascending `sorted` holds, counting no further than `limit + 1`. */
function distinctUpTo(sorted: Float64Array, limit: number): number {
  let k = 0;
  for (let i = 0; i < sorted.length && k <= limit; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) k++;
  return k;
}

/**
 * The edges every set shares, or undefined where each set has its own (probabilities, uniform or
 * quantile bins, as scikit-learn's calibration_curve). `sorted` holds everyone's scores ascending.
 */
function sharedEdges(sorted: Float64Array, strategy: BinStrategy, bins: number, probabilities: boolean): Float64Array | undefined {
  if (sorted.length === 0) return undefined;
  if (strategy === 'values') return valueEdges(sorted);
  if (probabilities) return undefined;
  if (strategy === 'quantile') return quantileEdges(sorted, bins);
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  return Float64Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + ((hi - lo) * k) / bins));
}

/** Per bin of `edges`, the set's cases and positives. */
function binCounts(set: CaseScores, edges: Float64Array): { n: Float64Array; positives: Float64Array } {
  const n = new Float64Array(edges.length - 1);
  const positives = new Float64Array(edges.length - 1);
  for (let i = 0; i < set.scores.length; i++) {
    const b = binOf(edges, set.scores[i]);
    n[b]++;
    positives[b] += set.outcomes[i];
  }
  return { n, positives };
}

/** The outcome gap at equal scores (see the module's docstring), or null when no bin holds cases of both. */
export function outcomeGapAtEqualScores(group: { n: Float64Array; positives: Float64Array }, reference: { n: Float64Array; positives: Float64Array }): { value: number; interval: Interval | null; coverage: number } | null {
  let shared = 0;
  let total = 0;
  for (let b = 0; b < group.n.length; b++) {
    total += group.n[b];
    if (group.n[b] > 0 && reference.n[b] > 0) shared += group.n[b];
  }
  if (shared === 0) return null;
  let value = 0;
  let variance = 0;
  for (let b = 0; b < group.n.length; b++) {
    const ng = group.n[b];
    const nr = reference.n[b];
    if (!(ng > 0 && nr > 0)) continue;
    const w = ng / shared;
    const pg = group.positives[b] / ng;
    const pr = reference.positives[b] / nr;
    value += w * (pg - pr);
    variance += w * w * ((pg * (1 - pg)) / ng + (pr * (1 - pr)) / nr);
  }
  return { value, interval: waldInterval(value, Math.sqrt(variance)), coverage: shared / total };
}

/** The analytic intervals of a group's gaps to the reference (see differences.ts). */
function gapIntervals(g: CalibrationStats, r: CalibrationStats, equalScore: Interval | null): Record<GapFigure, Interval | null> {
  const c = g.confusion;
  const d = r.confusion;
  const se = (x: CalibrationStats, f: 'auc' | 'brier' | 'calibrationSlope' | 'calibrationInTheLarge') => x.standardErrors[f];
  const wald = (f: 'auc' | 'brier' | 'calibrationSlope' | 'calibrationInTheLarge') => independentDifference(g[f], se(g, f), r[f], se(r, f));
  return {
    observedRate: newcombeDifference(g.positives, g.n, r.positives, r.n),
    meanScore: null,
    calibrationInTheLarge: wald('calibrationInTheLarge'),
    brier: wald('brier'),
    ece: null,
    auc: wald('auc'),
    calibrationSlope: wald('calibrationSlope'),
    fpr: newcombeDifference(c.fp, c.fp + c.tn, d.fp, d.fp + d.tn),
    fnr: newcombeDifference(c.fn, c.fn + c.tp, d.fn, d.fn + d.tp),
    ppv: newcombeDifference(c.tp, c.tp + c.fp, d.tp, d.tp + d.fp),
    selectionRate: newcombeDifference(c.tp + c.fp, g.n, d.tp + d.fp, r.n),
    outcomeAtEqualScore: equalScore,
  };
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

function bootstrapGaps(sets: readonly CaseScores[], ref: number, options: StatsOptions, { replicates, seed, onReplicate }: BootstrapOptions): Record<StatsGapFigure, Interval | null>[] {
  if (!(Number.isInteger(replicates) && replicates >= 1 && replicates <= MAX_BOOTSTRAP_REPLICATES)) {
    throw new RangeError(`bootstrap replicates must be a whole number from 1 to ${MAX_BOOTSTRAP_REPLICATES}, not ${replicates}`);
  }
  const random = mulberry32(seed);
  const draws = sets.map(() => Object.fromEntries(GAP_FIGURES.map((f) => [f, [] as number[]])) as Record<StatsGapFigure, number[]>);
  for (let r = 0; r < replicates; r++) {
    const figures = sets.map((set) => calibrationStats(resample(set, random), options));
    figures.forEach((f, g) => {
      if (g === ref) return;
      for (const name of GAP_FIGURES) {
        const d = difference(f[name], figures[ref][name]);
        if (d !== null) draws[g][name].push(d);
      }
    });
    onReplicate?.(r + 1, replicates);
  }
  return draws.map((d) =>
    Object.fromEntries(
      GAP_FIGURES.map((name) => {
        const values = Float64Array.from(d[name]).sort();
        if (values.length === 0) return [name, null];
        const [ciLow, ciHigh] = percentilesOfSorted(values, [100 * (1 - CONFIDENCE) / 2, 100 * (1 + CONFIDENCE) / 2]);
        return [name, { ciLow, ciHigh }];
      }),
    ) as Record<StatsGapFigure, Interval | null>,
  );
}

export function calibrationReport(input: CalibrationInput, options: CalibrationOptions): CalibrationReport {
  const probabilities = input.probabilities ?? true;
  const binCount = options.bins ?? 10;
  if (!(Number.isInteger(binCount) && binCount >= 1)) throw new InputError(`the number of bins must be a whole number ≥ 1, not ${binCount}`);
  if (probabilities && !(options.threshold >= 0 && options.threshold <= 1)) throw new InputError(`the threshold ${options.threshold} is not a probability between 0 and 1`);
  if (!Number.isFinite(options.threshold)) throw new InputError(`the threshold ${options.threshold} is not a number`);
  if (input.outcomes.length !== input.scores.length) throw new InputError(`there are ${input.scores.length} scores but ${input.outcomes.length} outcomes`);
  checkScores(input, probabilities);

  const { everyone, groups: sets } = splitByGroup(input);
  const sorted = sets.map(sortByOutcome);
  // Everyone's sorted scores are the groups' merged: cheaper than sorting a million numbers again.
  const everyoneSorted: SortedScores = sets.length
    ? { positives: mergeSorted(sorted.map((x) => x.positives)), negatives: mergeSorted(sorted.map((x) => x.negatives)) }
    : sortByOutcome(everyone);
  const allScores = mergeSorted([everyoneSorted.positives, everyoneSorted.negatives]);
  const strategy = options.strategy ?? (probabilities ? 'uniform' : distinctUpTo(allScores, MAX_VALUE_BINS) <= MAX_VALUE_BINS ? 'values' : 'quantile');
  const edges = sharedEdges(allScores, strategy, binCount, probabilities);
  const statsOptions: StatsOptions = { bins: binCount, strategy, threshold: options.threshold, edges, probabilities };
  const overall = calibrationStats(everyone, statsOptions, { sorted: everyoneSorted });
  // Each group's recalibration starts from everyone's, usually an iteration closer than (0, 1).
  const fitStart = overall.calibrationSlope === null ? undefined : { slope: overall.calibrationSlope, intercept: overall.calibrationIntercept! };
  const groups = sets.map((set, g) => calibrationStats(set, statsOptions, { sorted: sorted[g], fitStart }));
  const reference = referenceOf(input, groups, options.reference);
  const refIndex = groups.findIndex((g) => g.group === reference);
  const boot = options.bootstrap && refIndex >= 0 ? bootstrapGaps(sets, refIndex, statsOptions, options.bootstrap) : null;
  // Equal scores are judged on everyone's bins, whatever each set's own are.
  const commonEdges = overall.bins.length ? Float64Array.from([overall.bins[0].lower, ...overall.bins.map((b) => b.upper)]) : null;
  const counts = commonEdges ? sets.map((set) => binCounts(set, commonEdges)) : null;
  const gaps: GroupGap[] = [];
  groups.forEach((g, k) => {
    if (k === refIndex) return;
    const r = groups[refIndex];
    const equal = counts ? outcomeGapAtEqualScores(counts[k], counts[refIndex]) : null;
    const differences = {
      ...(Object.fromEntries(GAP_FIGURES.map((f) => [f, difference(g[f], r[f])])) as Record<StatsGapFigure, number | null>),
      outcomeAtEqualScore: equal?.value ?? null,
    };
    const gap: GroupGap = { group: g.group, differences, intervals: gapIntervals(g, r, equal?.interval ?? null), equalScoreCoverage: equal?.coverage ?? null };
    gaps.push(boot ? { ...gap, bootstrapIntervals: { ...boot[k], outcomeAtEqualScore: null } } : gap);
  });
  return {
    groupBy: input.groups?.column ?? null,
    scale: probabilities ? 'probability' : 'score',
    absentFigures: probabilities ? null : NOT_PROBABILITIES,
    threshold: options.threshold,
    strategy,
    binCount: overall.bins.length || binCount,
    confidence: CONFIDENCE,
    intervalMethod: 'Wilson score interval',
    intervalMethods: INTERVAL_METHODS,
    excludedUnknownOutcome: everyone.excluded,
    overall,
    groups,
    reference,
    gaps,
    bootstrap: options.bootstrap ? { replicates: options.bootstrap.replicates, seed: options.bootstrap.seed } : null,
  };
}
