/**
 * Several processes appending to one review log at once (VS Code windows and the CLI): no decision that a
 * writer saw saved is lost, no two lines interleave however long they are, and the chain stays whole —
 * also when writers are killed in the middle of a write, which leaves their lock behind (fileLock.ts).
 * The writers are separate processes (test/helpers/log-writer.ts), as they are for real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { withFileLock } from '../../extension/engine/fileLock';
import { isInputError } from '../../extension/engine/errors';
import { verifyLog } from '../../extension/engine/reviewLog';

const WRITER = join(__dirname, '..', 'helpers', 'log-writer.ts');
const logFile = () => join(mkdtempSync(join(tmpdir(), 'rr-concurrent-')), 'reviews.jsonl');

interface Writer {
  readonly child: ChildProcess;
  /** Case ids whose append returned, as the writer printed them. */
  readonly confirmed: string[];
  readonly done: Promise<number | null>;
}

function writer(...args: string[]): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const confirmed: string[] = [];
  let pending = '';
  child.stdout!.on('data', (d: Buffer) => {
    pending += d.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    confirmed.push(...lines);
  });
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, confirmed, done };
}

const until = async (ok: () => boolean, what: string) => {
  for (const deadline = Date.now() + 60_000; !ok(); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** The pid in the lock file, if there is one. */
function lockHolder(file: string): number | null {
  try {
    return (JSON.parse(readFileSync(`${file}.lock`, 'utf8')) as { pid: number }).pid;
  } catch {
    return null;
  }
}

/** Every line of the log is a whole entry or, where a writer was killed, the start of one: never two mixed. */
function assertNoInterleaving(file: string): void {
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    assert.ok(line.startsWith('{"caseId":"'), `a line does not start an entry: ${line.slice(0, 80)}`);
    assert.equal(line.indexOf('{"caseId"', 1), -1, `two entries share a line: ${line.slice(0, 80)}…`);
  }
}

test('four writer processes at once, with entries of 200 KiB among them (near the 256 KiB a line may hold): every confirmed decision is there once, the chain is whole', { timeout: 120_000 }, async () => {
  const file = logFile();
  const writers = ['A', 'B', 'C', 'D'].map((p) => writer('append', file, p, '30', String(200 * 1024)));
  const codes = await Promise.all(writers.map((w) => w.done));
  assert.deepEqual(codes, [0, 0, 0, 0]);
  const { entries, skippedLines, verification } = await verifyLog(file);
  assert.deepEqual(skippedLines, []);
  assert.deepEqual(verification.problems, []);
  const confirmed = writers.flatMap((w) => w.confirmed);
  assert.equal(confirmed.length, 120);
  assert.deepEqual(entries.map((e) => e.caseId).sort(), confirmed.sort());
  assert.equal(entries.filter((e) => e.notes.length === 200 * 1024).length, 12);
  for (const w of ['A', 'B', 'C', 'D']) {
    const own = entries.filter((e) => e.reviewer === `writer-${w}`).map((e) => e.caseId);
    assert.deepEqual(own, Array.from({ length: 30 }, (_, k) => `${w}-${k + 1}`), 'each writer\'s decisions in the order it made them');
  }
  assertNoInterleaving(file);
  assert.equal(existsSync(`${file}.lock`), false, 'the lock is gone');
});

test('a writer killed mid-write leaves a torn line and its lock; the next writers break the lock, and only the torn line is reported', { timeout: 120_000 }, async () => {
  const file = logFile();
  const first = writer('append', file, 'A', '3');
  assert.equal(await first.done, 0);
  const tearing = writer('tear', file);
  await until(() => tearing.confirmed.includes('torn'), 'the writer to be mid-write');
  assert.ok(existsSync(`${file}.lock`), 'the killed writer holds the lock');
  tearing.child.kill('SIGKILL');
  await tearing.done;
  const torn = await verifyLog(file);
  assert.deepEqual(torn.verification.problems, [{ kind: 'torn', line: 4 }]);
  assert.ok(existsSync(`${file}.lock`), 'its lock is left behind');

  const after = ['B', 'C', 'D'].map((p) => writer('append', file, p, '10'));
  assert.deepEqual(await Promise.all(after.map((w) => w.done)), [0, 0, 0]);
  const { entries, verification } = await verifyLog(file);
  assert.deepEqual(verification.problems, [{ kind: 'not-an-entry', line: 4 }], 'the torn line is the only problem; the chain runs through it');
  assert.deepEqual(entries.map((e) => e.caseId).sort(), [...first.confirmed, ...after.flatMap((w) => w.confirmed)].sort());
  assertNoInterleaving(file);
  assert.equal(existsSync(`${file}.lock`), false);
});

test('writers killed at random moments while others write: no confirmed decision lost, no break in the chain, no interleaving', { timeout: 180_000 }, async (t) => {
  const file = logFile();
  const steady = ['A', 'B'].map((p) => writer('append', file, p, '150', String(64 * 1024)));
  const killed: Writer[] = [];
  let heldWhenKilled = 0;
  for (let round = 0; round < 6; round++) {
    const w = writer('append', file, `K${round}`, '1000', String(64 * 1024));
    killed.push(w);
    await until(() => w.confirmed.length >= 1 + round, `writer K${round} to start appending`);
    await new Promise((r) => setTimeout(r, Math.random() * 20));
    w.child.kill('SIGKILL');
    await w.done;
    if (lockHolder(file) === w.child.pid) heldWhenKilled++;
  }
  assert.deepEqual(await Promise.all(steady.map((w) => w.done)), [0, 0]);
  const { entries, verification } = await verifyLog(file);
  const confirmed = [...steady, ...killed].flatMap((w) => w.confirmed);
  const logged = new Set(entries.map((e) => e.caseId));
  assert.deepEqual(confirmed.filter((id) => !logged.has(id)), [], 'confirmed decisions missing from the log');
  assert.equal(logged.size, entries.length, 'no decision twice');
  // Most kills land while the writer holds the lock (its fsync takes longest), so the others must break it.
  t.diagnostic(`${heldWhenKilled} of 6 writers were killed holding the lock; ${verification.problems.length} cut lines among ${verification.lines}`);
  const kinds = new Set(verification.problems.map((p) => p.kind));
  for (const k of kinds) assert.ok(k === 'not-an-entry' || k === 'torn', `problem ${k}: ${JSON.stringify(verification.problems)}`);
  assertNoInterleaving(file);
});

test('a lock left by a process that has ended is broken at once; one held by a live process is waited for, then reported', async () => {
  const file = logFile();
  const ended = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => ended.on('exit', r));
  writeFileSync(`${file}.lock`, JSON.stringify({ pid: ended.pid, host: hostname(), token: 'x', time: new Date().toISOString() }));
  const started = Date.now();
  assert.equal(await withFileLock(file, async () => 'ran'), 'ran');
  assert.ok(Date.now() - started < 2_000);
  assert.equal(existsSync(`${file}.lock`), false);

  writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), token: 'live', time: '2025-01-01T00:00:00.000Z' }));
  await assert.rejects(
    withFileLock(file, async () => 'ran', { timeoutMs: 200 }),
    (e: unknown) => isInputError(e) && e.message === `${file}.lock: is locked by process ${process.pid} on ${hostname()} since 2025-01-01T00:00:00.000Z; if no Risk Review is writing to the review log, delete this lock file`,
  );
  assert.equal(JSON.parse(readFileSync(`${file}.lock`, 'utf8')).token, 'live', 'a live holder\'s lock is not touched');
  // Held longer than a lock ever needs to be (a reused pid, a hung process): stale whoever holds it.
  const old = new Date(Date.now() - 60_000);
  utimesSync(`${file}.lock`, old, old);
  assert.equal(await withFileLock(file, async () => 'ran', { staleMs: 30_000 }), 'ran');
  // A lock its taker never wrote (it died between creating and writing it) is stale after a few seconds.
  writeFileSync(`${file}.lock`, '');
  utimesSync(`${file}.lock`, old, old);
  assert.equal(await withFileLock(file, async () => 'ran'), 'ran');
});

test('the lock is released when the work fails; two holders in one process take turns', async () => {
  const file = logFile();
  await assert.rejects(withFileLock(file, async () => {
    throw new Error('boom');
  }), /boom/);
  assert.equal(existsSync(`${file}.lock`), false);
  const order: string[] = [];
  await Promise.all([
    withFileLock(file, async () => {
      order.push('a+');
      await new Promise((r) => setTimeout(r, 50));
      order.push('a-');
    }),
    withFileLock(file, async () => {
      order.push('b+');
      order.push('b-');
    }),
  ]);
  assert.ok(order.join() === 'a+,a-,b+,b-' || order.join() === 'b+,b-,a+,a-', `the two holders overlapped: ${order}`);
});
