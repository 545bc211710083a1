/** The summary's words and numbers: driver sentences, rules, calibration statements, number formats. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectScale, foldDrivers, rankedRows } from '../../extension/engine/report/drivers';
import { magnitude, percent, plainNumber, signed } from '../../extension/engine/report/format';
import {
  agreementSentence,
  caseFitSentence,
  conditionText,
  decisionSentence,
  driverSentence,
  groupCalibrationSentence,
  outcomeText,
  plainDecisionSentences,
  blindText,
  plainDriverSentence,
  ruleSentence,
  smallGroupWarning,
  thresholdSentence,
} from '../../extension/engine/report/sentences';
import type { AttributionRow, AttributionSummary, GroupCalibration } from '../../extension/engine/report/types';
import { sampleSummary } from './report-sample';

const row = (over: Partial<AttributionRow>): AttributionRow => ({ feature: 'prior', label: 'Prior referrals', value: 3, valueText: '3', contribution: 0.4, probabilityPoints: 9, ...over });

test('numbers read without float noise', () => {
  assert.equal(plainNumber(0.1 + 0.2), '0.3');
  assert.equal(plainNumber(-0.0001), '0');
  assert.equal(plainNumber(20, 0), '20');
  assert.equal(plainNumber(2.5), '2.5');
  assert.equal(plainNumber(NaN), 'missing');
  assert.equal(percent(0.623), '62.3%');
  assert.equal(percent(0.2, 0), '20%');
  assert.equal(signed(9.12), '+9.1');
  assert.equal(signed(-12.4), '-12');
  assert.equal(signed(0.01), '0');
  assert.equal(magnitude(-0.01), 'less than 0.1');
});

test('the issue\'s example sentence: "3 prior referrals raised the estimated risk by 9 points"', () => {
  const s = sampleSummary();
  const scale = effectScale(s.attribution!, s.header);
  assert.equal(scale.unit, 'probability points');
  assert.equal(driverSentence(row({}), scale), 'Prior referrals (3) raised the estimated risk by 9 points.');
  assert.equal(driverSentence(row({ probabilityPoints: -1 }), scale), 'Prior referrals (3) lowered the estimated risk by 1 point.');
  assert.equal(driverSentence(row({ probabilityPoints: 0.01 }), scale), 'Prior referrals (3) made almost no difference to the estimated risk.');
  assert.equal(plainDriverSentence(row({ probabilityPoints: 9.4 }), scale), 'Prior referrals (3) made the estimate higher, by about 9 in 100.');
});

test('effects are shown in probability points only when they add up to the change in score', () => {
  const s = sampleSummary();
  const a = s.attribution!;
  const broken: AttributionSummary = { ...a, rows: a.rows.map((r, j) => (j === 0 ? { ...r, probabilityPoints: r.probabilityPoints! + 5 } : r)) };
  const scale = effectScale(broken, s.header);
  assert.equal(scale.unit, 'log-odds');
  assert.equal(scale.start, a.baseValue);
  assert.equal(scale.end, s.header.margin);
  assert.match(driverSentence(a.rows[0], scale), /raised the log-odds of the outcome by 0\.5\./);
  const instrument = effectScale({ ...a, scale: 'points', rows: a.rows.map((r) => ({ ...r, probabilityPoints: null })) }, { ...s.header, scoreIsProbability: false });
  assert.equal(instrument.unit, 'points');
  assert.equal(driverSentence(row({ contribution: 2 }), instrument), 'Prior referrals (3) added 2 points to the total.');
  assert.equal(driverSentence(row({ contribution: -1 }), instrument), 'Prior referrals (3) took 1 point off the total.');
});

test('drivers rank by size and the folded rest keeps the total', () => {
  const s = sampleSummary();
  const scale = effectScale(s.attribution!, s.header);
  const ranked = rankedRows(s.attribution!, scale);
  for (let k = 1; k < ranked.length; k++) assert.ok(Math.abs(scale.effect(ranked[k - 1])) >= Math.abs(scale.effect(ranked[k])));
  const { shown, rest } = foldDrivers(s.attribution!, scale, 5);
  assert.equal(shown.length, 4);
  assert.equal(rest!.count, ranked.length - 4);
  const total = shown.reduce((t, r) => t + scale.effect(r), 0) + rest!.effect;
  assert.ok(Math.abs(scale.start + total - scale.end) < 1e-9);
});

test('rules and conditions in words', () => {
  const s = sampleSummary();
  assert.equal(conditionText(s.surrogate!.rule[0]), 'Prior referrals is 1.5 or more (or missing)');
  assert.equal(conditionText({ kind: 'in', feature: 'o', label: 'Offense', categories: ['theft', 'assault', 'fraud'], includesMissing: false }), 'Offense is theft, assault or fraud');
  assert.equal(
    ruleSentence(s.surrogate!, s.header),
    'When Prior referrals is 1.5 or more (or missing) and Age at first referral is below 14, the simple rule gives a score of 71% (200 training cases follow this path).',
  );
  assert.match(agreementSentence(s.surrogate!, s.header), /agree: both flag it/);
  assert.match(agreementSentence({ ...s.surrogate!, agreesWithModel: false }, s.header), /disagree/);
  assert.equal(
    caseFitSentence(s.surrogate!, s.header),
    "The rule gives 71% (High) where the model scores 62.3% (High): the rule serves this case well. 64% of cases are fitted more closely, and in this branch the model's scores spread by ±8 points.",
  );
  const poor = { ...s.surrogate!, caseFit: { ruleBand: 'Medium', modelBand: 'High', errorRank: 0.97, leafSpread: 0.1, poorlyServed: true } };
  assert.match(caseFitSentence(poor, s.header), /serves this case poorly \(it puts the case in another band and it misses this case by more than it misses 97% of cases\), so rely on the attributions/);
});

test('calibration statements say in line, overstates or understates from the interval', () => {
  const s = sampleSummary();
  const c = s.calibration!;
  const g = c.groups[0];
  const bin = (meanScore: number, observedRate: number, interval: [number, number]) => ({ lower: 0.6, upper: 0.8, n: 40, meanScore, observedRate, interval });
  const withBin = (b: ReturnType<typeof bin>): GroupCalibration => ({ ...g, caseBin: b });
  assert.match(groupCalibrationSentence(withBin(bin(0.7, 0.68, [0.55, 0.8])), c), /in line with what happened/);
  assert.match(groupCalibrationSentence(withBin(bin(0.7, 0.4, [0.3, 0.5])), c), /overstates the risk/);
  assert.match(groupCalibrationSentence(withBin(bin(0.7, 0.9, [0.8, 0.95])), c), /understates the risk/);
  // In line near this score; and where the group's scores overall differ from what happened beyond chance,
  // that is said too, so the group is never only called "in line".
  const inLine = 'Among cases in Female (sex) scored 60% to 80% (40 cases, average score 70%), the outcome happened for 68% (95% interval 55% to 80%), so in this range the score has been in line with what happened.';
  const own = g.columnMetrics.find((m) => m.label === g.group)!;
  assert.deepEqual(own.calibrationInTheLarge, { value: 0.032, interval: [0.022, 0.042] });
  assert.equal(
    groupCalibrationSentence(withBin(bin(0.7, 0.68, [0.55, 0.8])), c),
    `${inLine} Across all their scores, though, the scores overstate what happened for Female (sex) by 3.2 percentage points on average (95% interval 2.2 to 4.2).`,
  );
  const withinChance = { ...g, columnMetrics: g.columnMetrics.map((m) => (m === own ? { ...m, calibrationInTheLarge: { value: 0.01, interval: [-0.005, 0.025] as const } } : m)) };
  assert.equal(groupCalibrationSentence({ ...withinChance, caseBin: bin(0.7, 0.68, [0.55, 0.8]) }, c), inLine);
  assert.match(groupCalibrationSentence({ ...g, caseBin: null }, c), /No cases in Female \(sex\)/);
  assert.match(smallGroupWarning(g)!, /only 30 cases .*\(fewer than 50\)/);
  assert.equal(smallGroupWarning({ ...g, smallGroup: null }), null);
});

test('threshold and outcome', () => {
  const h = sampleSummary().header;
  assert.equal(thresholdSentence(h), 'The score is at or above the decision threshold of 50%, so the case is flagged.');
  assert.equal(thresholdSentence({ ...h, flagged: false }), 'The score is below the decision threshold of 50%, so the case is not flagged.');
  assert.equal(outcomeText(h), 'happened (reoffended = 1)');
  assert.equal(outcomeText({ ...h, outcome: null }), 'not known (reoffended)');
  assert.equal(outcomeText({ ...h, outcome: null, outcomeColumn: null }), 'not given');
});

test('a decision in words, with the band a disagreeing reviewer would assign', () => {
  const time = '2026-11-23T12:00:00.000Z';
  const agree = { verdict: 'agree' as const, reason: '', notes: '', reviewer: 'ana', time };
  assert.match(decisionSentence(agree), /^The reviewer \(ana\) agreed with the score on .+\.$/);
  const override = { verdict: 'disagree' as const, reason: 'two referrals were dismissed', notes: '', reviewer: 'ana', time, assignedBand: 'Moderate' };
  assert.match(decisionSentence(override), /^The reviewer \(ana\) disagreed with the score on .+, and would place the case in the band Moderate: two referrals were dismissed\.$/);
  assert.deepEqual(plainDecisionSentences(override), ['A reviewer checked the score and did not agree with it.', 'They would place the case in the band Moderate.'], 'the letter leaves the reviewer\'s words out unless asked');
  assert.deepEqual(plainDecisionSentences({ ...override, notes: 'seen the file' }, true), [
    'A reviewer checked the score and did not agree with it.',
    'They would place the case in the band Moderate.',
    "The reviewer's reason: two referrals were dismissed.",
    "The reviewer's notes: seen the file.",
  ]);
  assert.deepEqual(plainDecisionSentences(agree, true), ['A reviewer checked the score and agreed with it.']);
  assert.deepEqual(plainDecisionSentences(null), ['The score has not been reviewed by a person yet.']);
  assert.match(blindText({ ...agree, blind: true }), /^yes: the known outcome, and every figure computed from it, were hidden/);
  assert.match(blindText({ ...agree, blind: false }), /^no: the known outcome was shown/);
  assert.match(blindText(agree), /^not recorded/);
  assert.doesNotMatch(decisionSentence({ ...override, assignedBand: undefined }), /would place/);
});
