/**
 * The open review as the extension host sees it: which review is open (the engine worker holds its
 * data), the case list's query and order, the case being looked at, the review log's decisions and the
 * what-if scenarios kept for export. The case list, the panel and the commands all read and change it
 * here, so "next case" in the panel walks the list the reviewer sees.
 */
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { formatPlace, isInputError } from '../engine/errors';
import type { ReviewDecision, Verdict, WhatIfScenario } from '../engine/report/types';
import type { FeatureValues, HostMessage } from '../../webview/protocol';
import { blindReview, calibrationBins, maxLeaves, reviewerName, reviewLogFile } from './config';
import { DEFAULT_QUERY, neighbour, selectCases, type CaseQuery } from './caseQuery';
import { CancelledError, type EngineClient } from './engineClient';
import type { CaseExtras, OpenedReview, ReviewSource } from './engineProtocol';
import type { DecisionsOverview } from '../engine/decisions/types';
import { appendEntry, decisionEntry, decisionOf, decisionsFor, latestVerdicts, readLog, type ReviewLogEntry } from '../engine/reviewLog';
import { safeLabel, safeLine, showError, showWarning, statusMessage } from './notify';
import { findId } from '../engine/data/ids';

const LAST_SOURCE = 'riskReview.lastSource';

/**
 * Tells the user what went wrong. Bad input (an `InputError`) is shown as it is: it names the file and
 * the problem. Anything else is a bug, shown briefly with its details in the output channel. The log
 * keeps places and stack traces, never case values.
 */
