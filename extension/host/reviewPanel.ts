/**
 * The review panel: one webview panel showing the current case. It owns its webview (page, options,
 * messages) and nothing else: what to show comes from the `ReviewController`, and every message from
 * the page is checked by `parseFromWebview` before anything is done with it.
 *
 * State: the page keeps its case, scroll and open sections with `setState` and says `ready` (with that
 * case) whenever it is (re)loaded — after being hidden, or after a window reload, when the serializer
 * revives the panel — and the host answers with the case. So no `retainContextWhenHidden`.
 */
import * as vscode from 'vscode';
import { parseFromWebview, type HostMessage, type PanelState, type PanelView, type WebviewMessage } from '../../webview/protocol';
import { recordingBlocked, reportError, UntrustedError, type ReviewController } from './controller';
import { panelHtml, panelOptions } from './webviewHtml';
import { safeLine, showWarning } from './notify';

export const PANEL_VIEW_TYPE = 'riskReview.panel';

export class ReviewPanel implements vscode.Disposable {
  private static currentPanel: ReviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Increases with every case sent, so a slow answer for an earlier case is not shown over a later one. */
  private sent = 0;
  /** The decisions view was shown: its decisions are sent again whenever the review log changes. */
  private decisionsShown = false;
  /** A view asked for by a command, sent again when the page says it is ready (it may still be loading). */
  private wantedView: PanelView | null = null;

