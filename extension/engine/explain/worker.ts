/**
 * Worker-thread side of `explainBlocks`: builds its explainer once from the setup it is started with,
 * then explains each block of cases it is sent and sends back flat arrays (transferred, not copied).
 * Bundled as dist/explain-worker.js; run from source under tsx in tests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isInputError } from '../errors';
import { explainRange } from './attribution';
import { prepareExplainer, type Explainer } from './explainer';
import type { WorkerReply, WorkerSetup, WorkerTask } from './parallel';

const port = parentPort!;

function failed(e: unknown): WorkerReply {
  return isInputError(e) ? { type: 'input-error', problem: e.problem, place: e.place } : { type: 'failed', message: (e as Error)?.message ?? String(e) };
}

let explainer: Explainer | null = null;
try {
  const setup = workerData as WorkerSetup;
  explainer = prepareExplainer(setup.model, setup.background, setup.options);
} catch (e) {
  port.postMessage(failed(e));
}

port.on('message', (task: WorkerTask) => {
  if (!explainer) return;
  try {
    const n = task.ids.length;
    const margin = new Float64Array(n);
    const contributions = new Float64Array(n * explainer.nFeatures);
    explainRange(explainer, { n, x: task.x, ids: task.ids }, 0, n, margin, contributions);
    port.postMessage({ type: 'block', from: task.from, margin, contributions } satisfies WorkerReply, [margin.buffer, contributions.buffer]);
  } catch (e) {
    port.postMessage(failed(e));
  }
});
