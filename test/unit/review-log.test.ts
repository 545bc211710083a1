/**
 * The review log (extension/engine/reviewLog.ts): one line per decision, appended and never rewritten;
 * a last line cut short by a crash is skipped on reading and never swallows the next decision;
 * concurrent appends do not interleave; decisions are matched to the model and data they were about.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../extension/engine/errors';
import { appendEntry, MAX_ENTRY_BYTES, decisionsFor, latestVerdicts, parseEntry, parseLog, readLog, type ReviewLogEntry } from '../../extension/engine/reviewLog';

const MODEL = 'a'.repeat(64);
const DATA = 'b'.repeat(64);

function entry(caseId: string, verdict: 'agree' | 'disagree' = 'agree', extra: Partial<ReviewLogEntry> = {}): ReviewLogEntry {
  return { caseId, verdict, reason: 'reason', notes: 'notes', reviewer: 'ana', modelSha256: MODEL, dataSha256: DATA, model: 'm', time: '2025-01-02T03:04:05.000Z', ...extra };
}

const tmp = () => join(mkdtempSync(join(tmpdir(), 'rr-log-')), 'sub', 'reviews.jsonl');

test('appends create the folder and file, one complete JSON line per decision, read back in order', async () => {
  const file = tmp();
  const a = entry('J-1', 'agree', { notes: 'line one\nline "two" — ü' });
  const b = entry('J-2', 'disagree');
  await appendEntry(file, a);
  await appendEntry(file, b);
  const text = readFileSync(file, 'utf8');
  assert.equal(text.split('\n').length, 3, 'two lines and a final newline');
  assert.ok(text.endsWith('\n'));
  assert.deepEqual(await readLog(file), { entries: [a, b], skippedLines: [] });
});

test('a missing log reads as empty', async () => {
  assert.deepEqual(await readLog(join(tmpdir(), 'no-such-dir-rr', 'reviews.jsonl')), { entries: [], skippedLines: [] });
});

test('a truncated last line is skipped, and the next append starts on a new line', async () => {
  const file = tmp();
  await appendEntry(file, entry('J-1'));
  const whole = JSON.stringify(entry('J-2')) + '\n';
  appendFileSync(file, whole.slice(0, 40)); // a crash mid-write
  const before = await readLog(file);
  assert.deepEqual(before.entries.map((e) => e.caseId), ['J-1']);
  assert.deepEqual(before.skippedLines, [2]);
  await appendEntry(file, entry('J-3'));
  const after = await readLog(file);
  assert.deepEqual(after.entries.map((e) => e.caseId), ['J-1', 'J-3'], 'the cut line did not swallow the new decision');
  assert.deepEqual(after.skippedLines, [2]);
});

test('concurrent appends never interleave within a line', async () => {
  const file = tmp();
  const long = 'x'.repeat(20_000);
  const all = Array.from({ length: 60 }, (_, k) => entry(`J-${k}`, k % 2 ? 'agree' : 'disagree', { notes: long }));
  await Promise.all(all.map((e) => appendEntry(file, e)));
  const { entries, skippedLines } = await readLog(file);
  assert.deepEqual(skippedLines, []);
  assert.deepEqual(new Set(entries.map((e) => e.caseId)), new Set(all.map((e) => e.caseId)));
  assert.equal(entries.length, 60);
});

test('an entry longer than a line may hold is refused with a clear message, and nothing is written', async () => {
  const file = tmp();
  const huge = entry('J-1', 'agree', { notes: 'n'.repeat(600 * 1024) });
  await assert.rejects(appendEntry(file, huge), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /reviews\.jsonl: the decision takes [\d,]+ bytes as a line of the review log, more than a line may hold \(262,144\); shorten the reason or the notes$/);
    return true;
  });
  assert.equal(existsSync(file), false);
  // Just under the bound is one line, written whole.
  const big = entry('J-2', 'agree', { notes: 'n'.repeat(MAX_ENTRY_BYTES - 1000) });
  await appendEntry(file, big);
  assert.deepEqual((await readLog(file)).entries, [big]);
});

test('writers in separate processes appending lines near the bound never interleave', async () => {
  const file = tmp();
  const writer = (k: number) => `
    const { appendEntry } = require(${JSON.stringify(join(__dirname, '..', '..', 'extension', 'engine', 'reviewLog.ts'))});
    (async () => {
      for (let i = 0; i < 12; i++) await appendEntry(${JSON.stringify(file)}, { caseId: 'P${k}-' + i, verdict: 'agree', reason: 'r', notes: '${k}'.repeat(${MAX_ENTRY_BYTES - 1000}), reviewer: 'w${k}', modelSha256: '${MODEL}', dataSha256: '${DATA}', model: 'm', time: '2025-01-02T03:04:05.000Z' });
    })();`;
  const children = [1, 2, 3, 4].map((k) => spawn(process.execPath, ['--require', 'tsx/cjs', '-e', writer(k)], { cwd: join(__dirname, '..', '..'), stdio: ['ignore', 'ignore', 'inherit'] }));
  const codes = await Promise.all(children.map((c) => new Promise<number | null>((resolve) => c.on('exit', resolve))));
  assert.deepEqual(codes, [0, 0, 0, 0]);
  const { entries, skippedLines } = await readLog(file);
  assert.deepEqual(skippedLines, []);
  assert.equal(entries.length, 48);
  for (const e of entries) assert.ok(e.notes === e.caseId[1].repeat(e.notes.length), `line of ${e.caseId} holds only its own writer's text`);
});

test('lines that are not decisions are skipped with their line numbers; CRLF and blank lines are fine', () => {
  const good = JSON.stringify(entry('J-1'));
  const text = [good, '', 'not json', JSON.stringify({ ...entry('J-2'), verdict: 'maybe' }), JSON.stringify({ ...entry('J-3'), modelSha256: 'short' }), good + '\r', '[1,2]'].join('\n');
  const { entries, skippedLines } = parseLog(text);
  assert.equal(entries.length, 2);
  assert.deepEqual(skippedLines, [3, 4, 5, 7]);
});

test('parseEntry rebuilds the entry from its checked fields only', () => {
  const e = parseEntry(JSON.stringify({ ...entry('J-1'), extra: '<script>', __proto__: { polluted: true } }));
  assert.deepEqual(e, entry('J-1'));
  assert.equal(parseEntry(JSON.stringify({ ...entry('J-1'), time: 'yesterday' })), null);
  assert.equal(parseEntry(JSON.stringify({ ...entry('J-1'), reason: 3 })), null);
});

test('a disagreement may name the band the reviewer would assign; it is kept, and only with a disagreement', () => {
  const override = { ...entry('J-1', 'disagree'), assignedBand: 'Moderate' };
  assert.deepEqual(parseEntry(JSON.stringify(override)), override);
  assert.equal(parseEntry(JSON.stringify({ ...entry('J-1', 'agree'), assignedBand: 'Moderate' })), null, 'agreeing names no other band');
  assert.equal(parseEntry(JSON.stringify({ ...override, assignedBand: 3 })), null);
  assert.deepEqual(decisionsFor([override, entry('J-1', 'disagree')], 'J-1', MODEL, DATA).map((d) => d.assignedBand), ['Moderate', undefined]);
});

test('decisions are matched to the model and data they were about; the latest verdict wins', () => {
  const other = 'c'.repeat(64);
  const log = [
    entry('J-1', 'agree', { time: '2025-01-01T00:00:00.000Z' }),
    entry('J-1', 'disagree', { time: '2025-01-02T00:00:00.000Z', modelSha256: other }),
    entry('J-2', 'agree'),
    entry('J-1', 'disagree', { time: '2025-01-03T00:00:00.000Z' }),
  ];
  assert.deepEqual(
    decisionsFor(log, 'J-1', MODEL, DATA).map((d) => [d.verdict, d.time]),
    [
      ['agree', '2025-01-01T00:00:00.000Z'],
      ['disagree', '2025-01-03T00:00:00.000Z'],
    ],
  );
  const latest = latestVerdicts(log, MODEL, DATA);
  assert.equal(latest.get('J-1')?.verdict, 'disagree');
  assert.equal(latest.get('J-2')?.verdict, 'agree');
  assert.equal(latestVerdicts(log, other, DATA).get('J-1')?.verdict, 'disagree');
  assert.equal(latestVerdicts(log, other, DATA).size, 1);
});

test('an existing log written by hand without a final newline keeps its last entry', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'rr-log-')), 'reviews.jsonl');
  writeFileSync(file, JSON.stringify(entry('J-1')));
  await appendEntry(file, entry('J-2'));
  assert.deepEqual((await readLog(file)).entries.map((e) => e.caseId), ['J-1', 'J-2']);
});
