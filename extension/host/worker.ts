/**
 * The engine worker thread (bundled as dist/worker.js): holds the open review in an `EngineSession` and
 * answers the host's requests one message at a time. Requests run in the order they arrive; a long one
 * (an export) yields between cases, so a `cancel` message is seen while it runs.
 */
import { parentPort } from 'node:worker_threads';
import { isInputError } from '../engine/errors';
import type { FromWorker, RequestType, ToWorker, WireError } from './engineProtocol';
import { EngineSession } from './engineSession';

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread');

const session = new EngineSession();
const cancelled = new Set<number>();
let queue: Promise<void> = Promise.resolve();

function wireError(e: unknown): WireError {
  if (isInputError(e)) return { kind: 'input', problem: e.problem, place: e.place };
  const err = e instanceof Error ? e : new Error(String(e));
  return { kind: 'bug', message: err.message, stack: err.stack };
}

function post(message: FromWorker): void {
  port!.postMessage(message);
}

async function run(id: number, type: RequestType, args: unknown): Promise<void> {
  let lastProgress = 0;
  try {
    const value = await session.handle(type, args as never, {
      onProgress(done, total, message) {
        const now = Date.now();
        if (message !== undefined || done === total || now - lastProgress > 100) {
          lastProgress = now;
          post({ kind: 'progress', id, done, total, message });
        }
      },
      isCancelled: () => cancelled.has(id),
    });
    post({ kind: 'result', id, value });
  } catch (e) {
    post({ kind: 'error', id, error: wireError(e) });
  } finally {
    cancelled.delete(id);
  }
}

port.on('message', (msg: ToWorker) => {
  if (msg.kind === 'cancel') {
    cancelled.add(msg.id);
    return;
  }
  queue = queue.then(() => run(msg.id, msg.type, msg.args));
});
