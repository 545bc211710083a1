/**
 * Messages between the extension host and its engine worker (worker.ts). The worker holds the open
 * review (model, cases, analyses) so that loading, scoring and summaries never block the host's main
 * thread; the host holds only what its case list and panel need. Everything here is plain data that
 * survives the structured clone; nothing imports `vscode`.
 */
import type { Place } from '../engine/errors';
import type { ModelKind } from '../engine/models/types';
import type { SummaryFormat } from '../engine/report/index';
import type { DecisionsOverview } from '../engine/decisions/types';
import type { AttributionSummary, CaseSummary, ReviewDecision, WhatIfScenario } from '../engine/report/types';
import type { FeatureField, FeatureValues } from '../../webview/protocol';

/** Where a review comes from: a project file, or a model and a case file with the columns picked by hand. */
export type ReviewSource =
  | { readonly kind: 'project'; readonly file: string }
  | { readonly kind: 'files'; readonly model: string; readonly data: string; readonly idColumn: string; readonly outcomeColumn?: string; readonly groupColumns: readonly string[] };

export interface OpenOptions {
  /** Reliability-diagram bins for calibration (`riskReview.calibrationBins`). */
  readonly bins?: number;
  /** Leaf budget of the surrogate tree (`riskReview.maxLeaves`). */
  readonly maxLeaves?: number;
  /** The workspace is not trusted: a project may only name files in its own folder (`confineToProjectFolder`). */
  readonly untrusted?: boolean;
}

/** What the host learns when a review opens: enough for the case list, without the feature matrix. */
export interface OpenedReview {
  readonly name: string;
  readonly projectFile?: string;
  readonly modelName: string;
  readonly modelKind: ModelKind;
  /** Null when the score is read from a column of the data (no model). */
  readonly modelFile: string | null;
  readonly dataFile: string;
  /** What the review log keys decisions by (`scoringSha256`): the model's SHA-256, or the data's for a score column. */
  readonly modelSha256: string;
  readonly dataSha256: string;
  readonly n: number;
  readonly ids: readonly string[];
  readonly score: Float64Array;
  /** Case indices by score (highest first) and by id (natural order), ties in file order: the list's sorts, made off the main thread. */
  readonly byScore: Int32Array;
  readonly byId: Int32Array;
  readonly scoreIsProbability: boolean;
  readonly scoreUnit: string;
  readonly threshold: number;
  /** Band labels, lowest first; `band[i]` indexes it. */
  readonly bands: readonly string[];
  readonly band: Uint8Array;
  /** 1 / 0 / -1 unknown; null without an outcome column. */
  readonly outcome: Int8Array | null;
  readonly outcomeColumn: string | null;
  readonly groups: readonly { readonly column: string; readonly labels: readonly string[]; readonly codes: Int32Array }[];
  /** The what-if editor's fields, in model order. */
  readonly fields: readonly FeatureField[];
  /** Values outside what the model saw (against the project's background file), one line each, as the CLI prints them. */
  readonly warnings: readonly string[];
}

/** What the worker needs besides the case to say everything a summary says. */
export interface CaseExtras {
  readonly decision?: ReviewDecision | null;
  readonly whatIfs?: readonly WhatIfScenario[];
}

export interface CaseView {
  readonly summary: CaseSummary;
  readonly values: FeatureValues;
}

export interface WhatIfResult {
  readonly score: number;
  readonly margin: number;
  readonly band: string;
  readonly attribution: AttributionSummary | null;
}

/** One document, or one per case in a folder (names planned by the host, existing files already confirmed). */
export type ExportTarget = { readonly kind: 'file'; readonly file: string } | { readonly kind: 'folder'; readonly dir: string; readonly names: readonly string[] };

export interface ExportJob {
  readonly indices: readonly number[];
  /** Decisions and kept scenarios by case index (only for cases that have them). */
  readonly extras: Readonly<Record<number, CaseExtras>>;
  readonly format: SummaryFormat;
  readonly plainLanguage: boolean;
  /** In the letter, the reviewer's reason and notes too. */
  readonly reviewerText?: boolean;
  /** One file: the reference standing for the case; a folder: the prefix of the references. */
  readonly redact?: string;
  readonly target: ExportTarget;
}

export interface ExportResult {
  readonly written: readonly string[];
  readonly cancelled: boolean;
}

/** Requests and their results, by type. */
export interface Requests {
  open: { args: { source: ReviewSource; options: OpenOptions }; result: OpenedReview };
  csvHeader: { args: { file: string }; result: readonly string[] };
  /** `blind`: the summary without the known outcome and the figures computed from it (report/blind.ts). */
  case: { args: { index: number; extras: CaseExtras; blind?: boolean }; result: CaseView };
  /** The reviewers' decisions on the open review, from the review log `logFile` (read and checked in the worker). */
  decisions: { args: { logFile: string }; result: DecisionsOverview };
  whatIf: { args: { index: number; values: FeatureValues }; result: WhatIfResult };
  /** File names for a batch in `dir` (from the case ids, or references when redacted) and which of them exist. */
  planBatch: { args: { indices: readonly number[]; format: SummaryFormat; redactPrefix?: string; dir: string }; result: { names: readonly string[]; existing: readonly string[] } };
  export: { args: ExportJob; result: ExportResult };
}
export type RequestType = keyof Requests;

export type ToWorker =
  | { readonly kind: 'request'; readonly id: number; readonly type: RequestType; readonly args: unknown }
  /** Stop request `id` at its next checkpoint (between cases of an export). */
  | { readonly kind: 'cancel'; readonly id: number };

/** An error as it crosses the thread boundary: bad input keeps its place; anything else is a bug. */
export type WireError = { readonly kind: 'input'; readonly problem: string; readonly place: Place } | { readonly kind: 'bug'; readonly message: string; readonly stack?: string };

export type FromWorker =
  | { readonly kind: 'result'; readonly id: number; readonly value: unknown }
  | { readonly kind: 'error'; readonly id: number; readonly error: WireError }
  /** `message` names the stage of a request that goes by stages (opening), in words. */
  | { readonly kind: 'progress'; readonly id: number; readonly done: number; readonly total: number; readonly message?: string };
