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
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { READ_LIMITS, readTextIfExists } from './io';
import { dirname } from 'node:path';
import { withFileLock } from './fileLock';
import { chainText, sealLine, sha256Hex, verifyChain, type ChainLine, type ChainVerification } from './logChain';
import { userInfo } from 'node:os';
import { InputError } from './errors';
import type { ReviewDecision, Verdict } from './report/types';
import { RISK_REVIEW_VERSION } from './version';

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

/** A SHA-256 in lowercase hex (a character loop: a regular expression per field costs more than the parse on a long log). */
function isHash(v: unknown): v is string {
  if (typeof v !== 'string' || v.length !== 64) return false;
  for (let k = 0; k < 64; k++) {
    const c = v.charCodeAt(k);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

const isText = (v: unknown): v is string => typeof v === 'string';
const absentOrText = (v: unknown) => v === undefined || typeof v === 'string';

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
  const { caseId, verdict, reason, notes, assignedBand, band, blind, reviewer, modelSha256, dataSha256, model, time, version, prev, hash } = e;
  if (!isText(caseId) || (verdict !== 'agree' && verdict !== 'disagree') || !isText(reason) || !isText(notes) || !isText(reviewer) || !isText(model) || !isText(time)) return null;
  if (!isHash(modelSha256) || !isHash(dataSha256) || Number.isNaN(Date.parse(time))) return null;
  if (assignedBand !== undefined && (!isText(assignedBand) || verdict !== 'disagree')) return null;
  if (!absentOrText(band) || !(blind === undefined || typeof blind === 'boolean') || !absentOrText(version)) return null;
  // A chained entry has both fields; an entry from before the chain neither.
  const chained = hash !== undefined || prev !== undefined;
  if (chained && !(isHash(hash) && (prev === null || isHash(prev)))) return null;
  // Built field by field in the log's order (spreads of optional fields cost more than the parse, over a long log).
  const entry: { -readonly [K in keyof ReviewLogEntry]: ReviewLogEntry[K] } = { caseId, verdict, reason, notes } as ReviewLogEntry;
  if (assignedBand !== undefined) entry.assignedBand = assignedBand;
  if (band !== undefined) entry.band = band as string;
  if (blind !== undefined) entry.blind = blind as boolean;
  entry.reviewer = reviewer;
  entry.modelSha256 = modelSha256;
  entry.dataSha256 = dataSha256;
  entry.model = model;
  entry.time = time;
  if (version !== undefined) entry.version = version as string;
  return { entry, prev: chained ? (prev as string | null) : undefined };
}

/** The entry on a line, or null when the line is not one. */
export function parseEntry(line: string): ReviewLogEntry | null {
  return parseLine(line)?.entry ?? null;
}

/** The log's non-blank lines, each parsed once. */
function logLines(text: string): (ChainLine & { readonly parsed: ParsedLine | null })[] {
  const raw = text.split('\n');
  const out: (ChainLine & { readonly parsed: ParsedLine | null })[] = [];
  for (let k = 0; k < raw.length; k++) {
    const line = chainText(raw[k]);
    if (line.trim() === '') continue;
    const parsed = parseLine(line);
    out.push({ number: k + 1, text: line, parsed, decision: parsed !== null, prev: parsed?.prev, unended: k === raw.length - 1 });
  }
  return out;
}

function contentsOf(lines: readonly { readonly number: number; readonly parsed: ParsedLine | null }[]): ReviewLogContents {
  const entries: ReviewLogEntry[] = [];
  const skippedLines: number[] = [];
  for (const l of lines) {
    if (l.parsed) entries.push(l.parsed.entry);
    else skippedLines.push(l.number);
  }
  return { entries, skippedLines };
}

export function parseLog(text: string): ReviewLogContents {
  return contentsOf(logLines(text));
}

/**
 * The log's text; a log that does not exist yet is empty. A regular file of bounded size only (io.ts): a
 * pipe or device set as the log cannot hang or fill memory.
 */
async function readLogText(file: string): Promise<string> {
  return (await readTextIfExists(file, READ_LIMITS.reviewLog)) ?? '';
}

/**
 * The longest line an entry may take, in bytes. Lines are written under the log's lock, so they never
 * interleave; the bound keeps one decision from growing the log (and every reader's memory) without
 * limit. The panel caps a reason and notes at 20,000 characters each, far below this.
 */
export const MAX_ENTRY_BYTES = 256 * 1024;

export async function readLog(file: string): Promise<ReviewLogContents> {
  return parseLog(await readLogText(file));
}

/** The log's decisions and the check of its chain, from one reading of the file. */
export interface VerifiedLog extends ReviewLogContents {
  readonly verification: ChainVerification;
}

export function parseAndVerify(text: string): VerifiedLog {
  const lines = logLines(text);
  return { ...contentsOf(lines), verification: verifyChain(lines) };
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
  // Sealed with a stand-in for the previous line's hash (always 64 hex digits): its length is the line's.
  const lineBytes = Buffer.byteLength(sealLine({ ...entry, prev: '0'.repeat(64) }), 'utf8') + 1;
  if (lineBytes > MAX_ENTRY_BYTES) {
    throw new InputError(`the decision takes ${lineBytes.toLocaleString('en-US')} bytes as a line of the review log, more than a line may hold (${MAX_ENTRY_BYTES.toLocaleString('en-US')}); shorten the reason or the notes`, { file });
  }
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

/** The operating-system user's name: who is recorded when no reviewer is named. */
export function osUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** A reviewer's decision on one case, as the panel and `risk-review decide` take it. */
export interface DecisionInput {
  readonly caseId: string;
  readonly verdict: Verdict;
  readonly reason: string;
  readonly notes: string;
  readonly assignedBand?: string;
  /** The case's band, and the review's bands lowest first (an assigned band must be another of them). */
  readonly band: string;
  readonly bands: readonly string[];
  readonly blind: boolean;
  readonly reviewer: string;
  readonly modelSha256: string;
  readonly dataSha256: string;
  readonly model: string;
}

/**
 * The log entry for a decision, stamped with the time and this version; an `InputError` in words when it
 * cannot be one (a disagreement without a reason, a band that is not another band of the review).
 */
export function decisionEntry(d: DecisionInput, time = new Date().toISOString()): ReviewLogEntry {
  if (d.verdict === 'disagree' && d.reason.trim() === '') throw new InputError('a reason is needed to disagree with the score', { caseId: d.caseId });
  if (d.assignedBand !== undefined && (d.verdict !== 'disagree' || !d.bands.includes(d.assignedBand) || d.assignedBand === d.band)) {
    throw new InputError(`"${d.assignedBand}" is not another band of this review (${d.bands.join(', ')}); only a disagreement names one`, { caseId: d.caseId });
  }
  return {
    caseId: d.caseId,
    verdict: d.verdict,
    reason: d.reason,
    notes: d.notes,
    ...(d.assignedBand !== undefined ? { assignedBand: d.assignedBand } : {}),
    band: d.band,
    blind: d.blind,
    reviewer: d.reviewer,
    modelSha256: d.modelSha256,
    dataSha256: d.dataSha256,
    model: d.model,
    time,
    version: RISK_REVIEW_VERSION,
  };
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
