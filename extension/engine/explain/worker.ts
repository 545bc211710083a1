/**
 * Worker-thread side of `explainAll`: explains one contiguous block of cases and sends back flat arrays
 * (transferred, not copied). Bundled as dist/explain-worker.js; run from source under tsx in tests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isInputError } from '../errors';
import { explainRange } from './attribution';
import { prepareExplainer } from './explainer';
import type { WorkerReply, WorkerTask } from './parallel';

const PROGRESS_EVERY = 4096;

function run(task: WorkerTask): void {
  const port = parentPort!;
  try {
    const explainer = prepareExplainer(task.model, task.background, task.options);
    const n = task.ids.length;
    const m = explainer.nFeatures;
    const margin = new Float64Array(n);
    const contributions = new Float64Array(n * m);
    const cases = { n, x: task.x, ids: task.ids };
    for (let from = 0; from < n; from += PROGRESS_EVERY) {
      const to = Math.min(n, from + PROGRESS_EVERY);
      explainRange(explainer, cases, from, to, margin, contributions);
      port.postMessage({ type: 'progress', done: to - from } satisfies WorkerReply);
    }
    port.postMessage({ type: 'done', margin, contributions } satisfies WorkerReply, [margin.buffer, contributions.buffer]);
  } catch (e) {
    const reply: WorkerReply = isInputError(e)
      ? { type: 'input-error', problem: e.problem, place: e.place }
      : { type: 'failed', message: (e as Error)?.message ?? String(e) };
    port.postMessage(reply);
  }
}

run(workerData as WorkerTask);
