/**
 * A group comparison in sentences a supervisor can quote, one per group, and the one caution every such
 * comparison needs (calibration within groups and equal error rates cannot both hold when base rates
 * differ). Differences in probabilities are said in percentage points; each comes with its 95% interval,
 * and is called a difference only when that interval excludes 0.
 */
import { count, fixedNumber, percent, pointsSize, signedFixed } from './format';
import type { ComparedGroup, DriverComparison, GapEstimate, GroupComparison } from './types';

/** "Hispanic (race_ethnicity)". */
export function comparedName(c: Pick<GroupComparison, 'column'>, group: string): string {
  return `${group} (${c.column})`;
}

/** "95% interval +9.8 to +14.3 percentage points" for a difference of probabilities. */
function pointsInterval(e: GapEstimate, confidence: number): string {
  return e.interval ? `${percent(confidence, 0)} interval ${fixedNumber(e.interval[0] * 100, 1)} to ${fixedNumber(e.interval[1] * 100, 1)}` : 'no interval';
}

const ERROR_RATES = [
  ['fpr', 'false positive rate (flagged among those without the outcome)'],
  ['fnr', 'false negative rate (not flagged among those with the outcome)'],
] as const;

/** The group's own calibration on a probability scale: its scores against what happened, on average. */
function ownCalibration(c: GroupComparison, g: ComparedGroup): string {
  const who = comparedName(c, g.group);
  const e = g.metrics.calibrationInTheLarge;
  if (e === null || g.metrics.n === 0) return `${who} has no cases with a known outcome.`;
  const observed = g.metrics.positives / g.metrics.n;
  const scored = observed + e.value;
  const conf = percent(c.confidence, 0);
  const interval = e.interval ? ` (${conf} interval ${fixedNumber(e.interval[0] * 100, 1)} to ${fixedNumber(e.interval[1] * 100, 1)})` : '';
  const standsOut = e.interval !== null && (e.interval[0] > 0 || e.interval[1] < 0);
  if (!standsOut) return `For ${who}, the scores matched what happened on average: an average score of ${percent(scored)} where ${percent(observed)} had the outcome, a difference of ${signedFixed(e.value * 100)} percentage points that is within what chance gives${interval}.`;
  const verb = e.value > 0 ? 'overstate' : 'understate';
  return `For ${who}, the scores ${verb} what happened by ${pointsSize(e.value)} percentage points on average${interval}: an average score of ${percent(scored)} where ${percent(observed)} had the outcome.`;
}

/** A non-reference group at equal scores: does the same score mean the same outcome rate as for the reference? */
function equalScores(c: GroupComparison, g: ComparedGroup): string | null {
  const e = g.gaps?.outcomeAtEqualScore;
  if (!e) return null;
  const who = comparedName(c, g.group);
  const where = `${pointsInterval(e, c.confidence)}${g.equalScoreCoverage !== null && g.equalScoreCoverage < 0.999 ? `; over the ${percent(g.equalScoreCoverage, 0)} of its cases at scores ${c.reference} also has` : ''}`;
  if (!e.standsOut) return `At the same score, the outcome happened about as often for ${who} as for ${c.reference} (a difference of ${signedFixed(e.value * 100)} percentage points; ${where}).`;
  return `At the same score, the outcome happened ${e.value > 0 ? 'more' : 'less'} often for ${who} than for ${c.reference}, by ${pointsSize(e.value)} percentage points on average (${where}): the score ${e.value > 0 ? 'understates' : 'overstates'} ${who}'s risk relative to ${c.reference}'s.`;
}

/** The error-rate gaps to the reference that stand out. */
function errorGaps(c: GroupComparison, g: ComparedGroup): string[] {
  return ERROR_RATES.flatMap(([f, name]) => {
    const e = g.gaps?.[f];
    if (!e || !e.standsOut) return [];
    return [`Compared with ${c.reference}, its ${name} is ${pointsSize(e.value)} percentage points ${e.value > 0 ? 'higher' : 'lower'} (${pointsInterval(e, c.confidence)}).`];
  });
}

/**
 * One paragraph per group: its own calibration (on a probability scale), the outcome at equal scores
 * against the reference, and the error-rate gaps that stand out; a small group's is marked as such.
 */
export function groupSentence(c: GroupComparison, g: ComparedGroup): string {
  const parts: string[] = [];
  if (c.scale === 'probability') parts.push(ownCalibration(c, g));
  if (g.group === c.reference) {
    parts.push(`${comparedName(c, g.group)} is the reference group the others are compared with (${count(g.metrics.n, 'case')}, ${g.metrics.n ? percent(g.metrics.positives / g.metrics.n) : '–'} with the outcome).`);
  } else {
    const eq = equalScores(c, g);
    if (eq) parts.push(eq);
    parts.push(...errorGaps(c, g));
  }
  if (g.small) parts.push(`With only ${count(g.metrics.n, 'case')} with a known outcome (fewer than ${c.minGroupCases}), these figures are very uncertain.`);
  return parts.join(' ');
}

/** Said once wherever groups are compared: what the two kinds of table measure, and why both cannot be equal. */
export function impossibilityNote(c: GroupComparison): string {
  const rates = c.groups.map((g) => (g.metrics.n ? g.metrics.positives / g.metrics.n : null)).filter((r): r is number => r !== null);
  const differ = rates.length > 1 && Math.max(...rates) - Math.min(...rates) >= 0.01;
  return (
    `Two kinds of fairness are measured here. Calibration within groups asks whether a score means the same risk for every group (the calibration table). ` +
    `Error-rate balance asks whether people who did not have the outcome are flagged equally often in every group, and likewise those who did (the error-rate table). ` +
    `When groups differ in how often the outcome happens${differ ? ` (here from ${percent(Math.min(...rates))} to ${percent(Math.max(...rates))})` : ''}, no score can satisfy both at once (Kleinberg, Mullainathan and Raghavan 2016; Chouldechova 2017), so a difference in one of them is expected and is a matter for judgement, not a defect of the arithmetic.`
  );
}

/** The features whose part in the scores differs most from the reference's, in a sentence; null when none stands out. */
export function driverSentence(c: GroupComparison, d: DriverComparison, max = 3): string | null {
  const unit = d.unit;
  const found = d.rows.flatMap((r) =>
    r.differences.flatMap((e, k) => (e && e.standsOut ? [{ feature: r.label, group: c.groups[k].group, e }] : [])),
  );
  if (found.length === 0) return null;
  found.sort((a, b) => Math.abs(b.e.value) - Math.abs(a.e.value));
  const conf = percent(c.confidence, 0);
  const digits = unit === 'percentage points' ? 1 : 2;
  const said = found.slice(0, max).map(({ feature, group, e }) => {
    const interval = e.interval ? ` (${conf} interval ${fixedNumber(e.interval[0], digits)} to ${fixedNumber(e.interval[1], digits)})` : '';
    return `${feature} moves the scores of ${group} by ${fixedNumber(Math.abs(e.value), digits)} ${unit} ${e.value > 0 ? 'more' : 'less'} on average than those of ${c.reference}${interval}`;
  });
  return `Where the score's drivers differ most between groups: ${said.join('; ')}. This says how the model uses the answers, not what causes the outcome.`;
}
