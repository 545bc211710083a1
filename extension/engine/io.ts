/**
 * Reading and writing files with the guarantees the guide asks for: every failure is an `InputError`
 * naming the file; text must be UTF-8; writes go to a temporary file first and are renamed into place,
 * so a crash or an error never leaves a half-written output.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from './errors';

export function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'permission denied' : `cannot be read (${code ?? 'unknown error'})`;
    throw new InputError(why, { file });
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** UTF-8 text without its byte-order mark; any other encoding is refused with the line of the first bad byte. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    let ok = 0;
    // Find the first undecodable byte to name its line: decode growing prefixes is too slow; scan instead.
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const bad = lossy.indexOf('\uFFFD');
    ok = bad < 0 ? 0 : bad;
    const line = lossy.slice(0, ok).split('\n').length;
    throw new InputError('is not UTF-8 text (save it as UTF-8 and try again)', { file, line });
  }
}

export function readText(file: string): string {
  return decodeUtf8(readBytes(file), file);
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Parses JSON, turning a syntax error into the line and column where the text stops making sense. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    if (m) {
      const pos = Number(m[1]);
      const before = text.slice(0, pos).split('\n');
      throw new InputError(`is not valid JSON (${msg.replace(/ in JSON at position \d+.*$/, '')})`, { file, line: before.length, column: before[before.length - 1].length + 1 });
    }
    const truncated = /Unexpected end/.test(msg);
    throw new InputError(truncated ? 'is not valid JSON: it ends too early (truncated?)' : `is not valid JSON (${msg})`, { file });
  }
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
