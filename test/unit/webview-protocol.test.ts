/**
 * The panel's message contract: the host accepts only well-formed panel messages, rebuilt from their
 * checked fields; the panel ignores host messages of a shape it does not know.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_TEXT, parseFromHost, parseFromWebview, type WebviewMessage } from '../../webview/protocol';
import { sampleSummary } from './report-sample';

const good: WebviewMessage[] = [
  { type: 'ready' },
  { type: 'ready', caseId: 'J-1' },
  { type: 'navigate', to: 'next' },
  { type: 'navigate', to: 'previous' },
  { type: 'openCase', caseId: 'J-000042' },
  { type: 'export', caseId: 'J-1' },
  { type: 'whatIf', caseId: 'J-1', seq: 7, values: { prior_referrals: 9, school: null } },
  { type: 'keepScenario', caseId: 'J-1', scenario: { changes: [{ feature: 'a', label: 'A', from: '1', to: '2' }], score: 0.4, band: 'Low', note: 'n' } },
  { type: 'keepScenario', caseId: 'J-1', scenario: { changes: [], score: 0.4, band: 'Low' } },
  { type: 'decide', caseId: 'J-1', verdict: 'disagree', reason: 'r', notes: '' },
  { type: 'decide', caseId: 'J-1', verdict: 'disagree', reason: 'r', notes: '', assignedBand: 'Moderate' },
  { type: 'decisionsView' },
  { type: 'history', caseId: 'J-7' },
  { type: 'showLog' },
];

test('every well-formed panel message passes unchanged', () => {
  // Through JSON, as postMessage's structured clone would deliver it; values come back prototype-free.
  for (const m of good) assert.deepEqual(JSON.parse(JSON.stringify(parseFromWebview(JSON.parse(JSON.stringify(m))))), m);
});

test('panel messages are rebuilt from their checked fields: extra fields are dropped', () => {
  assert.deepEqual(parseFromWebview({ type: 'navigate', to: 'next', command: 'rm -rf /' }), { type: 'navigate', to: 'next' });
  assert.deepEqual(parseFromWebview({ type: 'decide', caseId: 'c', verdict: 'agree', reason: '', notes: '', reviewer: 'mallory' }), { type: 'decide', caseId: 'c', verdict: 'agree', reason: '', notes: '' });
  assert.deepEqual(parseFromWebview({ type: 'showLog', file: '/etc/passwd' }), { type: 'showLog' }, 'the host opens its own log, never a file the panel names');
});

test('malformed panel messages are refused', () => {
  const bad: unknown[] = [
    null,
    'ready',
    [],
    { type: 'unknown' },
    { type: 'navigate', to: 'sideways' },
    { type: 'openCase' },
    { type: 'openCase', caseId: '' },
    { type: 'openCase', caseId: 42 },
    { type: 'ready', caseId: 3 },
    { type: 'whatIf', caseId: 'c', seq: 1.5, values: {} },
    { type: 'whatIf', caseId: 'c', seq: 1, values: { a: 'nine' } },
    { type: 'whatIf', caseId: 'c', seq: 1, values: { a: Infinity } },
    { type: 'whatIf', caseId: 'c', seq: 1, values: { a: NaN } },
    { type: 'whatIf', caseId: 'c', seq: 1, values: [1, 2] },
    { type: 'decide', caseId: 'c', verdict: 'maybe', reason: '', notes: '' },
    { type: 'decide', caseId: 'c', verdict: 'agree', reason: 'x'.repeat(MAX_TEXT + 1), notes: '' },
    { type: 'decide', caseId: 'c', verdict: 'agree', reason: '' },
    { type: 'decide', caseId: 'c', verdict: 'agree', reason: '', notes: '', assignedBand: 'Low' },
    { type: 'decide', caseId: 'c', verdict: 'disagree', reason: 'r', notes: '', assignedBand: '' },
    { type: 'decide', caseId: 'c', verdict: 'disagree', reason: 'r', notes: '', assignedBand: 2 },
    { type: 'keepScenario', caseId: 'c', scenario: { changes: [{ feature: 'a' }], score: 0.1, band: 'L' } },
    { type: 'keepScenario', caseId: 'c', scenario: { changes: [], score: '0.1', band: 'L' } },
    { type: 'history' },
    { type: 'history', caseId: '' },
  ];
  for (const m of bad) assert.equal(parseFromWebview(m), null, JSON.stringify(m));
});

test('a what-if whose feature is named __proto__ cannot reach any prototype', () => {
  const m = parseFromWebview(JSON.parse('{"type":"whatIf","caseId":"c","seq":1,"values":{"__proto__":5,"a":1}}'));
  assert.ok(m && m.type === 'whatIf');
  assert.equal(Object.getPrototypeOf(m.values), null);
  assert.equal(m.values['__proto__' as string], 5);
  assert.equal(({} as Record<string, unknown>).a, undefined);
});

test('neither parser throws: any JSON value gives a message or null', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.constantFrom('ready', 'navigate', 'openCase', 'whatIf', 'keepScenario', 'decide', 'export', 'decisionsView', 'history', 'showLog', 'decisions', 'view', 'case'), (v, type) => {
      const withType = typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...v, type } : v;
      const r = parseFromWebview(withType);
      assert.ok(r === null || typeof r.type === 'string');
      const h = parseFromHost(withType);
      assert.ok(h === null || h === withType);
    }),
  );
});

test('host messages: known shapes pass, unknown or incomplete ones are ignored', () => {
  const summary = sampleSummary();
  const caseMsg = { type: 'case', summary, index: 0, total: 3, fields: [], values: {}, decisions: [], bands: ['Low', 'High'], recordingBlocked: null, blind: false };
  assert.equal(parseFromHost(caseMsg), caseMsg);
  assert.equal(parseFromHost({ ...caseMsg, blind: undefined }), null, 'whether the case is shown blind must be said');
  assert.ok(parseFromHost({ ...caseMsg, recordingBlocked: 'not trusted' }));
  assert.equal(parseFromHost({ ...caseMsg, recordingBlocked: undefined }), null, 'whether decisions can be recorded must be said');
  assert.equal(parseFromHost({ ...caseMsg, values: undefined }), null);
  assert.equal(parseFromHost({ ...caseMsg, summary: { header: { caseId: 'x' } } }), null);
  const answer = { type: 'whatIf', caseId: 'J', seq: 2, score: 0.3, margin: -0.8, band: 'Low', attribution: summary.attribution };
  assert.equal(parseFromHost(answer), answer);
  assert.equal(parseFromHost({ ...answer, margin: undefined }), null);
  assert.equal(parseFromHost({ ...answer, seq: '2' }), null);
  assert.ok(parseFromHost({ type: 'whatIfError', caseId: 'J', seq: 2, message: 'm' }));
  assert.ok(parseFromHost({ type: 'error', message: 'm' }));
  assert.ok(parseFromHost({ type: 'loading', message: 'm' }));
  assert.equal(parseFromHost({ type: 'error' }), null);
  assert.ok(parseFromHost({ type: 'decisionSaved', caseId: 'J', decision: summary.decision }));
  assert.equal(parseFromHost({ type: 'decisionSaved', caseId: 'J', decision: { verdict: 'perhaps' } }), null);
  assert.ok(parseFromHost({ type: 'recording', blocked: null }));
  assert.ok(parseFromHost({ type: 'recording', blocked: 'not trusted' }));
  assert.equal(parseFromHost({ type: 'recording' }), null);
  const overview = { rows: [], byGroup: [], verification: { intact: true } };
  assert.ok(parseFromHost({ type: 'decisions', overview }));
  assert.equal(parseFromHost({ type: 'decisions', overview: { ...overview, rows: undefined } }), null);
  assert.ok(parseFromHost({ type: 'decisionsError', message: 'm' }));
  assert.ok(parseFromHost({ type: 'history', caseId: 'J', decisions: [] }));
  assert.equal(parseFromHost({ type: 'history', caseId: 'J' }), null);
  assert.ok(parseFromHost({ type: 'view', view: 'decisions' }));
  assert.equal(parseFromHost({ type: 'view', view: 'elsewhere' }), null);
  assert.equal(parseFromHost({ type: 'reload' }), null);
  assert.equal(parseFromHost('case'), null);
});
