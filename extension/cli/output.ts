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
 * Many values as bytes, encoded in slices: every case of a large file does not fit in one JavaScript
 * string (V8 caps a string near 512 MiB, some 500,000 cases of 12 features), but fits in a buffer.
 * `encode` gives each value's text; `open`, `separator` and `close` frame them.
 */
function sliced(values: Iterable<unknown>, encode: (v: unknown) => string, open: string, separator: string, close: string): { bytes: Uint8Array; count: number } {
  const slices: Buffer[] = [];
  let text = open;
  let count = 0;
  for (const v of values) {
    text += (count++ === 0 ? '' : separator) + encode(v);
    if (text.length >= 1 << 24) {
      slices.push(Buffer.from(text, 'utf8'));
      text = '';
    }
  }
  slices.push(Buffer.from(text + close, 'utf8'));
  return { bytes: Buffer.concat(slices), count };
}

/** JSON lines: one compact object a line. */
export function jsonl(values: Iterable<unknown>): Uint8Array {
  return sliced(values, (v) => JSON.stringify(v) + '\n', '', '', '').bytes;
}

/** A JSON array laid out exactly as `json([...values])` would, without building it as one string. */
export function jsonArray(values: Iterable<unknown>): Uint8Array {
  const indented = (v: unknown) => '  ' + JSON.stringify(v, null, 2).replace(/\n/g, '\n  ');
  const { bytes, count } = sliced(values, indented, '[\n', ',\n', '\n]\n');
  return count === 0 ? Buffer.from(json([]), 'utf8') : bytes;
}
