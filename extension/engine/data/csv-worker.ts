/**
 * Worker-thread side of csv-parallel.ts: reads one part of a case file into columns and posts them
 * (typed arrays transferred, not copied), then wakes the waiting thread. Bundled as dist/csv-worker.js;
 * run from source under tsx in tests.
 */
import { workerData } from 'node:worker_threads';
import { isInputError } from '../errors';
import { readRows } from './csv-rows';
import type { CsvWorkerReply, CsvWorkerTask } from './csv-parallel';

function run(task: CsvWorkerTask): void {
  let reply: CsvWorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const rows = readRows(task.bytes, task.file, task.textColumns, { header: task.header, lineOffset: task.lineOffset, recordDelimiter: task.recordDelimiter });
    reply = { type: 'rows', rows };
    transfer = [rows.lines.buffer as ArrayBuffer, ...rows.columns.flatMap((c) => (c.kind === 'number' ? [c.values.buffer as ArrayBuffer] : []))];
  } catch (e) {
    reply = isInputError(e) ? { type: 'input-error', problem: e.problem, place: e.place } : { type: 'failed', message: (e as Error)?.message ?? String(e) };
  }
  task.port.postMessage(reply, transfer);
  Atomics.store(task.done, 0, 1);
  Atomics.notify(task.done, 0);
}

run(workerData as CsvWorkerTask);
