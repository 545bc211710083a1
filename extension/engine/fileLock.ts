/**
 * An exclusive lock between processes (VS Code windows, the CLI) on one file, as a lock file beside it:
 * `FILE.lock`, created with O_CREAT | O_EXCL (`wx`), which at most one process can do at a time, holding
 * who took it: `{"pid":…,"host":…,"token":…,"time":…}`. It is removed when the work is done.
 *
 * A holder that dies (killed, crashed, machine off) leaves its lock behind. A lock is stale, and is broken,
 * when its process is gone (same host, `kill(pid, 0)` says no such process), or when it is older than
 * `staleMs` whoever holds it (a pid can be reused; a lock from another host cannot be checked; the work a
 * lock guards here takes milliseconds), or when it is still empty after a few seconds (its taker died
 * between creating and writing it). Breaking renames the lock aside, atomically, and deletes it only if it
 * is the stale one that was examined: two processes that find the same stale lock cannot both break it,
 * and one that finds a lock just taken by another puts it back. (Only if a third process takes the lock
 * in the microseconds between could two hold it; such a race needs a stale lock and three writers at once.)
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { InputError } from './errors';

export interface LockOptions {
  /** How long to wait for another holder before giving up (default 60 s, past `staleMs`). */
  readonly timeoutMs?: number;
  /** A lock older than this is stale whoever holds it (default 30 s). */
  readonly staleMs?: number;
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
  readonly time: string;
}

interface SeenLock {
  readonly raw: string;
  readonly owner: LockOwner | null;
  readonly ageMs: number;
}

/** A lock left empty this long was abandoned by a taker that died before writing it. */
const EMPTY_STALE_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code;
}

function parseOwner(raw: string): LockOwner | null {
  try {
    const v = JSON.parse(raw) as Partial<LockOwner>;
    return typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.token === 'string' && typeof v.time === 'string' ? (v as LockOwner) : null;
  } catch {
    return null;
  }
}

/** The lock as it is now, or null when it has gone. */
function look(lockFile: string): SeenLock | null {
  try {
    const raw = readFileSync(lockFile, 'utf8');
    const ageMs = Date.now() - statSync(lockFile).mtimeMs;
    return { raw, owner: parseOwner(raw), ageMs };
  } catch (e) {
    if (code(e) === 'ENOENT') return null;
    throw e;
  }
}

/** Whether process `pid` on this machine is running (EPERM: it is, under another user). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return code(e) === 'EPERM';
  }
}

function isStale(seen: SeenLock, staleMs: number): boolean {
  if (seen.ageMs > staleMs) return true;
  if (!seen.owner) return seen.ageMs > EMPTY_STALE_MS;
  return seen.owner.host === hostname() && !running(seen.owner.pid);
}

/** Moves the stale lock `seen` out of the way, or puts back a lock someone took since it was seen. */
function breakStale(lockFile: string, seen: SeenLock, token: string): void {
  const aside = `${lockFile}.${process.pid}.${token}.stale`;
  try {
    renameSync(lockFile, aside);
  } catch (e) {
    if (code(e) === 'ENOENT') return; // another process broke it first
    throw e;
  }
  try {
    if (readFileSync(aside, 'utf8') !== seen.raw) linkSync(aside, lockFile);
  } catch {
    // EEXIST: a third process took the lock meanwhile; the one moved aside is lost (see the module's comment).
  }
  unlinkSync(aside);
}

function tryTake(lockFile: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(lockFile, 'wx', 0o644);
  } catch (e) {
    if (code(e) === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(owner));
  } finally {
    closeSync(fd);
  }
  return true;
}

function held(seen: SeenLock | null): string {
  if (!seen?.owner) return '';
  return ` by process ${seen.owner.pid} on ${seen.owner.host} since ${seen.owner.time}`;
}

/**
 * Runs `work` holding the lock on `file` (the lock file is `file + ".lock"`), waiting for another holder
 * to finish and breaking a stale lock. Fails with an `InputError` naming the lock file when it stays held.
 */
export async function withFileLock<T>(file: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lockFile = `${file}.lock`;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const staleMs = options.staleMs ?? 30_000;
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex'), time: new Date().toISOString() };
  const deadline = Date.now() + timeoutMs;
  let wait = 1;
  while (!tryTake(lockFile, owner)) {
    const seen = look(lockFile);
    if (seen === null) continue; // released just now: try again at once
    if (isStale(seen, staleMs)) {
      breakStale(lockFile, seen, owner.token);
      continue;
    }
    if (Date.now() > deadline) {
      throw new InputError(`is locked${held(seen)}; if no Risk Review is writing to the review log, delete this lock file`, { file: lockFile });
    }
    await sleep(wait + Math.random() * wait);
    wait = Math.min(wait * 2, 50);
  }
  try {
    return await work();
  } finally {
    release(lockFile, owner.token);
  }
}

/** Removes the lock only if it is still ours (a lock broken as stale may belong to another by now). */
function release(lockFile: string, token: string): void {
  const seen = look(lockFile);
  if (seen?.owner?.token === token) unlinkSync(lockFile);
}
