/**
 * Reading a large case file on several threads, behind a synchronous call.
 *
 * The file is cut at record boundaries: just after a "\n" with an even number of '"' before it (in
 * RFC 4180 CSV a quote opens or closes a quoted field, and a doubled quote inside one counts twice, so
 * an even count means the "\n" is not inside quotes). If a stray quote makes the count lie, the part
 * before it holds that stray quote and fails to parse first, with its line, as the whole file would.
 * This thread reads the first part (with the header) while worker threads read the others with the same
 * code (csv-rows.ts); each part knows how many lines precede it, so every line number is the file's.
 *
 * The call stays synchronous (`openReview` is): the workers post their columns on a MessagePort and
 * wake this thread through a shared Int32Array (`Atomics.notify`); it takes the message with
 * `receiveMessageOnPort`. A worker that dies without answering is noticed (its threadId becomes -1)
 * and its part is read here instead.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { InputError, type Place } from '../errors';
import { readRows, type Rows } from './csv-rows';

/** What a worker is given: one part of the file (transferred), and how to read it. */
export interface CsvWorkerTask {
  readonly bytes: Uint8Array;
  readonly file: string;
  readonly textColumns: readonly string[];
  readonly header: readonly string[];
  readonly lineOffset: number;
  readonly recordDelimiter: string;
  readonly port: MessagePort;
  /** Set to 1 (and notified) when the answer has been posted. */
  readonly done: Int32Array;
}

export type CsvWorkerReply =
  | { readonly type: 'rows'; readonly rows: Rows }
  | { readonly type: 'input-error'; readonly problem: string; readonly place: Place }
  | { readonly type: 'failed'; readonly message: string };

/** Where the parts start (after the first), and how many lines come before each. */
export interface Split {
  readonly starts: readonly number[];
  readonly linesBefore: readonly number[];
}

/**
 * Record boundaries from `from` on (where the header ends) near equal fractions of the bytes, and the
 * number of lines before each, counted as editors do ("\r\n", "\n" or a lone "\r" end a line). When
 * records end in "\r\n", a bare "\n" is text inside a record, so parts start only after "\r\n".
 */
export function splitAtRecords(bytes: Uint8Array, from: number, parts: number, recordDelimiter: '\n' | '\r\n'): Split {
  const crlf = recordDelimiter === '\r\n';
  const starts: number[] = [];
  const linesBefore: number[] = [];
  let lines = 0;
  let quotes = 0;
  let next = 1;
  const n = bytes.length;
  for (let i = 0; i < n && next < parts; i++) {
    const b = bytes[i];
    if (b === 0x0a) {
      lines++;
      const boundary = i >= from && i + 1 < n && (quotes & 1) === 0 && (!crlf || bytes[i - 1] === 0x0d);
      if (boundary && i + 1 >= from + Math.floor(((n - from) * next) / parts)) {
        starts.push(i + 1);
        linesBefore.push(lines);
        next++;
      }
    } else if (b === 0x0d) {
      if (bytes[i + 1] !== 0x0a) lines++;
    } else if (b === 0x22) quotes++;
  }
  return { starts, linesBefore };
}

/**
 * The worker's script: dist/csv-worker.js beside the bundle that runs this code; or, when the engine
 * runs from source (tests under tsx), csv-worker.ts here, which needs tsx's require hook in the thread.
 */
function workerScript(): { file: string; execArgv?: string[] } {
  const bundled = join(__dirname, 'csv-worker.js');
  if (existsSync(bundled)) return { file: bundled };
  return { file: join(__dirname, 'csv-worker.ts'), execArgv: ['--require', 'tsx/cjs'] };
}

interface Running {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly done: Int32Array;
  readonly task: Omit<CsvWorkerTask, 'port' | 'done'>;
}

function start(task: Omit<CsvWorkerTask, 'port' | 'done'>): Running {
  const { port1, port2 } = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  const script = workerScript();
  // Bytes in shared memory are shared with the worker as they are; others were copied for it and are moved.
  const bytes = task.bytes.buffer instanceof SharedArrayBuffer ? [] : [task.bytes.buffer as ArrayBuffer];
  const worker = new Worker(script.file, { workerData: { ...task, port: port2, done }, transferList: [port2, ...bytes], execArgv: script.execArgv });
  worker.unref();
  return { worker, port: port1, done, task };
}

function stop(r: Running): void {
  r.port.close();
  void r.worker.terminate();
}

/** Blocks until the worker answers; reads its part here if it died without answering. */
function rowsOf(r: Running, partBytes: Uint8Array): Rows {
  for (;;) {
    Atomics.wait(r.done, 0, 0, 50);
    const got = receiveMessageOnPort(r.port);
    if (got) {
      stop(r);
      const reply = got.message as CsvWorkerReply;
      if (reply.type === 'rows') return reply.rows;
      if (reply.type === 'input-error') throw new InputError(reply.problem, reply.place);
      throw new Error(`a CSV reader thread failed: ${reply.message}`);
    }
    if (r.worker.threadId === -1) {
      stop(r);
      const t = r.task;
      return readRows(partBytes, t.file, t.textColumns, { header: t.header, lineOffset: t.lineOffset, recordDelimiter: t.recordDelimiter });
    }
  }
}

/**
 * The rows of every part: the first read here (it holds the header), the others on worker threads.
 * `parts[k]` are the bytes of part k; the first error in file order is the one thrown.
 */
export function readPartsInParallel(parts: readonly Uint8Array[], linesBefore: readonly number[], file: string, textColumns: readonly string[], header: readonly string[], recordDelimiter: '\n' | '\r\n'): Rows[] {
  const running = parts.slice(1).map((bytes, k) =>
    // A file in shared memory (readBytes' `shared`) is read by each worker in place. Otherwise each
    // worker gets its own copy of its part, transferred (not cloned again): `new Uint8Array(view)` copies;
    // a Buffer's `slice` would not, and transferring it would take the whole file away.
    start({ bytes: bytes.buffer instanceof SharedArrayBuffer ? bytes : new Uint8Array(bytes), file, textColumns, header, lineOffset: linesBefore[k], recordDelimiter }),
  );
  try {
    const first = readRows(parts[0], file, textColumns);
    return [first, ...running.map((r, k) => rowsOf(r, parts[k + 1]))];
  } finally {
    running.forEach(stop);
  }
}