export function reportError(log: vscode.LogOutputChannel, what: string, e: unknown): void {
  if (e instanceof CancelledError) {
    log.info(safeLine(`${what}: cancelled`));
    return;
  }
  if (isInputError(e)) {
    log.warn(safeLine(`${what}: bad input at ${formatPlace(e.place) || '(no place)'}`));
    void showError(`Risk Review: ${e.message}`);
    return;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  log.error(safeLine(`${what}: ${err.stack ?? err.message}`));
  void showError(`Risk Review: ${what} failed (${err.message}). Details are in the "Risk Review" output.`);
}

export class ReviewController implements vscode.Disposable {
  private opened: OpenedReview | null = null;
  private openedFrom: ReviewSource | null = null;
  private queryNow: CaseQuery = DEFAULT_QUERY;
  private orderCache: Int32Array | null = null;
  private currentIndex: number | null = null;
  private entries: readonly ReviewLogEntry[] = [];
  private latest = new Map<string, ReviewLogEntry>();
  /** Cases the current reviewer has recorded a decision on (about this model and data): blind review shows them their outcome. */
  private decidedByReviewer = new Set<string>();
  private readonly scenarios = new Map<string, WhatIfScenario[]>();
  private watcher: vscode.FileSystemWatcher | undefined;
  private opening: AbortController | null = null;

  private readonly listChanged = new vscode.EventEmitter<void>();
  private readonly caseChanged = new vscode.EventEmitter<number | null>();
  private readonly reviewChanged = new vscode.EventEmitter<OpenedReview | null>();
  private readonly logChanged = new vscode.EventEmitter<void>();
  /** The cases listed, their order or their review status changed. */
  readonly onDidChangeList = this.listChanged.event;
  /** Another case is being looked at. */
  readonly onDidChangeCase = this.caseChanged.event;
  /** A review was opened, or the open one closed. */
  readonly onDidChangeReview = this.reviewChanged.event;
  /** The review log was read again or appended to. */
  readonly onDidChangeLog = this.logChanged.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly engine: EngineClient,
    readonly log: vscode.LogOutputChannel,
  ) {}

  get review(): OpenedReview | null {
    return this.opened;
  }
  get source(): ReviewSource | null {
    return this.openedFrom;
  }
  get query(): CaseQuery {
    return this.queryNow;
  }
  get current(): number | null {
    return this.currentIndex;
  }
  /** The review most recently opened in this workspace (to reopen it after a window reload). */
  get lastSource(): ReviewSource | undefined {
    return this.context.workspaceState.get<ReviewSource>(LAST_SOURCE);
  }

  verdictOf = (i: number): Verdict | undefined => (this.opened ? this.latest.get(this.opened.ids[i])?.verdict : undefined);
  latestDecisionOf(i: number): ReviewLogEntry | undefined {
    return this.opened ? this.latest.get(this.opened.ids[i]) : undefined;
  }

  /**
   * Whether case i is shown blind: blind review is on, the review has outcomes, and the current reviewer
   * has not yet recorded a decision on the case (another reviewer's decision does not reveal it to them).
   */
  isBlind(i: number): boolean {
    return this.opened !== null && this.opened.outcome !== null && blindReview() && !this.decidedByReviewer.has(this.opened.ids[i]);
  }

  /** The listed cases in the list's order (cached until the review, query or decisions change). */
  order(): Int32Array {
    if (!this.opened) return new Int32Array(0);
    this.orderCache ??= selectCases(this.opened, this.verdictOf, this.queryNow);
    return this.orderCache;
  }

  private listDirty(): void {
    this.orderCache = null;
    this.listChanged.fire();
  }

  /**
   * Opens a review in the worker, with a cancellable progress notification. Resolves to whether it
   * opened; failures are reported to the user here.
   */
  async open(source: ReviewSource, options: { caseId?: string } = {}): Promise<boolean> {
    this.opening?.abort();
    const abort = new AbortController();
    this.opening = abort;
    const title = safeLabel(`Risk Review: opening ${basename(source.kind === 'project' ? source.file : source.data)}`);
    try {
      const started = Date.now();
      const review = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        let reported = 0;
        return this.engine.request(
          'open',
          { source, options: { bins: calibrationBins(), maxLeaves: maxLeaves(), untrusted: !vscode.workspace.isTrusted } },
          {
            signal: abort.signal,
            onProgress: (done, total, message) => {
              progress.report({ message: message && safeLabel(`${message}…`), increment: ((done - reported) / total) * 100 });
              reported = done;
            },
          },
        );
      });
      this.log.info(`opened a review of ${review.n} cases (${review.modelKind} model) in ${Date.now() - started} ms`);
      for (const w of review.warnings) this.log.warn(safeLine(w));
      if (review.warnings.length > 0) {
        const first = review.warnings[0];
        const more = review.warnings.length > 1 ? ` (and ${review.warnings.length - 1} more in the Risk Review output)` : '';
        void showWarning(`Risk Review: ${first}${more}.`);
      }
      this.opened = review;
      this.openedFrom = source;
      this.queryNow = DEFAULT_QUERY;
      this.scenarios.clear();
      await this.context.workspaceState.update(LAST_SOURCE, source);
      await this.reloadLog();
      this.watchLog();
      void vscode.commands.executeCommand('setContext', 'riskReview.reviewOpen', true);
      this.reviewChanged.fire(review);
      this.listDirty();
      const asked = options.caseId === undefined ? -1 : review.ids.indexOf(options.caseId);
      this.select(asked >= 0 ? asked : (this.order()[0] ?? null));
      return true;
    } catch (e) {
      reportError(this.log, 'Opening the review', e);
      return false;
    } finally {
      if (this.opening === abort) this.opening = null;
    }
  }

  /** The worker ended (cancelled or crashed): its review is gone. */
  lost(): void {
    if (!this.opened) return;
    this.opened = null;
    this.currentIndex = null;
    void vscode.commands.executeCommand('setContext', 'riskReview.reviewOpen', false);
    this.reviewChanged.fire(null);
    this.listDirty();
    this.caseChanged.fire(null);
  }

  setQuery(change: Partial<CaseQuery>): void {
    this.queryNow = { ...this.queryNow, ...change };
    this.listDirty();
    // The current case's place in the list ("3 / 120") changed with it: show the case again.
    this.caseChanged.fire(this.currentIndex);
  }

  select(index: number | null): void {
    if (index !== null && (!this.opened || index < 0 || index >= this.opened.n)) return;
    this.currentIndex = index;
    this.caseChanged.fire(index);
  }

  selectId(caseId: string): boolean {
    const i = this.opened ? findId(this.opened.ids, caseId) : -1;
    if (i < 0) return false;
    this.select(i);
    return true;
  }

  /** Moves to the next (+1) or previous (−1) case of the list; says so when there is none. */
  step(step: 1 | -1): void {
    const next = neighbour(this.order(), this.currentIndex, step);
    if (next === null) {
      statusMessage(this.opened ? `Risk Review: no ${step === 1 ? 'next' : 'previous'} case in the list` : 'Risk Review: no review is open', 3000);
      return;
    }
    this.select(next);
  }

  /** Decisions (when the log has them) and kept scenarios of case i, for its summary and its exports. */
  extrasOf(i: number): CaseExtras {
    const id = this.opened!.ids[i];
    const decision = this.latestDecisionOf(i);
    return { decision: decision ? decisionOf(decision) : null, whatIfs: this.scenarios.get(id) ?? [] };
  }

  /** The panel's `case` message for case i. */
  async caseMessage(i: number): Promise<HostMessage> {
    const review = this.opened!;
    const blind = this.isBlind(i);
    const view = await this.engine.request('case', { index: i, extras: this.extrasOf(i), blind });
    const order = this.order();
    const at = order.indexOf(i);
    return {
      type: 'case',
      summary: view.summary,
      // Position in the list the reviewer walks; a case the filters hide counts in file order.
      index: at >= 0 ? at : i,
      total: at >= 0 ? order.length : review.n,
      fields: review.fields,
      values: view.values,
      decisions: decisionsFor(this.entries, review.ids[i], review.modelSha256, review.dataSha256),
      bands: review.bands,
      recordingBlocked: recordingBlocked(),
      blind,
    };
  }

  async whatIf(caseId: string, seq: number, values: FeatureValues): Promise<HostMessage> {
    const i = this.opened ? this.opened.ids.indexOf(caseId) : -1;
    if (i < 0) return { type: 'whatIfError', caseId, seq, message: 'This case is not in the open review.' };
    try {
      const r = await this.engine.request('whatIf', { index: i, values });
      if (!r.attribution) return { type: 'whatIfError', caseId, seq, message: 'The attributions of this model could not be computed.' };
      return { type: 'whatIf', caseId, seq, score: r.score, margin: r.margin, band: r.band, attribution: r.attribution };
    } catch (e) {
      if (isInputError(e)) return { type: 'whatIfError', caseId, seq, message: e.problem };
      throw e;
    }
  }

  keepScenario(caseId: string, scenario: WhatIfScenario): void {
    if (!this.opened || this.opened.ids.indexOf(caseId) < 0) return;
    const kept = this.scenarios.get(caseId) ?? [];
    this.scenarios.set(caseId, [...kept, scenario]);
  }

  get reviewLog(): string {
    return reviewLogFile(this.context.globalStorageUri);
  }

  /**
   * Appends the reviewer's decision to the review log and returns it as saved, with whether it was made
   * blind (the case's outcome then shows from now on). Refused in an untrusted workspace: the log is
   * written into the workspace, and its place can come from workspace settings.
   */
  async decide(caseId: string, verdict: Verdict, reason: string, notes: string, assignedBand?: string): Promise<ReviewDecision> {
    const review = this.opened;
    const i = review ? review.ids.indexOf(caseId) : -1;
    if (!review || i < 0) throw new Error('this case is not in the open review');
    if (!vscode.workspace.isTrusted) throw new UntrustedError();
    const entry = decisionEntry({
      caseId,
      verdict,
      reason,
      notes,
      ...(assignedBand !== undefined ? { assignedBand } : {}),
      band: review.bands[review.band[i]],
      bands: review.bands,
      blind: this.isBlind(i),
      reviewer: reviewerName(),
      modelSha256: review.modelSha256,
      dataSha256: review.dataSha256,
      model: review.modelName,
    });
    const file = this.reviewLog;
    await appendEntry(file, entry);
    this.log.info(safeLine(`recorded a decision (${verdict}) on case ${caseId} in ${file}`));
    this.entries = [...this.entries, entry];
    this.latest.set(caseId, entry);
    this.decidedByReviewer.add(caseId);
    this.listDirty();
    this.logChanged.fire();
    return decisionOf(entry);
  }

  /** The reviewers' decisions on the open review, read from the log and checked (in the worker). */
  decisionsOverview(): Promise<DecisionsOverview> {
    return this.engine.request('decisions', { logFile: this.reviewLog });
  }

  /** Every decision on a case about this model and data, oldest first. */
  historyOf(caseId: string): ReviewDecision[] {
    const review = this.opened;
    return review ? decisionsFor(this.entries, caseId, review.modelSha256, review.dataSha256) : [];
  }

  /** Blind review or the reviewer's name changed: who has decided what, and so what is hidden, changed. */
  reviewSettingsChanged(): void {
    this.decidedByReviewer = this.decidedBy(reviewerName());
    this.listDirty();
    this.caseChanged.fire(this.currentIndex);
  }

  private decidedBy(reviewer: string): Set<string> {
    const review = this.opened;
    if (!review) return new Set();
    return new Set(this.entries.filter((e) => e.reviewer === reviewer && e.modelSha256 === review.modelSha256 && e.dataSha256 === review.dataSha256).map((e) => e.caseId));
  }

  /** Reads the review log again (after opening, or when another window appended to it). */
  async reloadLog(): Promise<void> {
    const file = this.reviewLog;
    try {
      const { entries, skippedLines } = await readLog(file);
      if (skippedLines.length > 0) this.log.warn(safeLine(`${file}: skipped ${skippedLines.length} line(s) that are not decisions (lines ${skippedLines.slice(0, 10).join(', ')})`));
      this.entries = entries;
      this.latest = this.opened ? latestVerdicts(entries, this.opened.modelSha256, this.opened.dataSha256) : new Map();
      this.decidedByReviewer = this.decidedBy(reviewerName());
      this.listDirty();
      this.logChanged.fire();
    } catch (e) {
      reportError(this.log, `Reading the review log ${file}`, e);
    }
  }

  /** The `riskReview.reviewLog` setting changed: watch and read the log at its new place. */
  async reviewLogMoved(): Promise<void> {
    if (!this.opened) return;
    this.watchLog();
    await this.reloadLog();
  }

  private watchLog(): void {
    this.watcher?.dispose();
    const file = this.reviewLog;
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(file)), basename(file)));
    const reload = () => void this.reloadLog();
    this.watcher.onDidChange(reload);
    this.watcher.onDidCreate(reload);
    this.watcher.onDidDelete(reload);
  }

  dispose(): void {
    this.watcher?.dispose();
    this.listChanged.dispose();
    this.caseChanged.dispose();
    this.reviewChanged.dispose();
    this.logChanged.dispose();
  }
}

const UNTRUSTED = 'Decisions are recorded only in a trusted workspace (the review log is written into it). Trust the workspace to record decisions.';

/** Why decisions cannot be recorded in this workspace, or null when they can. */
export function recordingBlocked(): string | null {
  return vscode.workspace.isTrusted ? null : UNTRUSTED;
}

export class UntrustedError extends Error {
  override readonly name = 'UntrustedError';
  constructor() {
    super(UNTRUSTED);
  }
}
