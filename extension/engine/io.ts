/**
 * Reading and writing files with the guarantees the guide asks for: every failure is an `InputError`
 * naming the file; text must be UTF-8; writes go to a temporary file first and are renamed into place,
 * so a crash or an error never leaves a half-written output.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, constants as fsConstants, fstatSync, statSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync, type Stats } from 'node:fs';
import { open as openAsync, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { jsonSyntaxError, markNonFiniteTokens } from './data/json-syntax';
import { InputError } from './errors';
import { byteSize } from './report/format';

/**
 * The most bytes Risk Review reads from each kind of input, checked (from the file's size) before a
 * byte is read, so a huge or endless input is refused at once instead of filling memory. A case file
 * of 5,000,000 cases × 20 features is about 1 GB; a JSON document is read into one string, which V8
 * caps near 512 MiB.
 */
export const READ_LIMITS = {
  cases: { what: 'a case file', bytes: 2 * 2 ** 30 },
  model: { what: 'a model file', bytes: 256 * 2 ** 20 },
  project: { what: 'a project file', bytes: 16 * 2 ** 20 },
  reviewLog: { what: 'a review log', bytes: 256 * 2 ** 20 },
} as const;

export type ReadLimit = (typeof READ_LIMITS)[keyof typeof READ_LIMITS];

/** What a path that is not a regular file is, in words ("a named pipe (FIFO)"); null for a regular file. */
function specialKind(stats: Stats): string | null {
  if (stats.isFile()) return null;
  return stats.isDirectory()
    ? 'a folder'
    : stats.isFIFO()
      ? 'a named pipe (FIFO)'
      : stats.isCharacterDevice()
        ? 'a character device'
        : stats.isBlockDevice()
          ? 'a block device'
          : stats.isSocket()
            ? 'a socket'
            : 'not a regular file';
}

/** Why a path that is not a regular file cannot be read, in words; null for a regular file. */
function notRegular(stats: Stats): string | null {
  const kind = specialKind(stats);
  return kind === null ? null : `is ${kind}, not a file; Risk Review reads regular files only`;
}

function refusal(stats: Stats, file: string, limit: ReadLimit): InputError | null {
  const why = notRegular(stats);
  if (why !== null) return new InputError(why, { file });
  if (stats.size > limit.bytes) return new InputError(`is ${stats.size.toLocaleString('en-US')} bytes, more than Risk Review reads as ${limit.what} (at most ${byteSize(limit.bytes)})`, { file });
  return null;
}

function openError(e: unknown, file: string): InputError {
  if (e instanceof InputError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'file not found'
      : code === 'EISDIR'
        ? 'is a folder, not a file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'ENXIO'
            ? 'is a device or socket, not a file; Risk Review reads regular files only'
            : `cannot be read (${code ?? 'unknown error'})`;
  return new InputError(why, { file });
}

/**
 * Opened without waiting: a named pipe would otherwise block the open until some program writes to it.
 * Regular files ignore the flag.
 */
const OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0);

/**
 * Reads at most `max` bytes from an open regular file of `size` bytes; `exact` refuses a file that
 * grew while it was read (a log being written, a device pretending to be a file).
 */
function readOpen(fd: number, size: number, max: number, file: string, exact: boolean, shared = false): Buffer {
  const want = Math.min(size, max);
  const bytes = shared ? Buffer.from(new SharedArrayBuffer(want)) : Buffer.allocUnsafe(want);
  let got = 0;
  while (got < want) {
    const n = readSync(fd, bytes, got, want - got, null);
    if (n === 0) break;
    got += n;
  }
  if (exact && got === want && readSync(fd, Buffer.alloc(1), 0, 1, null) > 0) throw new InputError('changed while it was being read; try again when nothing is writing to it', { file });
  return got === want ? bytes : bytes.subarray(0, got);
}

/**
 * The bytes of a regular file no larger than `limit`. A folder, pipe, device or socket, or a file over
 * the limit, is refused with its reason before anything is read. `shared`: in shared memory, so that
 * worker threads read parts of it without a copy (a large case file).
 */
