/**
 * The review log: reviewers' decisions, appended one JSON line per decision and never rewritten, so
 * the record of who decided what, when, about which model and data, stays as it was written.
 *
 * Every line is chained to the one before it (logChain.ts states how): a line edited, removed, inserted
 * or moved after it was written shows when the log is checked (`verifyLog`, `risk-review log verify`).
 * An append holds the log's lock (fileLock.ts) from reading the last line, whose hash the new entry
 * carries, to the end of its write and `fsync`: windows and CLI processes appending at once neither fork
 * the chain nor interleave, however long an entry, and a decision the reviewer saw saved is on disk. A
 * writer killed mid-write leaves its lock (broken as stale by the next writer) and at worst a last line
 * cut short; reading skips such a line, the next append starts on a new line so that it never swallows
 * a good one, and the check reports it. Nothing here imports `vscode`.
 */
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { withFileLock } from './fileLock';
import { chainText, sealLine, sha256Hex, verifyChain, type ChainVerification } from './logChain';
import type { ReviewDecision, Verdict } from './report/types';

export interface ReviewLogEntry {
  readonly caseId: string;
  readonly verdict: Verdict;
  readonly reason: string;
  readonly notes: string;
  /** With a disagreement only: the band the reviewer would assign instead. */
  readonly assignedBand?: string;
  /** The case's band when it was decided (absent in entries from before Risk Review 0.2). */
  readonly band?: string;
  /** Whether the known outcome, and every figure computed from it, was hidden while deciding (absent before 0.2). */
  readonly blind?: boolean;
  readonly reviewer: string;
  /** The model and case file the decision was about (SHA-256 of their bytes). */
  readonly modelSha256: string;
  readonly dataSha256: string;
  /** The model's name, for people reading the log. */
  readonly model: string;
  /** ISO 8601. */
  readonly time: string;
  /** The Risk Review version that recorded it (absent before 0.2). */
  readonly version?: string;
}

export interface ReviewLogContents {
  readonly entries: readonly ReviewLogEntry[];
  /** 1-based lines that are not entries (a last line cut short by a crash, or text someone added). */
  readonly skippedLines: readonly number[];
}

/** An entry and the hash of the line before it that it names (undefined for an entry from before the chain). */
interface ParsedLine {
  readonly entry: ReviewLogEntry;
  readonly prev: string | null | undefined;
}

const HASH = /^[0-9a-f]{64}$/;

/** The entry on a line and its `prev`, or null when the line is not one (checked field by field: the file is editable). */
function parseLine(line: string): ParsedLine | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const e = v as Record<string, unknown>;
  const text = (k: string) => typeof e[k] === 'string';
  const absentOr = (k: string, ok: boolean) => e[k] === undefined || ok;
  if (!text('caseId') || (e.verdict !== 'agree' && e.verdict !== 'disagree') || !text('reason') || !text('notes') || !text('reviewer') || !text('model') || !text('time')) return null;
  if (!HASH.test(String(e.modelSha256)) || !HASH.test(String(e.dataSha256)) || Number.isNaN(Date.parse(e.time as string))) return null;
  if (e.assignedBand !== undefined && (!text('assignedBand') || e.verdict !== 'disagree')) return null;
  if (!absentOr('band', text('band')) || !absentOr('blind', typeof e.blind === 'boolean') || !absentOr('version', text('version'))) return null;
  // A chained entry has both fields; an entry from before the chain neither.
  const chained = e.hash !== undefined || e.prev !== undefined;
  if (chained && !(HASH.test(String(e.hash)) && (e.prev === null || HASH.test(String(e.prev))))) return null;
  const entry: ReviewLogEntry = {
    caseId: e.caseId as string,
    verdict: e.verdict,
    reason: e.reason as string,
    notes: e.notes as string,
    ...(e.assignedBand !== undefined ? { assignedBand: e.assignedBand as string } : {}),
    ...(e.band !== undefined ? { band: e.band as string } : {}),
    ...(e.blind !== undefined ? { blind: e.blind as boolean } : {}),
    reviewer: e.reviewer as string,
    modelSha256: e.modelSha256 as string,
    dataSha256: e.dataSha256 as string,
    model: e.model as string,
    time: e.time as string,
    ...(e.version !== undefined ? { version: e.version as string } : {}),
  };
  return { entry, prev: chained ? (e.prev as string | null) : undefined };
}

