/**
 * The review log's hash chain: what makes a change to the log after the fact visible.
 *
 * Each entry is written as one line of JSON ending in two fields:
 *
 *     …,"prev":P,"hash":H}
 *
 *   - P, the previous line's hash: SHA-256 (hex) of the previous non-blank line of the file exactly as it
 *     stands (its UTF-8 bytes, without the line end), whatever that line is; null on the file's first line;
 *   - H, the entry's own hash: SHA-256 (hex) of the line without its `,"hash":H` (that is, of the line's
 *     text up to `,"hash":`, followed by `}`), so P is sealed in it.
 *
 * Checking a log (`verifyChain`), line by line:
 *   - an entry whose H no longer matches its text was edited after it was written;
 *   - an entry whose P is not the hash of the line before it (or that claims a predecessor on the first
 *     line) follows a line that was removed, inserted, moved or rewritten — the chain breaks there;
 *   - a line that is not a decision (not complete JSON, or not a decision's fields) is reported; when it is
 *     the file's last line and has no line end, it is a torn last line (a write cut short by a crash);
 *   - a decision without the two fields is from before the log was chained (Risk Review 0.1) when it comes
 *     before the first chained entry, and out of place after it.
 * Removing the newest lines leaves no trace inside the file: `head` (the hash of the last line) is what
 * someone who wants to notice that can note down and compare later. Without a secret key, anyone can also
 * rewrite the whole chain from an edited line on; the chain makes edits evident, not impossible.
 */
import * as crypto from 'node:crypto';

/** Node's one-shot hash (20.12 and later) is 2–3 times faster on short lines; VS Code's own Node may be older. */
const oneShot = typeof crypto.hash === 'function' ? crypto.hash : null;

export function sha256Hex(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

const SEAL = /,"hash":"([0-9a-f]{64})"\}$/;

/** `fields` (already holding `prev`) as a sealed line: its JSON with its own hash as the last field. */
export function sealLine(fields: Readonly<Record<string, unknown>>): string {
  const body = JSON.stringify(fields);
  return `${body.slice(0, -1)},"hash":"${sha256Hex(body)}"}`;
}

/** Whether a line carries a seal, and whether the seal still matches the line. */
export function sealOf(line: string): 'none' | 'intact' | 'broken' {
  const m = SEAL.exec(line);
  if (!m) return 'none';
  return sha256Hex(`${line.slice(0, m.index)}}`) === m[1] ? 'intact' : 'broken';
}

export type ChainProblem =
  | { readonly kind: 'edited'; readonly line: number }
  | { readonly kind: 'broken'; readonly line: number; readonly after: number | null }
  | { readonly kind: 'torn'; readonly line: number }
  | { readonly kind: 'not-an-entry'; readonly line: number }
  | { readonly kind: 'unchained'; readonly line: number };

export interface ChainVerification {
  /** Non-blank lines. */
  readonly lines: number;
  /** Lines that are decisions, chained or not. */
  readonly entries: number;
  /** Decisions written before the log was chained (before its first chained entry); they cannot be checked. */
  readonly unchainedBefore: number;
  readonly problems: readonly ChainProblem[];
  /** SHA-256 of the last non-blank line (the hash the next entry will name as its `prev`); null for an empty log. */
  readonly head: string | null;
  /** No problem found. */
  readonly intact: boolean;
}

/** A line's text as the chain reads it: without a carriage return left by CRLF line ends. */
export function chainText(raw: string): string {
  return raw.endsWith('\r') ? raw.slice(0, -1) : raw;
}

/** A non-blank line of the log as the chain check needs it. */
export interface ChainLine {
  /** 1-based, as editors count. */
  readonly number: number;
  /** The line's text (chainText). */
  readonly text: string;
  /** Whether the line is a decision (the log's own parser reads the fields). */
  readonly decision: boolean;
  /** The `prev` the decision names; undefined for a decision from before the chain or for a line that is not one. */
  readonly prev: string | null | undefined;
  /** No line end follows it: the file stops in the middle of this line. */
  readonly unended: boolean;
}

/** Checks the chain of a whole log, given its non-blank lines in order. */
export function verifyChain(lines: readonly ChainLine[]): ChainVerification {
  const problems: ChainProblem[] = [];
  let entries = 0;
  let unchainedBefore = 0;
  let chainBegun = false;
  let previous: { readonly line: number; readonly hash: string; readonly edited: boolean } | null = null;
  for (const { number, text, decision, prev, unended } of lines) {
    let edited = false;
    if (!decision) {
      // The last piece of a file that does not end its last line was cut short mid-write.
      problems.push({ kind: unended ? 'torn' : 'not-an-entry', line: number });
    } else if (prev === undefined) {
      entries++;
      if (chainBegun) problems.push({ kind: 'unchained', line: number });
      else unchainedBefore++;
    } else {
      entries++;
      chainBegun = true;
      edited = sealOf(text) !== 'intact';
      if (edited) problems.push({ kind: 'edited', line: number });
      // After an edited line the next link cannot match either; the edit explains it.
      if (prev !== (previous?.hash ?? null) && !previous?.edited) problems.push({ kind: 'broken', line: number, after: previous?.line ?? null });
    }
    previous = { line: number, hash: sha256Hex(text), edited };
  }
  return { lines: lines.length, entries, unchainedBefore, problems, head: previous?.hash ?? null, intact: problems.length === 0 };
}
