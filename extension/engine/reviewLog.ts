/**
 * The review log: reviewers' decisions, appended one JSON line per decision and never rewritten, so
 * the record of who decided what, when, about which model and data, stays as it was written.
 *
 * An append is one `write` of one complete line (O_APPEND) followed by `fsync`: two windows appending at
 * once cannot interleave inside a line, and a decision the reviewer saw saved is on disk. A crash can at
 * worst leave a last line cut short; reading skips such a line, and the next append starts on a new
 * line so that the cut line never swallows a good one. Nothing here imports `vscode`.
 */
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ReviewDecision, Verdict } from './report/types';
import { READ_LIMITS, readTextIfExists } from './io';
import { InputError } from './errors';

export interface ReviewLogEntry {
  readonly caseId: string;
  readonly verdict: Verdict;
  readonly reason: string;
  readonly notes: string;
  /** With a disagreement only: the band the reviewer would assign instead. */
  readonly assignedBand?: string;
  readonly reviewer: string;
  /** The model and case file the decision was about (SHA-256 of their bytes). */
  readonly modelSha256: string;
  readonly dataSha256: string;
  /** The model's name, for people reading the log. */
  readonly model: string;
  /** ISO 8601. */
  readonly time: string;
}

export interface ReviewLogContents {
  readonly entries: readonly ReviewLogEntry[];
  /** 1-based lines that are not entries (a last line cut short by a crash, or text someone added). */
  readonly skippedLines: readonly number[];
}

const SHA256 = /^[0-9a-f]{64}$/;

/** The entry on a line, or null when the line is not one (checked field by field: the file is editable). */
export function parseEntry(line: string): ReviewLogEntry | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const e = v as Record<string, unknown>;
  const text = (k: string) => typeof e[k] === 'string';
  if (!text('caseId') || (e.verdict !== 'agree' && e.verdict !== 'disagree') || !text('reason') || !text('notes') || !text('reviewer') || !text('model') || !text('time')) return null;
  if (!SHA256.test(String(e.modelSha256)) || !SHA256.test(String(e.dataSha256)) || Number.isNaN(Date.parse(e.time as string))) return null;
  if (e.assignedBand !== undefined && (!text('assignedBand') || e.verdict !== 'disagree')) return null;
  return {
    caseId: e.caseId as string,
    verdict: e.verdict,
    reason: e.reason as string,
    notes: e.notes as string,
    ...(e.assignedBand !== undefined ? { assignedBand: e.assignedBand as string } : {}),
    reviewer: e.reviewer as string,
    modelSha256: e.modelSha256 as string,
    dataSha256: e.dataSha256 as string,
    model: e.model as string,
    time: e.time as string,
  };
}

export function parseLog(text: string): ReviewLogContents {
  const entries: ReviewLogEntry[] = [];
  const skippedLines: number[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, k) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const entry = parseEntry(line);
    if (entry) entries.push(entry);
    else skippedLines.push(k + 1);
  });
  return { entries, skippedLines };
}

export async function readLog(file: string): Promise<ReviewLogContents> {
  // A regular file of bounded size only (io.ts): a pipe or device set as the log cannot hang or fill memory.
  const text = await readTextIfExists(file, READ_LIMITS.reviewLog);
  return text === null ? { entries: [], skippedLines: [] } : parseLog(text);
}

/**
 * The longest line an entry may take, in bytes. A line is written with one `write` call, which a
 * regular file takes whole, so concurrent writers never interleave inside a line; Node's appendFile
 * would cut a line over 512 KiB into several writes. The panel caps a reason and notes at 20,000
 * characters each, far below this.
 */
export const MAX_ENTRY_BYTES = 256 * 1024;

/** Appends one entry as one line, durably (see the module's comment). Creates the folder and file if needed. */
export async function appendEntry(file: string, entry: ReviewLogEntry): Promise<void> {
  const text = JSON.stringify(entry) + '\n';
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_ENTRY_BYTES) {
    throw new InputError(`the decision takes ${bytes.toLocaleString('en-US')} bytes as a line of the review log, more than a line may hold (${MAX_ENTRY_BYTES.toLocaleString('en-US')}); shorten the reason or the notes`, { file });
  }
  await mkdir(dirname(file), { recursive: true });
  const handle = await open(file, 'a+');
  try {
    const { size } = await handle.stat();
    let startsLine = true;
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      startsLine = last[0] === 0x0a;
    }
    const line = Buffer.from((startsLine ? '' : '\n') + text, 'utf8');
    // One write call for the whole line (O_APPEND: at the end of the file, whole).
    const { bytesWritten } = await handle.write(line, 0, line.length, null);
    if (bytesWritten !== line.length) throw new Error(`the review log took ${bytesWritten} of the line's ${line.length} bytes (is the disk full?)`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** An entry as the decision summaries show. */
export function decisionOf(e: ReviewLogEntry): ReviewDecision {
  return { verdict: e.verdict, reason: e.reason, notes: e.notes, ...(e.assignedBand !== undefined ? { assignedBand: e.assignedBand } : {}), reviewer: e.reviewer, time: e.time };
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
