/**
 * Every case's attributions, in data order, with progress and cancellation — the one entry point the
 * CLI, the extension host and the exports share.
 *
 * `explainBlocks` hands the caller consecutive blocks of cases as they are ready, in order, so that a
 * caller who writes them out (the CLI's `explain --all`) holds a few blocks, not n × M numbers: memory
 * does not grow with the number of cases. `explainAll` collects the blocks into one `AttributionSet`
 * for callers who need them all (group drivers).
 *
 * Tree models with enough work run on worker threads: each worker builds its own explainer once (the
 * TreeSHAP tables take milliseconds), then explains the blocks it is sent and returns flat arrays by
 * transfer; at most a few blocks per thread are in flight or waiting to be handed on. Logistic and
 * additive models, and small inputs, are explained on the calling thread: a worker would cost more to
 * start than the work itself. Workers are only ever given data (no code), and are ended on
 * cancellation or on the first error.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InputError, type Place } from '../errors';
import { isTreeModel, type ComputedModel } from '../models/types';
import { attributionSet, explainRange, type AttributionSet, type CaseRows } from './attribution';
import type { Background } from './background';
import { prepareExplainer, type Explainer, type ExplainerOptions } from './explainer';

export interface ExplainInput {
  readonly model: ComputedModel;
  readonly cases: CaseRows;
  readonly background: Background;
}

export interface ExplainAllOptions extends ExplainerOptions {
  /** Worker threads to use (default: the machine's available parallelism); 1 = this thread only. */
  readonly threads?: number;
  /** Called as cases finish, in order: (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/** Cases `from` … `to − 1`: their margins and their contributions (row-major, `to − from` × M). */
export interface ExplainedBlock {
  readonly from: number;
  readonly to: number;
  readonly margin: Float64Array;
  readonly contributions: Float64Array;
}

/** What every block shares: the method, scale and base value of the explainer that made them. */
export type ExplainerFigures = Pick<Explainer, 'method' | 'scale' | 'baseValue' | 'nFeatures'>;

/** What a worker is given once (structured-cloned: data only). */
export interface WorkerSetup {
  readonly model: ComputedModel;
  readonly background: Background;
  readonly options: ExplainerOptions;
}

/** A block of cases for a worker to explain. */
export interface WorkerTask {
  readonly from: number;
  readonly x: Float64Array;
  readonly ids: readonly string[];
}

export type WorkerReply =
  | { readonly type: 'block'; readonly from: number; readonly margin: Float64Array; readonly contributions: Float64Array }
  | { readonly type: 'input-error'; readonly problem: string; readonly place: Place }
  | { readonly type: 'failed'; readonly message: string };

/** Below this many tree-node visits in all, threads cost more than they save. */
const MIN_WORK_FOR_THREADS = 20_000_000;
/** Cases per block: between blocks progress is told, output written and cancellation checked. */
const BLOCK = 4096;
/** Blocks per thread that may be in flight or waiting to be handed on, which bounds memory. */
const AHEAD_PER_THREAD = 3;

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
  return Math.min(threads, Math.ceil(input.cases.n / BLOCK));
}

type OnBlock = (block: ExplainedBlock) => void | Promise<void>;

async function explainHere(input: ExplainInput, options: ExplainAllOptions, onBlock: OnBlock): Promise<ExplainerFigures> {
  const explainer = prepareExplainer(input.model, input.background, options);
  const { n } = input.cases;
  const m = explainer.nFeatures;
  for (let from = 0; from < n; from += BLOCK) {
    if (options.signal?.aborted) throw abortError();
    const to = Math.min(n, from + BLOCK);
    const margin = new Float64Array(to - from);
    const contributions = new Float64Array((to - from) * m);
    explainRange(explainer, input.cases, from, to, margin, contributions, 0);
    await onBlock({ from, to, margin, contributions });
    options.onProgress?.(to, n);
    // Let the event loop run (progress messages, a cancel click) between blocks of a long batch.
    if (to < n && (options.signal || options.onProgress)) await new Promise((r) => setImmediate(r));
  }
  return explainer;
}

