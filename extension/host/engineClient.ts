/**
 * The host's end of the engine worker: typed requests with progress and cancellation. Nothing here
 * imports `vscode`, so tests drive the real worker through this class.
 *
 * Cancellation: an export stops at its next case (the worker checks between cases). Anything else runs
 * in one synchronous stretch in the worker (reading a large case file, preparing the analyses), so it is
 * cancelled by ending the worker; the open review goes with it, and `onLost` tells the host.
 */
import { Worker } from 'node:worker_threads';
import { InputError } from '../engine/errors';
import type { FromWorker, RequestType, Requests, ToWorker, WireError } from './engineProtocol';

export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('cancelled');
  }
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number, message?: string) => void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(e: Error): void;
  readonly onProgress?: (done: number, total: number, message?: string) => void;
}

/** Requests the worker can stop by itself at a checkpoint; the others end the worker. */
const COOPERATIVE: ReadonlySet<RequestType> = new Set<RequestType>(['export']);

export interface WorkerScript {
  readonly file: string;
  /** E.g. ['--require', 'tsx/cjs'] to run worker.ts from source in tests. */
  readonly execArgv?: readonly string[];
}

function fromWire(e: WireError): Error {
  switch (e.kind) {
    case 'input':
      return new InputError(e.problem, e.place);
    case 'bug': {
      const err = new Error(e.message);
      if (e.stack) err.stack = e.stack;
      return err;
    }
  }
}

export class EngineClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** @param onLost called when the worker ends (cancelled, crashed or disposed) and its review with it. */
  constructor(
    private readonly script: WorkerScript,
    private readonly onLost: (why: string) => void = () => {},
  ) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script.file, { execArgv: this.script.execArgv ? [...this.script.execArgv] : undefined });
    worker.on('message', (msg: FromWorker) => this.receive(msg));
    worker.on('error', (e) => this.lost(worker, `the engine worker failed: ${e.message}`, e));
    worker.on('exit', (code) => this.lost(worker, `the engine worker stopped (exit code ${code})`));
    this.worker = worker;
    return worker;
  }

  private receive(msg: FromWorker): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.kind === 'progress') {
      p.onProgress?.(msg.done, msg.total, msg.message);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.kind === 'result') p.resolve(msg.value);
    else p.reject(fromWire(msg.error));
  }

  /** The worker is gone: every request still waiting fails with `error` (or as cancelled). */
  private lost(worker: Worker, why: string, error?: Error, asCancelled = false): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(asCancelled ? new CancelledError() : (error ?? new Error(why)));
    this.onLost(why);
  }

  request<T extends RequestType>(type: T, args: Requests[T]['args'], options: RequestOptions = {}): Promise<Requests[T]['result']> {
    const { signal, onProgress } = options;
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<Requests[T]['result']>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.has(id)) return;
        if (COOPERATIVE.has(type)) {
          worker.postMessage({ kind: 'cancel', id } satisfies ToWorker);
          return;
        }
        this.lost(worker, 'the engine worker was stopped to cancel a request', undefined, true);
        void worker.terminate();
      };
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (v) => {
          done();
          resolve(v as Requests[T]['result']);
        },
        reject: (e) => {
          done();
          reject(e);
        },
        onProgress,
      });
      signal?.addEventListener('abort', onAbort);
      worker.postMessage({ kind: 'request', id, type, args } satisfies ToWorker);
    });
  }

  /** Whether a worker is running (and so may hold an open review). */
  get running(): boolean {
    return this.worker !== null;
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.lost(worker, 'the engine worker was closed', undefined, true);
    await worker.terminate();
  }
}
