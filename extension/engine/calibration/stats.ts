/**
 * Calibration and error rates of one set of cases (a group, or everyone), for scores s_i ∈ [0, 1] and
 * known outcomes y_i ∈ {0, 1}, i = 1..N:
 *
 *   - reliability bins (see bins.ts): for each bin b, n_b cases, mean score s̄_b, observed rate ȳ_b
 *     and its Wilson interval (see wilson.ts);
 *   - Brier score  B = (1/N) Σ d_i,  d_i = (s_i − y_i)²  (scikit-learn's `brier_score_loss`), with the
 *     standard error of a mean, se(B) = sd(d)/√N (sd with N − 1), and the interval B ± z·se(B) clipped to
 *     [0, 1]: by the central limit theorem B is nearly normal for all but tiny N (d is bounded);
 *   - expected calibration error  ECE = Σ_b (n_b / N) · |ȳ_b − s̄_b|  over the non-empty bins;
 *   - calibration-in-the-large  s̄ − ȳ  (mean score minus observed rate: > 0 means the score overstates),
 *     the mean of e_i = s_i − y_i, with se = sd(e)/√N (sd with N − 1) and the Wald interval;
 *   - calibration slope and intercept by logistic recalibration, with Wald intervals estimate ± z·se from
 *     the inverse observed information (see recalibration.ts);
 *   - AUC with DeLong's standard error (see auc.ts), absent when the outcomes are all one class, and its
 *     interval on the logit scale (see intervals.ts), absent with fewer than 2 cases of either class;
 *   - at the decision threshold t, a case is flagged when s ≥ t; with TP, FP, FN, TN counted as usual:
 *     FPR = FP/(FP+TN), FNR = FN/(FN+TP), PPV = TP/(TP+FP), selection rate = (TP+FP)/N, each with its
 *     Wilson interval, and absent (null) when its denominator is 0.
 *
 * Every interval is at 95% (z = 1.959963984540054); these analytic ones cost O(N) beyond the sorting the AUC
 * already needs, so they are given for every review, unlike a bootstrap.
 *
 * Scores on their own scale (`probabilities: false`: an instrument's total, a vendor's decile, with no
 * mapping to probabilities) get every figure that only orders or thresholds them — the bins' observed
 * rates, the AUC, the rates at the threshold — and none of those that read a score as a probability (Brier
 * score, ECE, calibration-in-the-large, slope and intercept are null; the report says why, once).
 *
 * Warnings say when a figure stands on little: a set under 50 cases, a bin under 10 (but not empty),
 * a missing AUC, AUC interval or slope and why, a rate with no denominator.
 */
import { deLongAuc } from './auc';
import { binFrom, binOf, quantileEdges, uniformEdges, valueEdges, type BinStrategy } from './bins';
import { logitInterval, waldInterval } from './intervals';
import { clippedLogits, recalibrate } from './recalibration';
import { wilson, type Interval } from './wilson';
import { percent, plainNumber } from '../report/format';

export const MIN_GROUP_CASES = 50;
export const MIN_BIN_CASES = 10;

/**
 * The warning for a set too small for its figures to say much ("only 30 cases with a known outcome (fewer
 * than 50): every figure here is very uncertain"), or null from MIN_GROUP_CASES up. `one` and `many` name
 * what was counted; the calibration checks and the reviewers' decisions by group say it alike.
 */
export function smallSetWarning(n: number, one: string, many: string, figures = 'every figure here is'): string | null {
  return n < MIN_GROUP_CASES ? `only ${n} ${n === 1 ? one : many} (fewer than ${MIN_GROUP_CASES}): ${figures} very uncertain` : null;
}

export interface CalibrationBin {
  /** Bin 0 is [lower, upper]; every other bin (lower, upper]: a score on an edge belongs below it. */
  readonly lower: number;
  readonly upper: number;
  readonly n: number;
  /** Cases in the bin whose outcome happened. */
  readonly positives: number;
  /** null when the bin is empty (so are the three below). */
  readonly meanScore: number | null;
  readonly observedRate: number | null;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
}