/** The entry on a line, or null when the line is not one. */
export function parseEntry(line: string): ReviewLogEntry | null {
  return parseLine(line)?.entry ?? null;
}

export function parseLog(text: string): ReviewLogContents {
  const entries: ReviewLogEntry[] = [];
  const skippedLines: number[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, k) => {
    const line = chainText(raw);
    if (line.trim() === '') return;
    const entry = parseEntry(line);
    if (entry) entries.push(entry);
    else skippedLines.push(k + 1);
  });
  return { entries, skippedLines };
}

/** The log's text; a log that does not exist yet is empty. */
async function readLogText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

export async function readLog(file: string): Promise<ReviewLogContents> {
  return parseLog(await readLogText(file));
}

/** The log's decisions and the check of its chain, from one reading of the file. */
export interface VerifiedLog extends ReviewLogContents {
  readonly verification: ChainVerification;
}

export function parseAndVerify(text: string): VerifiedLog {
  return { ...parseLog(text), verification: verifyChain(text, (line) => {
    const parsed = parseLine(line);
    return { decision: parsed !== null, prev: parsed?.prev };
  }) };
}

export async function verifyLog(file: string): Promise<VerifiedLog> {
  return parseAndVerify(await readLogText(file));
}

const TAIL_CHUNK = 64 * 1024;

/**
 * The file's last non-blank line as the chain reads it (chainText), or null when there is none, and
 * whether the file ends with a line end; read backwards from the end, a chunk at a time.
 */
async function lastLine(handle: FileHandle, size: number): Promise<{ line: string | null; endsLine: boolean }> {
  let end = size;
  let tail = Buffer.alloc(0);
  let endsLine = true;
  while (end > 0) {
    const start = Math.max(0, end - TAIL_CHUNK);
    const chunk = Buffer.alloc(end - start);
    await handle.read(chunk, 0, chunk.length, start);
    if (end === size) endsLine = chunk[chunk.length - 1] === 0x0a;
    tail = Buffer.concat([chunk, tail]);
    end = start;
    const lines = tail.toString('utf8').split('\n');
    // Until the file's start is reached, the first piece may be the end of a longer line: it waits.
    for (let k = lines.length - 1; k >= (start === 0 ? 0 : 1); k--) {
      const line = chainText(lines[k]);
      if (line.trim() !== '') return { line, endsLine };
    }
  }
  return { line: null, endsLine };
}

/**
 * Appends one entry as one chained line, durably, under the log's lock (see the module's comment).
 * Creates the folder and file if needed.
 */
export async function appendEntry(file: string, entry: ReviewLogEntry): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await withFileLock(file, async () => {
    const handle = await open(file, 'a+');
    try {
      const { size } = await handle.stat();
      const last = await lastLine(handle, size);
      const line = sealLine({ ...entry, prev: last.line === null ? null : sha256Hex(last.line) });
      const bytes = Buffer.from((last.endsLine ? '' : '\n') + line + '\n', 'utf8');
      // O_APPEND puts every write at the end; the lock keeps other writers out until the line is whole.
      for (let off = 0; off < bytes.length; ) off += (await handle.write(bytes, off, bytes.length - off)).bytesWritten;
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
}

/** An entry as the decision summaries show. */
export function decisionOf(e: ReviewLogEntry): ReviewDecision {
  return {
    verdict: e.verdict,
    reason: e.reason,
    notes: e.notes,
    ...(e.assignedBand !== undefined ? { assignedBand: e.assignedBand } : {}),
    ...(e.blind !== undefined ? { blind: e.blind } : {}),
    reviewer: e.reviewer,
    time: e.time,
  };
}

/** The decisions about a case under this model and data, oldest first. */
export function decisionsFor(entries: readonly ReviewLogEntry[], caseId: string, modelSha256: string, dataSha256: string): ReviewDecision[] {
  return entries.filter((e) => e.caseId === caseId && e.modelSha256 === modelSha256 && e.dataSha256 === dataSha256).map(decisionOf);
}

/** The latest verdict on each case under this model and data (what the case list shows). */
export function latestVerdicts(entries: readonly ReviewLogEntry[], modelSha256: string, dataSha256: string): Map<string, ReviewLogEntry> {
  const latest = new Map<string, ReviewLogEntry>();
  for (const e of entries) if (e.modelSha256 === modelSha256 && e.dataSha256 === dataSha256) latest.set(e.caseId, e);
  return latest;
}
