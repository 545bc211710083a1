/**
 * The words of the sensitivity sections (report/sensitivity.ts) and the keyboard cursor along a curve:
 * every status said, the options' sentences built from their own numbers, the search's proof or bound,
 * the family letter worded as sensitivity (never advice, never a prediction), and the cursor's keys.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cursorAfter, curveSentence } from '../../extension/engine/report/curveCharts';
import { summaryDocument } from '../../extension/engine/report/content';
import { optionSentence, plainSensitivityBlocks, recourseStatusSentence, searchSentence } from '../../extension/engine/report/sensitivity';
import type { RecourseSection } from '../../extension/engine/recourse/types';
import { sampleSummary } from './report-sample';

const summary = sampleSummary();
const recourse = summary.sensitivity!.recourse;
const curves = summary.sensitivity!.curves.curves;

test('each status in words, the option built from its own numbers, and how sure the search is', () => {
  const o = recourse.options[0];
  assert.equal(optionSentence(o, summary.header), 'If School attendance were regular instead of irregular, the score would be 49% (Medium).');
  assert.equal(recourseStatusSentence(recourse, summary.header), `The smallest change that brings the score to Medium or a lower band (a score below 50%): ${optionSentence(o, summary.header)}`);
  const as = (status: RecourseSection['status'], more: Partial<RecourseSection> = {}) => recourseStatusSentence({ ...recourse, status, options: [], ...more }, summary.header);
  assert.equal(as('none'), 'No change to the features that can change (any number of them, within their values and directions) brings the score to Medium or a lower band (a score below 50%): the case stays in High whatever they are.');
  const bothFree = recourse.changeable.map(({ fixed: _, ...c }) => c);
  assert.match(as('none', { changeable: bothFree }), /\(at most 1 feature, within their values and directions\)/, '--max-changes 1 of 2 said');
  assert.match(as('nothing-changeable', { changeable: [] }), /No feature is marked as able to change \("riskFactor": "dynamic"\) in the project/);
  assert.match(as('nothing-changeable'), /None of the features that can change could lower the score/);
  assert.match(as('in-target', { target: null }), /^The case is in the band High; there is no lower band to reach from here\.$/);
  assert.match(as('stopped'), /^The search stopped before it found a change/);
  assert.match(searchSentence(recourse), /^Exact \(3 sets of changes scored\): no option is smaller than the first/);
  assert.equal(
    searchSentence({ ...recourse, search: { evaluated: 200000, complete: false, bound: { changes: 2, size: 3.5 } } }),
    'The search stopped at its budget (200,000 sets of changes scored); the options listed are proven the smallest, in order, but there may be more. Any option not listed changes at least 2 features, and with exactly 2 changes them by at least 3.5 in total.',
  );
});

test('curve sentences: the lowest and highest score and where; flat curves said to be flat', () => {
  assert.equal(curveSentence(curves[0], true), `${curves[0].label} (static; this case 3): from 40% at 0 to 64% at 4.`);
  assert.equal(curveSentence(curves[1], true), 'School attendance (dynamic; this case irregular): from 55% at regular to 66% at none.');
  assert.equal(curveSentence({ ...curves[0], points: curves[0].points.map((p) => ({ ...p, score: 0.3 })) }, true), `${curves[0].label} (static; this case 3): the score stays at 30% across its values.`);
});

test('the family letter: the dynamic items only, as sensitivity, no advice and no prediction', () => {
  const blocks = plainSensitivityBlocks(summary.sensitivity, summary.header);
  const text = JSON.stringify(blocks);
  assert.ok(text.includes('What the score counts that can change'));
  assert.ok(text.includes('School attendance (recorded: irregular): the score would be between 55 and 66 in 100'));
  assert.ok(!text.includes(curves[0].label), 'static items are not listed');
  assert.ok(text.includes('It is not advice, and it does not say what you will do.'));
  for (const advice of [/\byou should\b/i, /\btry to\b/i, /\bif you\b/i, /\bwill (lower|reduce)\b/i, /\bstop\b/i, /\breduce your\b/i]) assert.ok(!advice.test(text), `${advice}`);
  assert.deepEqual(plainSensitivityBlocks({ ...summary.sensitivity!, curves: { ...summary.sensitivity!.curves, curves: curves.map((c) => ({ ...c, riskFactor: 'static' as const })) } }, summary.header), [], 'nothing to say when nothing can change');
  const letter = summaryDocument(summary, { plainLanguage: true });
  const headings = letter.blocks.filter((b) => b.kind === 'heading').map((b) => (b as { text: string }).text);
  assert.ok(headings.indexOf('What the score counts that can change') < headings.indexOf('What the score is not'));
});

test('the cursor: arrows from the case\'s own point, one step at a time, Home and End, other keys left alone', () => {
  const c = curves[0]; // values 0..4, the case at 3
  assert.equal(cursorAfter('ArrowLeft', null, c), 3, 'starts at the case\'s point');
  assert.equal(cursorAfter('ArrowLeft', 3, c), 2);
  assert.equal(cursorAfter('ArrowRight', 4, c), 4, 'stays at the end');
  assert.equal(cursorAfter('ArrowLeft', 0, c), 0);
  assert.equal(cursorAfter('Home', 3, c), 0);
  assert.equal(cursorAfter('End', 0, c), 4);
  assert.equal(cursorAfter('j', 2, c), undefined, 'j and k still walk the cases');
  assert.equal(cursorAfter('ArrowRight', null, curves[3]), 0, 'a missing value starts at the first point');
});
