/**
 * `explainAll`: every case's attributions, spread over worker threads for tree models, with progress
 * and cancellation — the one entry point the CLI, the extension host and the exports share.
 *
 * Cases are cut into one contiguous block per thread; each worker builds its own explainer (the TreeSHAP
 * tables take milliseconds) and returns flat arrays by transfer. Logistic and additive models, and small
 * inputs, are explained on the calling thread: a worker would cost more to start than the work itself.
 * Workers are only ever given data (no code), and are ended on cancellation.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InputError, type Place } from '../errors';
import { isTreeModel, type ComputedModel } from '../models/types';
import { attributionSet, explainRange, type AttributionSet, type CaseRows } from './attribution';
import type { Background } from './background';
import { prepareExplainer, type ExplainerOptions } from './explainer';

export interface ExplainInput {
  readonly model: ComputedModel;
  readonly cases: CaseRows;
  readonly background: Background;
}

export interface ExplainAllOptions extends ExplainerOptions {
  /** Worker threads to use (default: the machine's available parallelism); 1 = this thread only. */
  readonly threads?: number;
  /** Called as cases finish: (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/** What a worker is given (structured-cloned: data only). */
export interface WorkerTask {
  readonly model: ComputedModel;
  readonly background: Background;
  readonly options: ExplainerOptions;
  readonly x: Float64Array;
  readonly ids: readonly string[];
}

export type WorkerReply =
  | { readonly type: 'progress'; readonly done: number }
  | { readonly type: 'done'; readonly margin: Float64Array; readonly contributions: Float64Array }
  | { readonly type: 'input-error'; readonly problem: string; readonly place: Place }
  | { readonly type: 'failed'; readonly message: string };

/** Below this many tree-node visits in all, threads cost more than they save. */
const MIN_WORK_FOR_THREADS = 20_000_000;
/** Cases per slice on the calling thread, between which progress is told and cancellation checked. */
const SLICE = 2048;

function abortError(): Error {
  const e = new Error('the explanation was cancelled');
  e.name = 'AbortError';
  return e;
}

/**
 * The worker's script: dist/explain-worker.js beside the bundle that runs this code; or, when the engine
 * runs from source (tests under tsx), worker.ts here, which needs tsx's require hook in the thread.
 */
function workerScript(): { file: string; execArgv?: string[] } {
  const bundled = join(__dirname, 'explain-worker.js');
  if (existsSync(bundled)) return { file: bundled };
  return { file: join(__dirname, 'worker.ts'), execArgv: ['--require', 'tsx/cjs'] };
}

function threadsFor(input: ExplainInput, asked: number | undefined): number {
  const threads = Math.max(1, Math.floor(asked ?? availableParallelism()));
  if (threads === 1 || !isTreeModel(input.model)) return 1;
  const work = input.cases.n * input.model.forest.left.length;
  if (work < MIN_WORK_FOR_THREADS) return 1;
  return Math.min(threads, Math.ceil(input.cases.n / SLICE));
}

async function explainHere(input: ExplainInput, options: ExplainAllOptions): Promise<AttributionSet> {
  const explainer = prepareExplainer(input.model, input.background, options);
  const { n } = input.cases;
  const m = explainer.nFeatures;
  const margin = new Float64Array(n);
  const contributions = new Float64Array(n * m);
  for (let from = 0; from < n; from += SLICE) {
    if (options.signal?.aborted) throw abortError();
    const to = Math.min(n, from + SLICE);
    explainRange(explainer, input.cases, from, to, margin, contributions);
    options.onProgress?.(to, n);
    // Let the event loop run (progress messages, a cancel click) between slices of a long batch.
    if (to < n && (options.signal || options.onProgress)) await new Promise((r) => setImmediate(r));
  }
  return attributionSet(explainer, margin, contributions);
}

function explainInWorker(task: WorkerTask, onDone: (k: number) => void, signal: AbortSignal | undefined): Promise<{ margin: Float64Array; contributions: Float64Array }> {
  return new Promise((resolve, reject) => {
    const script = workerScript();
    const worker = new Worker(script.file, { workerData: task, execArgv: script.execArgv });
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      f();
    };
    const onAbort = () => finish(() => reject(abortError()));
    signal?.addEventListener('abort', onAbort);
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'progress') onDone(reply.done);
      else if (reply.type === 'done') finish(() => resolve(reply));
      else if (reply.type === 'input-error') finish(() => reject(new InputError(reply.problem, reply.place)));
      else finish(() => reject(new Error(reply.message)));
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new Error(`an explanation worker stopped early (exit code ${code})`))));
  });
}

export async function explainAll(input: ExplainInput, options: ExplainAllOptions = {}): Promise<AttributionSet> {
  if (options.signal?.aborted) throw abortError();
  const threads = threadsFor(input, options.threads);
  if (threads === 1) return explainHere(input, options);

  const { n, x, ids } = input.cases;
  const m = input.model.features.length;
  // The base value and method come from the same explainer the workers build; preparing it here also
  // surfaces a bad model before any worker starts. Only its figures are kept, not its tables.
  const { method, scale, baseValue, nFeatures } = prepareExplainer(input.model, input.background, options);
  // Only data crosses to a worker: the explainer's options without the callback and the signal.
  const workerOptions: ExplainerOptions = { tableBudgetBytes: options.tableBudgetBytes, subtreeHeight: options.subtreeHeight, file: options.file };
  let done = 0;
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort);
  const blocks = Array.from({ length: threads }, (_, k) => [Math.floor((k * n) / threads), Math.floor(((k + 1) * n) / threads)] as const);
  try {
    const parts = await Promise.all(
      blocks.map(([from, to]) =>
        explainInWorker(
          { model: input.model, background: input.background, options: workerOptions, x: x.slice(from * m, to * m), ids: ids.slice(from, to) },
          (k) => {
            done += k;
            options.onProgress?.(done, n);
          },
          controller.signal,
        ).catch((e: unknown) => {
          controller.abort(); // one failure stops the others
          throw e;
        }),
      ),
    );
    const margin = new Float64Array(n);
    const contributions = new Float64Array(n * m);
    parts.forEach((p, k) => {
      margin.set(p.margin, blocks[k][0]);
      contributions.set(p.contributions, blocks[k][0] * m);
    });
    return attributionSet({ method, scale, baseValue, nFeatures }, margin, contributions);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