  /** Shows the panel (creating it if needed) beside the editor. */
  static show(extensionUri: vscode.Uri, controller: ReviewController, focus = true): ReviewPanel {
    const existing = ReviewPanel.currentPanel;
    if (existing) {
      existing.panel.reveal(undefined, !focus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Risk Review', { viewColumn: vscode.ViewColumn.Active, preserveFocus: !focus }, panelOptions(extensionUri, vscode.Uri.joinPath));
    return new ReviewPanel(panel, extensionUri, controller);
  }

  /** A panel VS Code restored after a window reload: reopen the last review at the case the page showed. */
  static async revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, controller: ReviewController, state: unknown): Promise<void> {
    ReviewPanel.currentPanel?.dispose();
    const view = new ReviewPanel(panel, extensionUri, controller);
    const caseId = isPanelState(state) ? (state.caseId ?? undefined) : undefined;
    if (controller.review) {
      if (caseId !== undefined) controller.selectId(caseId);
      return;
    }
    const source = controller.lastSource;
    if (!source) {
      view.post({ type: 'error', message: 'No review is open. Use "Risk Review: Open Review…" or "Risk Review: Open Sample Review".' });
      return;
    }
    view.post({ type: 'loading', message: 'Reopening the review…' });
    if (!(await controller.open(source, { caseId }))) view.post({ type: 'error', message: 'The review could not be reopened; see the message in the corner.' });
  }

  static get current(): ReviewPanel | undefined {
    return ReviewPanel.currentPanel;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly controller: ReviewController,
  ) {
    ReviewPanel.currentPanel = this;
    panel.webview.options = panelOptions(extensionUri, vscode.Uri.joinPath);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'case-list.svg');
    panel.webview.html = panelHtml(panel.webview, extensionUri, vscode.Uri.joinPath);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const msg = parseFromWebview(raw);
        if (!msg) {
          controller.log.warn('ignored a message from the panel that is not of a known shape');
          return;
        }
        this.handle(msg).catch((e: unknown) => reportError(controller.log, 'The panel', e));
      }),
      controller.onDidChangeCase(() => void this.sendCase()),
      controller.onDidChangeLog(() => {
        if (this.decisionsShown) void this.sendDecisions();
      }),
      // Trusting the workspace lets the form record decisions, without redrawing (and emptying) it.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.post({ type: 'recording', blocked: recordingBlocked() })),
      controller.onDidChangeReview((review) => {
        if (!review) this.post({ type: 'error', message: 'No review is open (it was closed or its opening cancelled).' });
      }),
    );
  }

  post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  /** Turns the panel to a view ("Risk Review: Show Decisions"). */
  showView(view: PanelView): void {
    this.wantedView = view;
    this.post({ type: 'view', view });
  }

  /** Sends the decisions on the open review (read from the log and checked in the worker). */
  async sendDecisions(): Promise<void> {
    if (!this.controller.review) return;
    try {
      this.post({ type: 'decisions', overview: await this.controller.decisionsOverview() });
    } catch (e) {
      reportError(this.controller.log, 'Reading the decisions', e);
      this.post({ type: 'decisionsError', message: 'The decisions could not be read; see the message in the corner.' });
    }
  }

  /** Sends the current case (or says why there is none). */
  async sendCase(): Promise<void> {
    const ticket = ++this.sent;
    const i = this.controller.current;
    const review = this.controller.review;
    if (!review || i === null) {
      this.post(review ? { type: 'error', message: 'No case is selected: the case list is empty with these filters.' } : { type: 'error', message: 'No review is open. Use "Risk Review: Open Review…" or "Risk Review: Open Sample Review".' });
      return;
    }
    this.panel.title = safeLine(`Risk Review: ${review.ids[i]}`);
    try {
      const message = await this.controller.caseMessage(i);
      if (ticket === this.sent) this.post(message);
    } catch (e) {
      reportError(this.controller.log, `Showing case ${review.ids[i]}`, e);
      if (ticket === this.sent) this.post({ type: 'error', message: 'This case could not be shown; see the message in the corner.' });
    }
  }

  private async handle(msg: WebviewMessage): Promise<void> {
    const c = this.controller;
    switch (msg.type) {
      case 'ready':
        if (this.wantedView) this.post({ type: 'view', view: this.wantedView });
        // The host's current case wins (the list may have moved on while the page was hidden); the page's
        // own case matters only when the host has none.
        if (c.current === null && msg.caseId !== undefined && c.selectId(msg.caseId)) return; // select() sends it
        await this.sendCase();
        return;
      case 'decisionsView':
        this.wantedView = null;
        this.decisionsShown = true;
        await this.sendDecisions();
        return;
      case 'history':
        this.post({ type: 'history', caseId: msg.caseId, decisions: c.historyOf(msg.caseId) });
        return;
      case 'showLog':
        await vscode.commands.executeCommand('riskReview.showReviewLog');
        return;
      case 'navigate':
        c.step(msg.to === 'next' ? 1 : -1);
        return;
      case 'openCase':
        if (!c.selectId(msg.caseId)) void showWarning(`Risk Review: the open review has no case "${msg.caseId}".`);
        return;
      case 'whatIf':
        this.post(await c.whatIf(msg.caseId, msg.seq, msg.values));
        return;
      case 'keepScenario':
        c.keepScenario(msg.caseId, msg.scenario);
        return;
      case 'decide':
        try {
          const decision = await c.decide(msg.caseId, msg.verdict, msg.reason, msg.notes, msg.assignedBand);
          this.post({ type: 'decisionSaved', caseId: msg.caseId, decision });
          // Decided blind: the case's outcome and calibration show now.
          if (decision.blind) await this.sendCase();
        } catch (e) {
          const message = e instanceof UntrustedError ? e.message : `The decision was not saved: ${(e as Error).message}`;
          this.post({ type: 'decisionError', caseId: msg.caseId, message });
          if (!(e instanceof UntrustedError)) reportError(c.log, 'Saving the decision', e);
          else void showWarning(`Risk Review: ${message}`);
        }
        return;
      case 'export':
        await vscode.commands.executeCommand('riskReview.exportCaseSummary', msg.caseId);
        return;
    }
  }

  dispose(): void {
    if (ReviewPanel.currentPanel === this) ReviewPanel.currentPanel = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

function isPanelState(v: unknown): v is PanelState {
  return typeof v === 'object' && v !== null && (typeof (v as PanelState).caseId === 'string' || (v as PanelState).caseId === null);
}
