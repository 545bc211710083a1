/**
 * Rules in words: a path's tests merged to the fewest conditions that say the same, and written
 * compactly ("Prior referrals ≥ 3 and Age < 14 (or missing) → scores around 0.71 (n=412, spread ±0.08)").
 */
import type { FeatureInfo } from '../models/types';
import type { Condition, Split } from './types';

/** The conditions a case meets going left (`true`) or right from a split. */
export function branchCondition(split: Split, feature: FeatureInfo, goesLeft: boolean): Condition {
  const base = { feature: feature.name, label: feature.label };
  const includesMissing = split.missingGoesLeft === goesLeft;
  const t = split.test;
  switch (t.kind) {
    case 'below':
      return { ...base, kind: goesLeft ? 'below' : 'atLeast', threshold: t.threshold, includesMissing };
    case 'in': {
      const all = feature.categories ?? [];
      const chosen = new Set(t.codes);
      return { ...base, kind: 'in', categories: all.filter((_, k) => chosen.has(k) === goesLeft), includesMissing };
    }
    case 'known':
      return { ...base, kind: goesLeft ? 'known' : 'missing', includesMissing };
  }
}

/**
 * The fewest conditions equal to a path's tests: per feature, the tightest lower and upper bound or
 * the categories every test allows; a missing value follows the path only if every test on its feature
 * lets it, so the merged conditions include missing values only then.
 */
export function mergeConditions(path: readonly Condition[]): Condition[] {
  const byFeature = new Map<string, Condition[]>();
  for (const c of path) byFeature.set(c.feature, [...(byFeature.get(c.feature) ?? []), c]);
  const out: Condition[] = [];
  for (const tests of byFeature.values()) {
    const includesMissing = tests.every((c) => c.includesMissing);
    const missing = tests.find((c) => c.kind === 'missing');
    if (missing) {
      out.push(missing);
      continue;
    }
    const { feature, label } = tests[0];
    let lower = -Infinity;
    let upper = Infinity;
    let categories: readonly string[] | null = null;
    for (const c of tests) {
      if (c.kind === 'atLeast') lower = Math.max(lower, c.threshold);
      else if (c.kind === 'below') upper = Math.min(upper, c.threshold);
      else if (c.kind === 'in') categories = categories ? categories.filter((k) => c.categories.includes(k)) : c.categories;
    }
    const merged: Condition[] = [];
    if (lower > -Infinity) merged.push({ kind: 'atLeast', feature, label, threshold: lower, includesMissing });
    if (upper < Infinity) merged.push({ kind: 'below', feature, label, threshold: upper, includesMissing });
    if (categories) merged.push({ kind: 'in', feature, label, categories, includesMissing });
    // "Known" says something only when no other test on the feature already excludes missing values.
    out.push(...(merged.length ? merged : [tests.find((c) => c.kind === 'known')!]));
  }
  return out;
}

/** A number as a rule shows it: thresholds are already short decimals; scores to two places (points to one). */
export function scoreText(v: number, isProbability: boolean): string {
  return isProbability ? v.toFixed(2) : v.toFixed(1);
}

/**
 * A condition in symbols. "(or missing)" is left out for features in `neverMissing`: no fitted case
 * lacked them, so the direction is a convention for other cases (stated once, in the notes), not
 * something the rule learnt.
 */
export function conditionSymbols(c: Condition, neverMissing: readonly string[] = []): string {
  const missing = c.includesMissing && !neverMissing.includes(c.feature) ? ' (or missing)' : '';
  switch (c.kind) {
    case 'below':
      return `${c.label} < ${c.threshold}${missing}`;
    case 'atLeast':
      return `${c.label} ≥ ${c.threshold}${missing}`;
    case 'in':
      return `${c.label} is ${c.categories.length === 1 ? c.categories[0] : `one of ${c.categories.join(', ')}`}${missing}`;
    case 'missing':
      return `${c.label} is missing`;
    case 'known':
      return `${c.label} is known`;
  }
}

/** "Prior referrals ≥ 3 and Age < 14", or "Every case" for an empty path. */
export function conditionsText(conditions: readonly Condition[], neverMissing: readonly string[] = []): string {
  return conditions.length ? conditions.map((c) => conditionSymbols(c, neverMissing)).join(' and ') : 'Every case';
}

export function ruleText(conditions: readonly Condition[], stats: { n: number; mean: number; spread: number }, isProbability: boolean, neverMissing: readonly string[] = []): string {
  return `${conditionsText(conditions, neverMissing)} → scores around ${scoreText(stats.mean, isProbability)} (n=${stats.n}, spread ±${scoreText(stats.spread, isProbability)})`;
}
