/**
 * The summary in words: one function per statement, used by the Markdown, HTML and PDF documents and by
 * the panel alike. Every function returns plain text; the renderers escape it.
 */
import type { EffectScale } from './drivers';
import { count, fixedNumber, magnitude, percent, plainNumber, pointsSize, scoreText, wordList } from './format';
import type {
  AttributionRow,
  AttributionSummary,
  CalibrationSection,
  CaseHeader,
  CaseSummary,
  Condition,
  Fidelity,
  GroupCalibration,
  ReliabilityBin,
  ReviewDecision,
  SurrogateSection,
  WhatIfScenario,
} from './types';

/** An ISO time stamp as shown: "2026-11-23 12:00:00 UTC". */
export function timeText(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "Prior referrals (3)": a feature as people name it, with this case's value. */
export function featureWithValue(row: Pick<AttributionRow, 'label' | 'valueText'>): string {
  return `${row.label} (${row.valueText})`;
}

/**
 * One driver in a sentence: "Prior referrals (3) raised the estimated risk by 9.1 points." The verb
 * follows the scale: points of probability, log-odds, or the instrument's points.
 */
export function driverSentence(row: AttributionRow, scale: EffectScale): string {
  const v = scale.effect(row);
  const who = featureWithValue(row);
  const size = magnitude(v);
  if (size === 'less than 0.1') return `${who} made almost no difference to the ${scale.unit === 'points' ? 'total' : 'estimated risk'}.`;
  const up = v > 0;
  const points = size === '1' ? 'point' : 'points';
  switch (scale.unit) {
    case 'probability points':
      return `${who} ${up ? 'raised' : 'lowered'} the estimated risk by ${size} ${points}.`;
    case 'points':
      return `${who} ${up ? 'added' : 'took'} ${size} ${points} ${up ? 'to' : 'off'} the total.`;
    case 'log-odds':
      return `${who} ${up ? 'raised' : 'lowered'} the log-odds of the outcome by ${size}.`;
  }
}

/** The same in words for the person concerned: direction and a rough size, no jargon. */
export function plainDriverSentence(row: AttributionRow, scale: EffectScale): string {
  const v = scale.effect(row);
  const who = featureWithValue(row);
  if (magnitude(v) === 'less than 0.1') return `${who} made almost no difference.`;
  const dir = v > 0 ? 'higher' : 'lower';
  const about = plainNumber(Math.abs(v), 0);
  if (scale.unit === 'probability points') return `${who} made the estimate ${dir}, by about ${about === '0' ? 'less than 1' : about} in 100.`;
  return `${who} made the estimate ${dir}.`;
}

/** "Starting from the average case (31%), the features below move the estimate to this case's 62.3%." */
export function attributionIntro(scale: EffectScale, isProbability: boolean): string {
  const show = (v: number) => (scale.unit === 'probability points' ? percent(v / 100) : scale.unit === 'points' ? `${plainNumber(v, 2)} points` : `${plainNumber(v, 3)} log-odds`);
  const base = `Starting from the score of an average case (${show(scale.start)}), each feature of this case moves the estimate up or down; together they reach this case's ${show(scale.end)}.`;
  if (scale.unit === 'log-odds' && isProbability) return `${base} Effects are on the log-odds scale, where they add up exactly.`;
  return base;
}

export function thresholdSentence(header: CaseHeader): string {
  const t = scoreText(header.threshold, header.scoreIsProbability, header.scoreUnit);
  return header.flagged
    ? `The score is at or above the decision threshold of ${t}, so the case is flagged.`
    : `The score is below the decision threshold of ${t}, so the case is not flagged.`;
}

export function outcomeText(header: CaseHeader): string {
  if (header.outcomeColumn === null) return 'not given';
  if (header.outcome === null) return `not known (${header.outcomeColumn})`;
  if (header.outcome === 'hidden') return 'hidden until you record your decision (blind review)';
  return header.outcome === 1 ? `happened (${header.outcomeColumn} = 1)` : `did not happen (${header.outcomeColumn} = 0)`;
}

export function groupsText(header: CaseHeader): string {
  return header.groups.length ? header.groups.map((g) => `${g.group} (${g.column})`).join('; ') : 'none named';
}

/** One condition of a rule: "prior referrals is 2.5 or more (or missing)". */
export function conditionText(c: Condition): string {
  const missing = c.includesMissing ? ' (or missing)' : '';
  switch (c.kind) {
    case 'below':
      return `${c.label} is below ${plainNumber(c.threshold)}${missing}`;
    case 'atLeast':
      return `${c.label} is ${plainNumber(c.threshold)} or more${missing}`;
    case 'in':
      return `${c.label} is ${wordList(c.categories)}${missing}`;
    case 'missing':
      return `${c.label} is missing`;
    case 'known':
      return `${c.label} is known`;
  }
}

/** The surrogate's rule for the case in one sentence. */
export function ruleSentence(s: SurrogateSection, header: CaseHeader): string {
  const leaf = s.nodes[s.path[s.path.length - 1]];
  const when = s.rule.length ? `When ${wordList(s.rule.map(conditionText), 'and')}` : 'For every case';
  return `${when}, the simple rule gives a score of ${scoreText(s.leafScore, header.scoreIsProbability, header.scoreUnit)} (${count(leaf.n, 'training case')} follow this path).`;
}

export function fidelitySentence(f: Fidelity): string {
  return f.kind === 'r2'
    ? `${capitalise(f.measure)}: ${plainNumber(f.value, 2)} over ${count(f.n, 'case')} (1 would be a perfect imitation).`
    : `${capitalise(f.measure)}: ${percent(f.value)} of ${count(f.n, 'case')}.`;
}

export function agreementSentence(s: SurrogateSection, header: CaseHeader): string {
  if (s.agreesWithModel) return `For this case the rule and the model agree: ${header.flagged ? 'both flag it' : 'neither flags it'}.`;
  return `For this case the rule and the model disagree: the model ${header.flagged ? 'flags' : 'does not flag'} it and the rule does not, so the rule explains this case poorly.`;
}

/** How well the rule fits this case: its score and band beside the model's, and how the miss ranks. */
export function caseFitSentence(s: SurrogateSection, header: CaseHeader): string {
  const f = s.caseFit;
  const p = header.scoreIsProbability;
  const said = `The rule gives ${scoreText(s.leafScore, p, header.scoreUnit)} (${f.ruleBand}) where the model scores ${scoreText(header.score, p, header.scoreUnit)} (${f.modelBand})`;
  const spread = p ? `${plainNumber(f.leafSpread * 100, 1)} points` : `${plainNumber(f.leafSpread, 2)} points`;
  if (!f.poorlyServed) return `${said}: the rule serves this case well. ${percent(f.errorRank, 0)} of cases are fitted more closely, and in this branch the model's scores spread by ±${spread}.`;
  const why = [f.ruleBand !== f.modelBand ? 'it puts the case in another band' : '', `it misses this case by more than it misses ${percent(f.errorRank, 0)} of cases`];
  return `${said}: the rule serves this case poorly (${wordList(why.filter(Boolean), 'and')}), so rely on the attributions above instead.`;
}

export function groupName(g: Pick<GroupCalibration, 'column' | 'group'>): string {
  return `${g.group} (${g.column})`;
}

function binSentence(who: string, bin: ReliabilityBin, section: CalibrationSection): string {
  const conf = percent(section.confidence, 0);
  if (section.scale === 'score') {
    // On a score's own scale a score is no probability, so there is nothing to be "in line" with: say what happened.
    const at = bin.lower === bin.upper ? `with a score of ${plainNumber(bin.upper, 2)}` : `scored ${plainNumber(bin.lower, 2)} to ${plainNumber(bin.upper, 2)}`;
    return `Among ${who} ${at} (${count(bin.n, 'case')}), the outcome happened for ${percent(bin.observedRate)} (${conf} interval ${percent(bin.interval[0])} to ${percent(bin.interval[1])}).`;
  }
  const range = `scored ${percent(bin.lower, 0)} to ${percent(bin.upper, 0)}`;
  const verdict =
    bin.meanScore < bin.interval[0]
      ? 'so in this range the score has been lower than what happened (it understates the risk)'
      : bin.meanScore > bin.interval[1]
        ? 'so in this range the score has been higher than what happened (it overstates the risk)'
        : 'so in this range the score has been in line with what happened';
  return `Among ${who} ${range} (${count(bin.n, 'case')}, average score ${percent(bin.meanScore)}), the outcome happened for ${percent(bin.observedRate)} (${conf} interval ${percent(bin.interval[0])} to ${percent(bin.interval[1])}), ${verdict}.`;
}

/**
 * How well the score has matched outcomes near this case's score, for the case's group — and, whatever
 * that says, how it has done across all the group's scores when that differs beyond chance, so that a
 * group whose scores understate its outcomes is never only called "in line" near one score.
 */
export function groupCalibrationSentence(g: GroupCalibration, section: CalibrationSection): string {
  const who = `cases in ${groupName(g)}`;
  const near = g.caseBin ? binSentence(who, g.caseBin, section) : `No cases in ${groupName(g)} had a score near this case's, so the score cannot be checked there.`;
  const overall = g.columnMetrics.find((m) => m.label === g.group)?.calibrationInTheLarge;
  if (!overall?.interval || !(overall.interval[0] > 0 || overall.interval[1] < 0)) return near;
  const verb = overall.value > 0 ? 'overstate' : 'understate';
  const conf = percent(section.confidence, 0);
  return `${near} Across all their scores, though, the scores ${verb} what happened for ${groupName(g)} by ${pointsSize(overall.value)} percentage points on average (${conf} interval ${fixedNumber(overall.interval[0] * 100, 1)} to ${fixedNumber(overall.interval[1] * 100, 1)}).`;
}

export function everyoneCalibrationSentence(section: CalibrationSection): string {
  return section.everyoneCaseBin ? binSentence('all cases', section.everyoneCaseBin, section) : 'No cases had a score near this case\'s, so the score cannot be checked there.';
}

export function smallGroupWarning(g: GroupCalibration): string | null {
  if (!g.smallGroup) return null;
  return `Caution: only ${count(g.smallGroup.n, 'case')} with a known outcome in ${groupName(g)} (fewer than ${g.smallGroup.minimum}); its figures are very uncertain.`;
}

/**
 * The calibration near the case in words, as the documents and `risk-review calibration --case` say it:
 * per group (followed by its small-group caution, if any), then everyone. Cautions are marked so a
 * document can set them apart.
 */
export function calibrationStatements(section: CalibrationSection): { readonly text: string; readonly caution: boolean }[] {
  const lines: { text: string; caution: boolean }[] = [];
  for (const g of section.groups) {
    lines.push({ text: groupCalibrationSentence(g, section), caution: false });
    const warning = smallGroupWarning(g);
    if (warning) lines.push({ text: warning, caution: true });
  }
  lines.push({ text: everyoneCalibrationSentence(section), caution: false });
  return lines;
}

export function whatIfSentence(w: WhatIfScenario, header: CaseHeader): string {
  const changes = w.changes.map((c) => `${c.label} changed from ${c.from} to ${c.to}`);
  return `If ${wordList(changes, 'and')}, the score would be ${scoreText(w.score, header.scoreIsProbability, header.scoreUnit)} (${w.band}).`;
}

/** Text the reviewer typed, ending as a sentence (a full stop added unless it already ends in one). */
function asSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

export function decisionSentence(d: ReviewDecision): string {
  const who = d.reviewer ? `The reviewer (${d.reviewer})` : 'The reviewer';
  const reason = d.reason.trim();
  const override = d.verdict === 'disagree' && d.assignedBand ? `, and would place the case in the band ${d.assignedBand}` : '';
  return `${who} ${d.verdict === 'agree' ? 'agreed' : 'disagreed'} with the score on ${timeText(d.time)}${override}${reason ? `: ${asSentence(reason)}` : '.'}`;
}

/**
 * The review for the person concerned: whether a person reviewed the score and what they decided, without
 * names or times; the reviewer's reason and notes only when the agency chooses to include them.
 */
export function plainDecisionSentences(d: ReviewDecision | null, withReviewerText = false): string[] {
  if (!d) return ['The score has not been reviewed by a person yet.'];
  const lines = [d.verdict === 'agree' ? 'A reviewer checked the score and agreed with it.' : 'A reviewer checked the score and did not agree with it.'];
  if (d.verdict === 'disagree' && d.assignedBand) lines.push(`They would place the case in the band ${d.assignedBand}.`);
  if (withReviewerText && d.reason.trim()) lines.push(`The reviewer's reason: ${asSentence(d.reason.trim())}`);
  if (withReviewerText && d.notes.trim()) lines.push(`The reviewer's notes: ${asSentence(d.notes.trim())}`);
  return lines;
}

/** Whether the decision was made without seeing the known outcome, for the summary's facts. */
export function blindText(d: ReviewDecision): string {
  if (d.blind === undefined) return 'not recorded (a decision from before Risk Review recorded it)';
  return d.blind ? 'yes: the known outcome, and every figure computed from it, were hidden until the decision was recorded' : 'no: the known outcome was shown while deciding';
}

/** A short guide to the technical summary, for the sections it has. */
export function howToRead(summary: CaseSummary): string[] {
  const lines = [
    summary.header.scoreIsProbability
      ? "The score is the model's estimate of the chance that the outcome happens for cases like this one. It is an estimate for a group of similar cases, not a certainty about this person."
      : "The score is the instrument's total of points. Higher totals mean higher assessed risk.",
    'The band and the flag follow fixed rules on the score; the threshold is set by the agency, not by the model.',
  ];
  if (summary.attribution) lines.push("Drivers are exact Shapley values: each feature's share of the difference between this case's score and the score of an average case. They say what moved the model, not what causes the outcome.");
  if (summary.surrogate) lines.push('The simple rule is a small decision tree trained to imitate the model. Its fidelity says how often it matches the model; a rule with low fidelity explains little.');
  if (summary.calibration) lines.push("Calibration compares scores with what actually happened, for everyone and for the case's group. Intervals show the uncertainty; small groups give wide intervals and weak evidence.");
  lines.push('The fingerprints (SHA-256) identify the exact model and data files used; the same files always give the same summary.');
  return lines;
}

/** For the person concerned and their family: what the score is and what it is not. */
export function plainLanguageIntro(header: CaseHeader): string[] {
  const s = header.scoreIsProbability
    ? `A computer model estimated the chance of the outcome at ${percent(header.score, 0)}. That means: of 100 people with records like this one, about ${plainNumber(header.score * 100, 0)} would be expected to have the outcome.`
    : `A scoring form added up points from the record. The total is ${plainNumber(header.score, 1)}.`;
  return [
    s,
    header.flagged ? 'The score is above the level the agency uses to look more closely at a case.' : 'The score is below the level the agency uses to look more closely at a case.',
    'A person reviews every score. The score does not make the decision.',
  ];
}

export function plainLanguageIsNot(): string[] {
  return [
    'The score is not a judgement of you or your family.',
    'It does not say what you will do. Many people with high scores never have the outcome, and some with low scores do.',
    'It only uses the information in the record. It does not know everything about your life.',
    'If something in the record is wrong, you can ask for it to be corrected.',
  ];
}

export function interactionSentence(i: NonNullable<AttributionSummary['topInteraction']>): string {
  return `The strongest interaction is between ${i.labels[0]} and ${i.labels[1]}: together they add ${plainNumber(i.value, 3)} log-odds beyond their separate effects.`;
}

/** Calibration for the person concerned: how often people with similar scores had the outcome. */
export function plainCalibrationSentence(section: CalibrationSection, group: GroupCalibration | null): string {
  const bin = group ? group.caseBin : section.everyoneCaseBin;
  const who = group ? `people in the same group (${group.group})` : 'people';
  if (!bin) return `There were too few past cases of ${who} with similar scores to check the score.`;
  const small = group?.smallGroup ? ' This group is small, so this check is not very certain.' : '';
  return `Among ${who} with similar scores, about ${plainNumber(bin.observedRate * 100, 0)} in 100 had the outcome. The model had estimated about ${plainNumber(bin.meanScore * 100, 0)} in 100.${small}`;
}
