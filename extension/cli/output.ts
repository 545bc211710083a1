/** Where a verb's output goes: standard output, or a file written atomically and never overwritten unasked. */
import { writeFileAtomic, refuseOverwrite } from '../engine/io';
import { str, type Values } from './args';

export function emit(v: Values, text: string | Uint8Array): void {
  const out = str(v, 'out');
  if (out === undefined) {
    process.stdout.write(text);
    return;
  }
  refuseOverwrite(out, v.force === true);
  writeFileAtomic(out, text);
}

/** JSON as the CLI prints it: stable key order (as built), two-space indent, final newline. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/**
 * JSON lines as bytes, encoded in slices: every case of a large file does not fit in one JavaScript
 * string (V8 caps a string near 512 MiB, some 500,000 cases of 12 features), but fits in a buffer.
 */
export function jsonl(values: Iterable<unknown>): Uint8Array {
  const slices: Buffer[] = [];
  let text = '';
  for (const v of values) {
    text += JSON.stringify(v) + '\n';
    if (text.length >= 1 << 24) {
      slices.push(Buffer.from(text, 'utf8'));
      text = '';
    }
  }
  slices.push(Buffer.from(text, 'utf8'));
  return Buffer.concat(slices);
}
