/**
 * Where a verb's output goes: standard output, or a file written atomically (a temporary file beside it,
 * renamed over it at the end) and never overwritten unasked. Small outputs are written at once (`emit`);
 * large ones stream (`streamOutput`): text is added case by case and written out in slices of about a
 * megabyte, so memory does not grow with the number of cases, and standard output is written no faster
 * than its reader takes it. A run that fails or is interrupted (Ctrl-C, SIGTERM, SIGHUP) removes its
 * temporary file: no half-written output is ever left behind.
 */
import { once } from 'node:events';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { InputError } from '../engine/errors';
import { refuseOverwrite, tempPathFor, writeFileAtomic } from '../engine/io';
import { UsageError, type ReviewSpec } from '../engine/project';
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

/** Output is gathered in slices of this many bytes before it is written. */
const SLICE = 1 << 20;

/** Text added piece by piece and written in slices; `flush` waits until a slow reader has taken it. */
export interface OutputStream {
  add(text: string): void;
  flush(): Promise<void>;
}

/**
 * Text encoded as UTF-8 straight into a slice of bytes as it is added (one copy, no long string built
 * and flattened); `write` takes each full slice.
 */
class Slices {
  private slice = Buffer.allocUnsafe(SLICE);
  private used = 0;

  constructor(private readonly write: (bytes: Buffer) => void) {}

  add(text: string): void {
    // A UTF-16 unit takes at most 3 bytes in UTF-8: make sure the text fits before writing it.
    if (this.used + 3 * text.length > SLICE) {
      this.flush();
      if (3 * text.length > SLICE) {
        this.write(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.slice.write(text, this.used, 'utf8');
  }

  /** Hands the bytes gathered so far to `write` and starts a new slice. */
  flush(): void {
    if (this.used === 0) return;
    const full = this.slice.subarray(0, this.used);
    this.slice = Buffer.allocUnsafe(SLICE);
    this.used = 0;
    this.write(full);
  }
}

const INTERRUPTS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const SIGNAL_EXIT: Readonly<Record<(typeof INTERRUPTS)[number], number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** A temporary file beside `out`, renamed over it by `commit`, removed by `discard` or an interrupt. */
class FileOutput implements OutputStream {
  private readonly tmp: string;
  private fd: number | undefined;
  private readonly slices = new Slices((bytes) => this.write(bytes));
  private readonly onSignal = (signal: (typeof INTERRUPTS)[number]) => {
    this.discard();
    process.exit(SIGNAL_EXIT[signal]);
  };

  constructor(private readonly out: string) {
    this.tmp = tempPathFor(out);
    try {
      this.fd = openSync(this.tmp, 'wx', 0o644);
    } catch (e) {
      throw this.cannotWrite(e);
    }
    for (const s of INTERRUPTS) process.on(s, this.onSignal);
  }

  private cannotWrite(e: unknown): InputError {
    return new InputError(`cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file: this.out });
  }

  add(text: string): void {
    this.slices.add(text);
  }

  private write(bytes: Buffer): void {
    try {
      for (let off = 0; off < bytes.length; ) off += writeSync(this.fd!, bytes, off, bytes.length - off);
    } catch (e) {
      throw this.cannotWrite(e);
    }
  }

  async flush(): Promise<void> {
    this.slices.flush();
  }

  commit(): void {
    this.slices.flush();
    try {
      fsyncSync(this.fd!);
      closeSync(this.fd!);
      this.fd = undefined;
      renameSync(this.tmp, this.out);
    } catch (e) {
      throw this.cannotWrite(e);
    } finally {
      this.stopListening();
    }
  }

  discard(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.tmp, { force: true });
    this.stopListening();
  }

  private stopListening(): void {
    for (const s of INTERRUPTS) process.off(s, this.onSignal);
  }
}

/** Standard output, written in slices; `flush` waits for a reader that is behind. */
class StdoutOutput implements OutputStream {
  private behind = false;
  private readonly slices = new Slices((bytes) => {
    if (!process.stdout.write(bytes)) this.behind = true;
  });

  add(text: string): void {
    this.slices.add(text);
  }

  async flush(): Promise<void> {
    this.slices.flush();
    if (this.behind) {
      this.behind = false;
      await once(process.stdout, 'drain');
    }
  }
}

/** A line on standard output, written at the pace its reader takes them. */
export async function printLine(text: string): Promise<void> {
  if (!process.stdout.write(text + '\n')) await once(process.stdout, 'drain');
}

/**
 * Streams a verb's output: `write` adds text to the stream (and awaits `flush` between blocks); the file
 * is renamed into place only when `write` finishes, and removed if it throws.
 */
export async function streamOutput(v: Values, write: (out: OutputStream) => Promise<void>): Promise<void> {
  const file = str(v, 'out');
  if (file === undefined) {
    const out = new StdoutOutput();
    await write(out);
    await out.flush();
    return;
  }
  refuseOverwrite(file, v.force === true);
  const out = new FileOutput(file);
  try {
    await write(out);
    out.commit();
  } catch (e) {
    out.discard();
    throw e;
  }
}

/**
 * Items of a JSON array, each already laid out with two-space indents, framed as `json([...items])`
 * would lay out the whole array: "[", the items indented by two more spaces and separated by ",", "]".
 */
export class JsonArrayFrame {
  private count = 0;
  constructor(private readonly out: OutputStream) {}

  item(pretty: string): void {
    this.out.add((this.count++ === 0 ? '[\n  ' : ',\n  ') + pretty.replace(/\n/g, '\n  '));
  }

  end(): void {
    this.out.add(this.count === 0 ? '[]\n' : '\n]\n');
  }
}

/** The files a run reads, by flag, to refuse writing its output over one of them. */
export function inputsOf(spec: ReviewSpec, extra: readonly (readonly [string, string | undefined])[] = []): [string, string][] {
  const named: (readonly [string, string | undefined])[] = [
    ['project file', spec.projectFile],
    ['model', spec.source.kind === 'model' ? spec.source.modelFile : undefined],
    ['case file', spec.dataFile],
    ['background file', spec.backgroundFile],
    ...extra,
  ];
  return named.filter((e): e is readonly [string, string] => e[1] !== undefined).map(([what, file]) => [what, file]);
}

/** Whether two paths name the same file (the same device and inode: links and symbolic links included). */
function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** Refuses an output path that is one of the run's own inputs, even with --force: that would destroy what is being read. */
export function refuseInputAsOutput(out: string, inputs: readonly (readonly [string, string])[]): void {
  const hit = inputs.find(([, file]) => sameFile(out, file));
  if (hit) throw new UsageError(`${out} is the ${hit[0]} this run reads; Risk Review does not write its output over its own input (choose another file)`);
}