export function readBytes(file: string, limit: ReadLimit, options: { readonly shared?: boolean } = {}): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(file, OPEN_FLAGS);
    const stats = fstatSync(fd);
    const refused = refusal(stats, file, limit);
    if (refused) throw refused;
    return readOpen(fd, stats.size, limit.bytes, file, true, options.shared);
  } catch (e) {
    throw openError(e, file);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The first `max` bytes of a regular file (a CSV header): the same checks as `readBytes`, whatever its size. */
export function readHead(file: string, max: number): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(file, OPEN_FLAGS);
    const stats = fstatSync(fd);
    const why = notRegular(stats);
    if (why !== null) throw new InputError(why, { file });
    return readOpen(fd, stats.size, max, file, false);
  } catch (e) {
    throw openError(e, file);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * `readText` off the calling thread (the extension host reads the review log this way): the same
 * checks, and null when the file does not exist.
 */
export async function readTextIfExists(file: string, limit: ReadLimit): Promise<string | null> {
  let handle: FileHandle | undefined;
  try {
    handle = await openAsync(file, OPEN_FLAGS);
    const stats = await handle.stat();
    const refused = refusal(stats, file, limit);
    if (refused) throw refused;
    const bytes = Buffer.allocUnsafe(stats.size);
    let got = 0;
    while (got < bytes.length) {
      const { bytesRead } = await handle.read(bytes, got, bytes.length - got, null);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return decodeUtf8(bytes.subarray(0, got), file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw openError(e, file);
  } finally {
    await handle?.close();
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or -1 when every byte does.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    // Length of the sequence and the range its second byte must fall in (which rules out overlong
    // forms, surrogates and code points above U+10FFFF); later bytes are 0x80–0xBF.
    let len: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      len = 3;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + len > n) return i;
    const second = bytes[i + 1];
    if (second < lo || second > hi) return i;
    for (let k = 2; k < len; k++) if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return i;
    i += len;
  }
  return -1;
}

/** "…, line 3, column 7: is not UTF-8 text (byte 0xE9) …": the place of the first bad byte, as an editor counts it. */
function notUtf8(bytes: Uint8Array, file: string): InputError {
  const bad = firstInvalidUtf8(bytes);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < bad; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = [...utf8.decode(bytes.subarray(lineStart, bad))].length + 1;
  const byte = bytes[bad].toString(16).toUpperCase().padStart(2, '0');
  return new InputError(`is not UTF-8 text (byte 0x${byte}); save it as UTF-8 and try again`, { file, line, column });
}

/** UTF-8 text without its byte-order mark; any other encoding is refused with the line of the first bad byte. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw notUtf8(bytes, file);
  }
}

/**
 * The same check as `decodeUtf8` without making a string: for bytes handed on as they are (a large
 * case file goes to the CSV reader as its buffer). Returns the bytes.
 */
export function checkUtf8(bytes: Uint8Array, file: string): Uint8Array {
  if (!isUtf8(bytes)) throw notUtf8(bytes, file);
  return bytes;
}

export function readText(file: string, limit: ReadLimit): string {
  return decodeUtf8(readBytes(file, limit), file);
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Parses JSON; a mistake is reported at its line and column (from `jsonSyntaxError`), in words. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw notJson(text, file, e, false);
  }
}

/**
 * Parses a model file: JSON, plus the bare NaN, Infinity and -Infinity that XGBoost writes, which come
 * back as marker strings (`nonFiniteValue` reads them). Only model files are read this way; projects and
 * Risk Review's own model files stay strict JSON (their schemas check them).
 */
export function parseModelJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const marked = markNonFiniteTokens(text);
    if (marked !== null) {
      try {
        return JSON.parse(marked);
      } catch {
        // reported below, at its place in the file as written
      }
    }
    throw notJson(text, file, e, true);
  }
}

function notJson(text: string, file: string, e: unknown, nonFinite: boolean): InputError {
  if (text.trim() === '') return new InputError('is empty (a JSON document was expected)', { file });
  const where = jsonSyntaxError(text, nonFinite);
  if (where === null) return new InputError(`is not valid JSON (${(e as Error).message})`, { file });
  const before = text.slice(0, where.offset).split('\n');
  const line = before.length;
  const column = before[before.length - 1].length + 1;
  return new InputError(`is not valid JSON: ${where.problem}`, { file, line, column });
}

/** The temporary file an output is written to before it is renamed over `file`: beside it, hidden, unique to this process. */
export function tempPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
}

/** Writes `data` to `file` atomically: a temporary file beside it, flushed, then renamed over. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(file);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w', 0o644);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot be written (${code ?? (e as Error).message})`, { file });
  }
}

/**
 * Refuses an output path that exists, unless `force`; and always one that is not a regular file (a
 * device such as /dev/stdout, a pipe, a folder), which the temporary file would be renamed over.
 */
export function refuseOverwrite(file: string, force: boolean): void {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch {
    return; // nothing there: writing creates it
  }
  const kind = specialKind(stats);
  if (kind !== null) throw new InputError(`is ${kind}, not a file; Risk Review writes only regular files (leave out --out to write to standard output)`, { file });
  if (!force) throw new InputError('already exists; pass --force to replace it', { file });
}
