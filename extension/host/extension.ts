/**
 * Activation: wires Risk Review's parts together. The engine runs in a worker thread (dist/worker.js)
 * started on first use; the controller holds the open review; the case list and the panel show it;
 * each command lives in host/commands/.
 */
import * as vscode from 'vscode';
import { RISK_REVIEW_VERSION } from '../engine/version';
import { CaseListProvider, CASE_VIEW_ID } from './caseList';
import { clearCaseFilters, filterCases, searchCases, sortCases, updateFilteredContext } from './commands/caseList';
import { exportCaseSummary } from './commands/export';
import { openAndShow, openCase, openReview, openSample } from './commands/open';
import { startupProject } from './config';
import { safeLine, showInfo } from './notify';
import { ReviewController } from './controller';
import { EngineClient } from './engineClient';
import { PANEL_VIEW_TYPE, ReviewPanel } from './reviewPanel';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Risk Review', { log: true });
  let controller: ReviewController | undefined;
  let closing = false;
  const engine = new EngineClient({ file: vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath }, (why) => {
    if (closing) return; // the extension is being deactivated: nothing left to tell
    log.info(safeLine(why));
    controller?.lost();
  });
  controller = new ReviewController(context, engine, log);
  const c = controller;
  const list = new CaseListProvider(c);
  const uri = context.extensionUri;

  const command = (id: string, run: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, run);
  context.subscriptions.push(
    log,
    c,
    list,
    {
      dispose: () => {
        closing = true;
        void engine.dispose();
      },
    },
    command('riskReview.openSample', () => openSample(context, c)),
    command('riskReview.openReview', (arg) => openReview(uri, c, arg instanceof vscode.Uri ? arg : undefined)),
    command('riskReview.openCase', (caseId) => openCase(uri, c, caseId)),
    command('riskReview.showPanel', () => (c.review ? ReviewPanel.show(uri, c) : openReview(uri, c))),
    command('riskReview.exportCaseSummary', (arg, selected) => exportCaseSummary(c, list, arg, selected)),
    command('riskReview.nextCase', () => c.step(1)),
    command('riskReview.previousCase', () => c.step(-1)),
    command('riskReview.sortCases', () => sortCases(c)),
    command('riskReview.filterCases', () => filterCases(c)),
    command('riskReview.searchCases', () => searchCases(c)),
    command('riskReview.clearCaseFilters', () => clearCaseFilters(c)),
    command('riskReview.showMoreCases', () => list.showMore()),
    command('riskReview.showDecisions', async () => {
      if (!c.review) await openReview(uri, c);
      if (c.review) ReviewPanel.show(uri, c).showView('decisions');
    }),
    command('riskReview.showReviewLog', async () => {
      const file = vscode.Uri.file(c.reviewLog);
      try {
        await vscode.window.showTextDocument(file, { preview: true });
      } catch {
        void showInfo(`Risk Review: no decision has been recorded yet (the review log will be ${file.fsPath}).`);
      }
    }),
    c.onDidChangeList(() => updateFilteredContext(c)),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => ReviewPanel.revive(panel, uri, c, state),
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('riskReview.reviewLog')) void c.reviewLogMoved();
      if (e.affectsConfiguration('riskReview.blindReview') || e.affectsConfiguration('riskReview.reviewer')) c.reviewSettingsChanged();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => log.info('the workspace is trusted now: decisions can be recorded')),
  );
  void vscode.commands.executeCommand('setContext', 'riskReview.reviewOpen', false);
  const startup = startupProject();
  if (startup) void openAndShow(uri, c, { kind: 'project', file: startup });
  log.info(`Risk Review ${RISK_REVIEW_VERSION} activated; case list view ${CASE_VIEW_ID}; workspace ${vscode.workspace.isTrusted ? 'trusted' : 'not trusted (decisions are not recorded)'}`);
}

export function deactivate(): void {}
