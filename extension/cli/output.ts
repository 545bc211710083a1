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

export function jsonl(values: Iterable<unknown>): string {
  let s = '';
  for (const v of values) s += JSON.stringify(v) + '\n';
  return s;
}
