/**
 * The review log's hash chain (extension/engine/logChain.ts): every way a log can be changed after the
 * fact — an entry edited, edited and re-sealed, removed, moved, the log's start cut, a torn last line,
 * an entry added by hand — shows in `verifyLog` at the right line, and nothing else does (line ends
 * converted to CRLF, blank lines, entries from before the chain).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealLine, sealOf } from '../../extension/engine/logChain';
import { chainProblemText } from '../../extension/engine/report/decisions';
import { appendEntry, parseAndVerify, readLog, verifyLog, type ReviewLogEntry } from '../../extension/engine/reviewLog';

const entry = (caseId: string, extra: Partial<ReviewLogEntry> = {}): ReviewLogEntry => ({
  caseId,
  verdict: 'agree',
  reason: '',
  notes: '',
  band: 'High',
  blind: true,
  reviewer: 'ana',
  modelSha256: 'a'.repeat(64),
  dataSha256: 'b'.repeat(64),
  model: 'm',
  time: '2025-01-02T03:04:05.000Z',
  version: '0.2.0',
  ...extra,
});
const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

async function logOf(count: number): Promise<{ file: string; lines: string[] }> {
  const file = join(mkdtempSync(join(tmpdir(), 'rr-chain-')), 'reviews.jsonl');
  for (let k = 1; k <= count; k++) await appendEntry(file, entry(`J-${k}`, { notes: `note ${k} — ü "quoted"` }));
  return { file, lines: readFileSync(file, 'utf8').split('\n').slice(0, -1) };
}

const kinds = (text: string) => parseAndVerify(text).verification.problems.map((p) => `${p.kind}@${p.line}${'after' in p ? `<${p.after}` : ''}`);

test('appended entries form a chain: the first names no predecessor, each next the SHA-256 of the line before; each is sealed by its own hash', async () => {
  const { file, lines } = await logOf(3);
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(parsed[0].prev, null);
  assert.equal(parsed[1].prev, sha(lines[0]));
  assert.equal(parsed[2].prev, sha(lines[1]));
  for (const l of lines) {
    const m = /,"hash":"([0-9a-f]{64})"\}$/.exec(l)!;
    assert.equal(m[1], sha(l.slice(0, m.index) + '}'), 'the hash covers the line without itself');
    assert.equal(sealOf(l), 'intact');
  }
  assert.deepEqual(Object.keys(parsed[0]).slice(-2), ['prev', 'hash']);
  const v = await verifyLog(file);
  assert.deepEqual(v.verification, { lines: 3, entries: 3, unchainedBefore: 0, problems: [], head: sha(lines[2]), intact: true });
  assert.deepEqual(v.entries.map((e) => e.caseId), ['J-1', 'J-2', 'J-3']);
  assert.deepEqual(v.entries[0], entry('J-1', { notes: 'note 1 — ü "quoted"' }), 'the chain fields are not part of the decision');
});

test('an entry edited in place is reported at its line, and only there', async () => {
  const { lines } = await logOf(4);
  const edited = [...lines];
  edited[1] = edited[1].replace('"verdict":"agree"', '"verdict":"disagree"');
  assert.deepEqual(kinds(edited.join('\n') + '\n'), ['edited@2']);
  const lastEdited = [...lines];
  lastEdited[3] = lastEdited[3].replace('note 4', 'note 5');
  assert.deepEqual(kinds(lastEdited.join('\n') + '\n'), ['edited@4'], 'the newest entry has no successor, and its own hash still shows the edit');
});

test('an entry edited and re-sealed breaks the chain at the next line', async () => {
  const { lines } = await logOf(4);
  const fields = JSON.parse(lines[1]) as Record<string, unknown>;
  delete fields.hash;
  const resealed = [...lines];
  resealed[1] = sealLine({ ...fields, reason: 'changed my mind' });
  assert.deepEqual(kinds(resealed.join('\n') + '\n'), ['broken@3<2']);
});

test('removing, moving or duplicating an entry, or cutting the start, breaks the chain where it happened', async () => {
  const { lines } = await logOf(5);
  const join_ = (ls: string[]) => ls.join('\n') + '\n';
  assert.deepEqual(kinds(join_([lines[0], lines[1], lines[3], lines[4]])), ['broken@3<2']);
  assert.deepEqual(kinds(join_([lines[0], lines[2], lines[1], lines[3], lines[4]])), ['broken@2<1', 'broken@3<2', 'broken@4<3']);
  assert.deepEqual(kinds(join_([lines[0], lines[1], lines[1], lines[2], lines[3], lines[4]])), ['broken@3<2'], 'a copy of line 2 does not follow line 2');
  assert.deepEqual(kinds(join_(lines.slice(2))), ['broken@1<null']);
  assert.match(chainProblemText({ kind: 'broken', line: 1, after: null }), /start of the log was removed/);
});

test('removing the newest entries leaves no trace in the file: the head hash is what shows it', async () => {
  const { lines } = await logOf(3);
  const whole = parseAndVerify(lines.join('\n') + '\n').verification;
  const cut = parseAndVerify(lines.slice(0, 2).join('\n') + '\n').verification;
  assert.equal(cut.intact, true);
  assert.notEqual(cut.head, whole.head);
});

test('a torn last line is reported as such; once the next entry follows it, it is a line that is not a decision, and the chain runs through it', async () => {
  const { file, lines } = await logOf(2);
  const next = sealLine({ ...entry('J-3'), prev: sha(lines[1]) });
  appendFileSync(file, next.slice(0, 50));
  const torn = await verifyLog(file);
  assert.deepEqual(torn.verification.problems, [{ kind: 'torn', line: 3 }]);
  assert.match(chainProblemText(torn.verification.problems[0]), /^line 3, the last, is cut short: a write was interrupted/);
  assert.deepEqual(torn.entries.map((e) => e.caseId), ['J-1', 'J-2']);
  await appendEntry(file, entry('J-4'));
  const after = await verifyLog(file);
  assert.deepEqual(after.verification.problems, [{ kind: 'not-an-entry', line: 3 }]);
  assert.deepEqual(after.entries.map((e) => e.caseId), ['J-1', 'J-2', 'J-4']);
  const text = readFileSync(file, 'utf8').split('\n');
  assert.equal(JSON.parse(text[3]).prev, sha(next.slice(0, 50)), 'the new entry names the torn line, so removing it later shows');
});

test('line ends converted to CRLF and blank lines change nothing; a line added by hand does', async () => {
  const { lines } = await logOf(3);
  assert.deepEqual(kinds(lines.join('\r\n') + '\r\n'), []);
  assert.deepEqual(kinds([lines[0], '', '  ', lines[1], lines[2]].join('\n')), []);
  const byHand = JSON.stringify(entry('J-9'));
  assert.deepEqual(kinds([lines[0], byHand, lines[1], lines[2]].join('\n')), ['unchained@2', 'broken@3<2']);
  assert.deepEqual(kinds([lines[0], lines[1], '{"caseId": "J-1"}', lines[2]].join('\n')), ['not-an-entry@3', 'broken@4<3']);
});

test('entries from before the chain are counted, not blamed; the first chained entry after them links to the last', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'rr-chain-')), 'reviews.jsonl');
  const legacy = { caseId: 'J-0', verdict: 'agree', reason: '', notes: '', reviewer: 'ana', modelSha256: 'a'.repeat(64), dataSha256: 'b'.repeat(64), model: 'm', time: '2024-01-01T00:00:00.000Z' };
  writeFileSync(file, `${JSON.stringify(legacy)}\n${JSON.stringify({ ...legacy, caseId: 'J-00' })}\n`);
  await appendEntry(file, entry('J-1'));
  const v = await verifyLog(file);
  assert.equal(v.verification.unchainedBefore, 2);
  assert.equal(v.verification.intact, true);
  assert.deepEqual((await readLog(file)).entries.map((e) => e.caseId), ['J-0', 'J-00', 'J-1']);
  assert.equal(JSON.parse(readFileSync(file, 'utf8').split('\n')[2]).prev, sha(JSON.stringify({ ...legacy, caseId: 'J-00' })));
});

test('a chained entry with a malformed hash or prev is not a decision', async () => {
  const { lines } = await logOf(1);
  assert.deepEqual(kinds(lines[0].replace(/"prev":null/, '"prev":"zz"') + '\n'), ['not-an-entry@1']);
  assert.deepEqual(kinds(lines[0].replace(/,"hash":"[0-9a-f]+"/, '') + '\n'), ['not-an-entry@1'], 'prev without hash');
});

test('the append reads back the last line across chunk boundaries (a line longer than the read size)', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'rr-chain-')), 'reviews.jsonl');
  await appendEntry(file, entry('J-1', { notes: 'é'.repeat(100_000) }));
  await appendEntry(file, entry('J-2'));
  await appendEntry(file, entry('J-3', { notes: 'x'.repeat(200_000) }));
  await appendEntry(file, entry('J-4'));
  assert.deepEqual((await verifyLog(file)).verification.problems, []);
});