export interface Confusion {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

/** The figures whose uncertainty is estimated analytically (see the standard errors' methods above). */
export interface StandardErrors {
  /** DeLong's; null without an AUC or with fewer than 2 cases of either class. */
  readonly auc: number | null;
  /** sd(d)/√N; null under 2 cases. */
  readonly brier: number | null;
  /** sd(s − y)/√N; null under 2 cases. */
  readonly calibrationInTheLarge: number | null;
  /** Wald, from the inverse observed information; null without a fit. */
  readonly calibrationSlope: number | null;
  readonly calibrationIntercept: number | null;
}

/**
 * 95% intervals, keyed by the figure they belong to; null when the figure has none. The rates carry
 * Wilson intervals (null when the rate has no denominator); the AUC, Brier score, slope and intercept the
 * normal-approximation intervals of their standard errors (null when the standard error is none or 0).
 */
export interface FigureIntervals {
  readonly observedRate: Interval | null;
  readonly fpr: Interval | null;
  readonly fnr: Interval | null;
  readonly ppv: Interval | null;
  readonly selectionRate: Interval | null;
  readonly auc: Interval | null;
  readonly brier: Interval | null;
  readonly calibrationSlope: Interval | null;
  readonly calibrationIntercept: Interval | null;
  readonly calibrationInTheLarge: Interval | null;
}

export interface CalibrationStats {
  /** The group's label, or "(everyone)". */
  readonly group: string;
  /** Cases with a known outcome (the only ones counted in any figure). */
  readonly n: number;
  /** Cases of the group left out because their outcome is unknown. */
  readonly excludedUnknownOutcome: number;
  readonly positives: number;
  readonly observedRate: number | null;
  readonly meanScore: number | null;
  readonly brier: number | null;
  readonly ece: number | null;
  /** Mean score − observed rate. */
  readonly calibrationInTheLarge: number | null;
  readonly auc: number | null;
  readonly calibrationSlope: number | null;
  readonly calibrationIntercept: number | null;
  readonly fpr: number | null;
  readonly fnr: number | null;
  readonly ppv: number | null;
  readonly selectionRate: number | null;
  readonly confusion: Confusion;
  readonly standardErrors: StandardErrors;
  readonly intervals: FigureIntervals;
  readonly warnings: readonly string[];
  readonly bins: readonly CalibrationBin[];
}

export interface StatsOptions {
  readonly bins: number;
  readonly strategy: BinStrategy;
  readonly threshold: number;
  /** Bin edges shared by every set (a score scale's values or range); else each set's own, as scikit-learn's. */
  readonly edges?: Float64Array;
  /** Whether scores are probabilities (default true); see the module's docstring. */
  readonly probabilities?: boolean;
}

/** One set of cases: scores and 0/1 outcomes, same length; `excluded` counts its unknown outcomes. */
export interface CaseScores {
  readonly label: string;
  readonly scores: Float64Array;
  readonly outcomes: Uint8Array;
  readonly excluded: number;
}

/** num/den, or null when there is no denominator. */
export function ratio(num: number, den: number): number | null {
  return den === 0 ? null : num / den;
}

function mergeTwo(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0, j = 0, k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

/** Ascending runs merged into one ascending array, pairwise (N·log₂ runs comparisons). */
export function mergeSorted(runs: readonly Float64Array[]): Float64Array {
  if (runs.length === 0) return new Float64Array(0);
  let level = runs;
  while (level.length > 1) {
    const next: Float64Array[] = [];
    for (let k = 0; k < level.length; k += 2) next.push(k + 1 < level.length ? mergeTwo(level[k], level[k + 1]) : level[k]);
    level = next;
  }
  return level[0];
}

/** A set's scores split by outcome, each ascending: what the AUC and the quantile edges read. */
export interface SortedScores {
  readonly positives: Float64Array;
  readonly negatives: Float64Array;
}

export function sortByOutcome(set: CaseScores): SortedScores {
  const { scores: s, outcomes: y } = set;
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i];
  const pos = new Float64Array(positives);
  const neg = new Float64Array(y.length - positives);
  for (let i = 0, ip = 0, ineg = 0; i < y.length; i++) {
    if (y[i]) pos[ip++] = s[i];
    else neg[ineg++] = s[i];
  }
  // Typed-array sort is native; sorting index arrays with a comparator would be several times slower.
  return { positives: pos.sort(), negatives: neg.sort() };
}

/** Work a caller may already have done: the sorted scores (everyone's, merged from the groups'), and a fit to start the recalibration from. */
export interface Prepared {
  readonly sorted?: SortedScores;
  readonly fitStart?: { readonly slope: number; readonly intercept: number };
}

/** The figures of one set. */
export function calibrationStats(set: CaseScores, options: StatsOptions, prepared: Prepared = {}): CalibrationStats {
  const sorted = prepared.sorted ?? sortByOutcome(set);
  const { scores: s, outcomes: y } = set;
  const n = s.length;
  const t = options.threshold;
  const probabilities = options.probabilities ?? true;
  const shown = probabilities ? (v: number) => percent(v) : (v: number) => plainNumber(v);
  const warnings: string[] = [];
  const few = smallSetWarning(n, 'case with a known outcome', 'cases with a known outcome');
  if (few) warnings.push(few);

  const { positives: pos, negatives: neg } = sorted;
  const positives = pos.length;
  const given = options.edges;
  const uniform = !given && options.strategy === 'uniform';
  // One bin per score value (edges [v₀, v₀, v₁, …]: bin b is (v_{b−1}, v_b]), shown as that value.
  const valueBins = options.strategy === 'values';
  const ownEdges = (sortedScores: Float64Array) => (valueBins ? valueEdges(sortedScores) : quantileEdges(sortedScores, options.bins));
  const edges = given ?? (uniform ? uniformEdges(options.bins) : n > 0 ? ownEdges(mergeSorted([pos, neg])) : null);
  const count = edges ? edges.length - 1 : options.bins;
  const binN = new Float64Array(count);
  const binPos = new Float64Array(count);
  const binSum = new Float64Array(count);
  // One pass in data order (so bin sums add up as numpy's bincount does): Brier, mean, flags, bins.
  let sumScore = 0, sumSq = 0, tp = 0, fp = 0;
  for (let i = 0; edges && i < n; i++) {
    const p = s[i];
    const yi = y[i];
    const d = p - yi;
    sumSq += d * d;
    sumScore += p;
    if (p >= t) {
      if (yi) tp++;
      else fp++;
    }
    const b = uniform ? binFrom(edges, p, p >= 1 ? count - 1 : Math.floor(p * count)) : binOf(edges, p);
    binN[b]++;
    binPos[b] += yi;
    binSum[b] += p;
  }
  const fn = positives - tp;
  const tn = n - positives - fp;
  const brier = ratio(sumSq, n);
  // The squared errors' spread about their known mean, in a second pass (Σd² − N·B² would cancel).
  const citl = n > 0 ? sumScore / n - positives / n : null;
  let brierSe: number | null = null;
  let citlSe: number | null = null;
  if (n >= 2) {
    let spread = 0;
    let citlSpread = 0;
    for (let i = 0; i < n; i++) {
      const d = s[i] - y[i];
      const e = d * d - brier!;
      spread += e * e;
      citlSpread += (d - citl!) * (d - citl!);
    }
    brierSe = Math.sqrt(spread / (n - 1) / n);
    citlSe = Math.sqrt(citlSpread / (n - 1) / n);
  }

  const bins: CalibrationBin[] = [];
  const sparse: string[] = [];
  let ece = 0;
  // Quantile bins of no cases have no edges: such a set lists no bins.
  for (let b = 0; edges && b < count; b++) {
    const nb = binN[b];
    const upper = edges[b + 1];
    const lower = valueBins ? upper : edges[b];
    if (nb === 0) {
      bins.push({ lower, upper, n: 0, positives: 0, meanScore: null, observedRate: null, ciLow: null, ciHigh: null });
      continue;
    }
    const meanScore = binSum[b] / nb;
    const observedRate = binPos[b] / nb;
    ece += (nb / n) * Math.abs(observedRate - meanScore);
    const ci = wilson(binPos[b], nb)!;
    bins.push({ lower, upper, n: nb, positives: binPos[b], meanScore, observedRate, ciLow: ci.ciLow, ciHigh: ci.ciHigh });
    if (nb < MIN_BIN_CASES) sparse.push(`${valueBins ? shown(upper) : `${shown(lower)}–${shown(upper)}`}: ${nb}`);
  }
  if (sparse.length) {
    const which = sparse.length === 1 ? 'bin has' : 'bins have';
    warnings.push(`${sparse.length} ${which} fewer than ${MIN_BIN_CASES} cases (${sparse.join('; ')}): ${sparse.length === 1 ? 'its observed rate is' : 'their observed rates are'} very uncertain`);
  }

  let auc: number | null = null;
  let aucSe: number | null = null;
  if (n > 0 && (positives === 0 || positives === n)) warnings.push(`no AUC: every case had outcome ${positives === 0 ? 0 : 1}, and the AUC needs both outcomes`);
  else if (n > 0) ({ auc, standardError: aucSe } = deLongAuc(pos, neg));
  const aucInterval = auc === null ? null : logitInterval(auc, aucSe);
  if (auc !== null && aucInterval === null) {
    warnings.push(
      aucSe === null
        ? `no AUC interval: only one case had outcome ${positives < 2 ? 1 : 0}, and DeLong's variance needs at least 2 of each`
        : `no AUC interval: ${auc === 0 || auc === 1 ? 'the scores separate the outcomes perfectly' : 'every case had the same score'}, so DeLong's variance is 0`,
    );
  }

  const recalibration = n > 0 && probabilities ? recalibrate(clippedLogits(s), y, positives, prepared.fitStart) : null;
  if (recalibration && recalibration.slope === null) warnings.push(`no calibration slope: ${recalibration.reason}`);
  const fit = recalibration?.slope === null ? null : recalibration;

  const fpr = ratio(fp, fp + tn);
  const fnr = ratio(fn, fn + tp);
  const ppv = ratio(tp, tp + fp);
  if (n > 0 && fpr === null) warnings.push('no false positive rate: no case had outcome 0');
  if (n > 0 && fnr === null) warnings.push('no false negative rate: no case had outcome 1');
  if (n > 0 && ppv === null) warnings.push(`no positive predictive value: no case was flagged (score ≥ ${t})`);

  // On a score's own scale these read it as what it is not: a probability.
  const asProbability = <T>(v: T): T | null => (probabilities ? v : null);
  return {
    group: set.label,
    n,
    excludedUnknownOutcome: set.excluded,
    positives,
    observedRate: ratio(positives, n),
    meanScore: ratio(sumScore, n),
    brier: asProbability(brier),
    ece: n > 0 && probabilities ? ece : null,
    calibrationInTheLarge: asProbability(citl),
    auc,
    calibrationSlope: fit?.slope ?? null,
    calibrationIntercept: fit?.intercept ?? null,
    fpr,
    fnr,
    ppv,
    selectionRate: ratio(tp + fp, n),
    confusion: { tp, fp, fn, tn },
    standardErrors: {
      auc: aucSe,
      brier: asProbability(brierSe),
      calibrationInTheLarge: asProbability(citlSe),
      calibrationSlope: fit?.slopeStandardError ?? null,
      calibrationIntercept: fit?.interceptStandardError ?? null,
    },
    intervals: {
      observedRate: wilson(positives, n),
      fpr: wilson(fp, fp + tn),
      fnr: wilson(fn, fn + tp),
      ppv: wilson(tp, tp + fp),
      selectionRate: wilson(tp + fp, n),
      auc: aucInterval,
      brier: brier === null || !probabilities ? null : waldInterval(brier, brierSe, 0, 1),
      calibrationInTheLarge: citl === null || !probabilities ? null : waldInterval(citl, citlSe, -1, 1),
      calibrationSlope: fit && waldInterval(fit.slope, fit.slopeStandardError),
      calibrationIntercept: fit && waldInterval(fit.intercept, fit.interceptStandardError),
    },
    warnings,
    bins,
  };
}