/** A pool of workers explaining blocks in any order; `explainBlocks` hands them on in data order. */
async function explainOnWorkers(input: ExplainInput, options: ExplainAllOptions, threads: number, onBlock: OnBlock): Promise<ExplainerFigures> {
  const { n, x, ids } = input.cases;
  const m = input.model.features.length;
  // The base value and method come from the same explainer the workers build; preparing it here also
  // surfaces a bad model before any worker starts. Only its figures are kept, not its tables.
  const { method, scale, baseValue, nFeatures } = prepareExplainer(input.model, input.background, options);
  // Only data crosses to a worker: the explainer's options without the callback and the signal.
  const setup: WorkerSetup = { model: input.model, background: input.background, options: { tableBudgetBytes: options.tableBudgetBytes, subtreeHeight: options.subtreeHeight, file: options.file } };
  const script = workerScript();
  const workers = Array.from({ length: threads }, () => new Worker(script.file, { workerData: setup, execArgv: script.execArgv }));
  const blocks = Math.ceil(n / BLOCK);
  const ready = new Map<number, ExplainedBlock>();
  let sent = 0;
  let handedOn = 0;

  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      let handing = false;
      const fail = (e: unknown) => {
        if (settled) return;
        settled = true;
        reject(e);
      };
      const onAbort = () => fail(abortError());
      options.signal?.addEventListener('abort', onAbort);
      const send = (worker: Worker) => {
        if (sent >= blocks || sent - handedOn >= threads * AHEAD_PER_THREAD) return false;
        const from = sent++ * BLOCK;
        const to = Math.min(n, from + BLOCK);
        const task: WorkerTask = { from, x: x.slice(from * m, to * m), ids: ids.slice(from, to) };
        worker.postMessage(task, [task.x.buffer as ArrayBuffer]);
        return true;
      };
      const idle = new Set<Worker>();
      // Hands on the blocks that are next in data order, one at a time (`onBlock` may wait for output).
      const handOn = async () => {
        if (handing) return;
        handing = true;
        try {
          for (let block = ready.get(handedOn * BLOCK); block && !settled; block = ready.get(handedOn * BLOCK)) {
            ready.delete(block.from);
            await onBlock(block);
            handedOn++;
            options.onProgress?.(block.to, n);
            for (const w of [...idle]) if (send(w)) idle.delete(w);
          }
          if (handedOn === blocks && !settled) {
            settled = true;
            options.signal?.removeEventListener('abort', onAbort);
            resolve();
          }
        } catch (e) {
          fail(e);
        } finally {
          handing = false;
        }
      };
      for (const worker of workers) {
        worker.on('message', (reply: WorkerReply) => {
          if (reply.type === 'block') {
            ready.set(reply.from, { from: reply.from, to: Math.min(n, reply.from + BLOCK), margin: reply.margin, contributions: reply.contributions });
            if (!send(worker)) idle.add(worker);
            void handOn();
          } else if (reply.type === 'input-error') fail(new InputError(reply.problem, reply.place));
          else fail(new Error(reply.message));
        });
        worker.on('error', fail);
        worker.on('exit', (code) => {
          if (handedOn < blocks) fail(new Error(`an explanation worker stopped early (exit code ${code})`));
        });
        // Two blocks each to start, so a worker never waits for the next while one is handed on.
        if (!send(worker) || !send(worker)) idle.add(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { method, scale, baseValue, nFeatures };
}

/**
 * Explains every case, handing consecutive blocks to `onBlock` in data order (it may be async: the next
 * block waits for it). Returns the explainer's figures (method, scale, base value).
 */
export async function explainBlocks(input: ExplainInput, options: ExplainAllOptions, onBlock: OnBlock): Promise<ExplainerFigures> {
  if (options.signal?.aborted) throw abortError();
  const threads = threadsFor(input, options.threads);
  return threads === 1 ? explainHere(input, options, onBlock) : explainOnWorkers(input, options, threads, onBlock);
}

/** Every case's attributions in one set (n × M numbers: for callers who need them all at once). */
export async function explainAll(input: ExplainInput, options: ExplainAllOptions = {}): Promise<AttributionSet> {
  const { n } = input.cases;
  const m = input.model.features.length;
  const margin = new Float64Array(n);
  const contributions = new Float64Array(n * m);
  const figures = await explainBlocks(input, options, (b) => {
    margin.set(b.margin, b.from);
    contributions.set(b.contributions, b.from * m);
  });
  return attributionSet(figures, margin, contributions);
}
