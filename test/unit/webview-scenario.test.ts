/** The what-if editor's reading of input, its changes and the scenario it keeps; keys; stored state. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTypingTarget, navigationKey } from '../../webview/keys';
import type { FeatureField } from '../../webview/protocol';
import { changedFields, inputText, outOfRange, parseInput, scenarioOf, valueText } from '../../webview/scenario';
import { EMPTY_STATE, readState } from '../../webview/state';

const count: FeatureField = { name: 'prior', label: 'Prior referrals', min: 0, max: 12 };
const strict: FeatureField = { name: 'age', label: 'Age', min: 10, max: 17, acceptsMissing: false };
const sex: FeatureField = { name: 'sex', label: 'Sex', min: 0, max: 1, categories: ['Female', 'Male'] };

test('numbers are read in plain decimal notation only', () => {
  assert.deepEqual(parseInput(count, '3'), { ok: true, value: 3 });
  assert.deepEqual(parseInput(count, ' -2.5 '), { ok: true, value: -2.5 });
  assert.deepEqual(parseInput(count, '.5'), { ok: true, value: 0.5 });
  assert.deepEqual(parseInput(count, '1e3'), { ok: true, value: 1000 });
  for (const t of ['0x10', 'abc', '1,5', '--1', 'Infinity', 'NaN', '1e999', '3 4']) assert.equal(parseInput(count, t).ok, false, t);
});

test('an empty entry is a missing value only where the model scores one', () => {
  assert.deepEqual(parseInput(count, '  '), { ok: true, value: null });
  assert.equal(parseInput(strict, '').ok, false);
  assert.deepEqual(parseInput(sex, ''), { ok: true, value: null });
});

test('a category is chosen by its index, within range', () => {
  assert.deepEqual(parseInput(sex, '1'), { ok: true, value: 1 });
  for (const t of ['2', '-1', '0.5', 'Male']) assert.equal(parseInput(sex, t).ok, false, t);
});

test('values as people read them and as the editor shows them', () => {
  assert.equal(valueText(sex, 1), 'Male');
  assert.equal(valueText(count, null), 'missing');
  assert.equal(valueText({ ...count, imputedAs: 1.23456 }, null), 'missing (taken as 1.2346)');
  assert.equal(valueText({ ...count, imputedAs: 1.23456 }, 2), '2');
  assert.equal(valueText(count, 0.1 + 0.2), '0.3');
  assert.equal(inputText(count, null), '');
  assert.equal(inputText(sex, 1), '1');
  assert.equal(inputText(count, 2.5), '2.5');
});

test('out of range is flagged for numbers outside what the cases show', () => {
  assert.equal(outOfRange(count, 13), true);
  assert.equal(outOfRange(count, -1), true);
  assert.equal(outOfRange(count, 12), false);
  assert.equal(outOfRange(count, null), false);
  assert.equal(outOfRange(sex, 5), false);
});

test('the kept scenario lists exactly the changed features, in words, with the answer', () => {
  const fields = [count, strict, sex];
  const original = { prior: 3, age: 15, sex: 0 };
  assert.deepEqual(changedFields(fields, original, { ...original }), []);
  const current = { prior: null, age: 15, sex: 1 };
  assert.deepEqual(changedFields(fields, original, current).map((f) => f.name), ['prior', 'sex']);
  assert.deepEqual(scenarioOf(fields, original, current, { score: 0.41, band: 'Moderate' }, '  after school report '), {
    changes: [
      { feature: 'prior', label: 'Prior referrals', from: '3', to: 'missing' },
      { feature: 'sex', label: 'Sex', from: 'Female', to: 'Male' },
    ],
    score: 0.41,
    band: 'Moderate',
    note: 'after school report',
  });
  assert.equal('note' in scenarioOf(fields, original, current, { score: 0.41, band: 'M' }, '   '), false);
});

const key = (k: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = {}) => ({ key: k, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });

test('j / k move between cases, but not while typing; modified keys are left to VS Code keybindings', () => {
  assert.equal(navigationKey(key('j'), false), 'next');
  assert.equal(navigationKey(key('k'), false), 'previous');
  assert.equal(navigationKey(key('ArrowRight'), false), null);
  assert.equal(navigationKey(key('j'), true), null);
  assert.equal(navigationKey(key('ArrowDown', { altKey: true }), false), null);
  assert.equal(navigationKey(key('ArrowRight', { altKey: true }), false), null);
  assert.equal(navigationKey(key('j', { ctrlKey: true }), false), null);
  assert.equal(navigationKey(key('J', { shiftKey: true }), false), null);
  assert.equal(navigationKey(key('j', { altKey: true }), false), null);
});

test('typing targets: inputs, text areas, the toolkit fields and editable content', () => {
  for (const tagName of ['INPUT', 'textarea', 'SELECT', 'VSCODE-TEXT-FIELD', 'vscode-text-area', 'VSCODE-DROPDOWN']) assert.equal(isTypingTarget({ tagName }), true, tagName);
  assert.equal(isTypingTarget({ tagName: 'DIV', isContentEditable: true }), true);
  for (const tagName of ['BODY', 'VSCODE-BUTTON', 'VSCODE-RADIO', 'SUMMARY']) assert.equal(isTypingTarget({ tagName }), false, tagName);
  assert.equal(isTypingTarget(null), false);
});

test('stored panel state is read defensively', () => {
  assert.deepEqual(readState(undefined), EMPTY_STATE);
  assert.deepEqual(readState('x'), EMPTY_STATE);
  assert.deepEqual(readState({ caseId: 'J-1', scrollY: 120, open: ['attribution', 3, 'whatif'] }), { caseId: 'J-1', scrollY: 120, open: ['attribution', 'whatif'] });
  assert.deepEqual(readState({ caseId: 7, scrollY: -4, open: 'all' }), { caseId: null, scrollY: 0, open: [] });
  assert.deepEqual(readState({ caseId: 'J', scrollY: NaN }), { caseId: 'J', scrollY: 0, open: [] });
});

test('an unsent draft is kept only when well formed, and its values only when finite', () => {
  const s = readState({ caseId: 'J-1', scrollY: 0, open: [], draft: { caseId: 'J-1', verdict: 'agree', reason: 'r', notes: 'n', values: { a: 3, b: null, c: 'x', d: Infinity } } });
  assert.ok(s.draft);
  assert.equal(s.draft.verdict, 'agree');
  assert.deepEqual({ ...s.draft.values }, { a: 3, b: null });
  assert.equal(readState({ caseId: 'J-1', draft: { caseId: 'J-1', verdict: 'maybe', reason: '', notes: '', values: null } }).draft?.verdict, null);
  assert.equal(readState({ caseId: 'J-1', draft: { caseId: 'J-1', reason: 3, notes: '' } }).draft, undefined);
  assert.equal('draft' in readState({ caseId: 'J-1' }), false);
});

test('features named like Object.prototype members are ordinary names in a scenario', () => {
  const fields: FeatureField[] = ['constructor', 'toString', '__proto__'].map((name) => ({ name, label: name, min: 0, max: 9 }));
  const original = JSON.parse('{"constructor": 1, "toString": 2, "__proto__": 3}');
  assert.deepEqual(changedFields(fields, original, JSON.parse('{"constructor": 1, "toString": 2, "__proto__": 3}')), []);
  const s = scenarioOf(fields, original, JSON.parse('{"constructor": 1, "toString": 5, "__proto__": null}'), { score: 0.4, band: 'Low' });
  assert.deepEqual(s.changes.map((c) => [c.feature, c.from, c.to]), [['toString', '2', '5'], ['__proto__', '3', 'missing']]);
  // A name the values lack is missing, not Object's constructor.
  assert.deepEqual(scenarioOf(fields, {}, {}, { score: 0.4, band: 'Low' }).changes, []);
});
