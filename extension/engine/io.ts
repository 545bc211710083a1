/**
 * Reading and writing files with the guarantees the guide asks for: every failure is an `InputError`
 * naming the file; text must be UTF-8; writes go to a temporary file first and are renamed into place,
 * so a crash or an error never leaves a half-written output.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { jsonSyntaxError, markNonFiniteTokens } from './data/json-syntax';
import { InputError } from './errors';

export function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a folder, not a file'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : code === 'ERR_FS_FILE_TOO_LARGE'
              ? 'is larger than 2 GiB, more than Risk Review reads at once'
              : `cannot be read (${code ?? 'unknown error'})`;
    throw new InputError(why, { file });
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

export function readText(file: string): string {
  return decodeUtf8(readBytes(file), file);
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

/** Writes `data` to `file` atomically: a temporary file beside it, flushed, then renamed over. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
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

export function refuseOverwrite(file: string, force: boolean): void {
  if (!force && existsSync(file)) throw new InputError('already exists; pass --force to replace it', { file });
}
