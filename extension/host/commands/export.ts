/**
 * `Risk Review: Export Case Summary…` — one case to a file the reviewer names in the save dialog (which
 * asks before replacing a file), or many cases (the list's selection, or every case of a band) into a
 * folder, asking once before replacing any file there. The worker renders and writes each document
 * atomically (engine `renderSummary` / `exportBatch`, as the CLI's `export`), with progress and
 * cancellation; the result is offered to open.
 */
import { integer } from '../../engine/report/format';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SummaryFormat } from '../../engine/report/index';
import type { CaseListProvider, CaseNode } from '../caseList';
import { reportError, type ReviewController } from '../controller';
import type { CaseExtras, ExportTarget } from '../engineProtocol';
import { askWarning, safeLabel, showInfo } from '../notify';

const FORMATS: readonly { label: string; detail: string; format: SummaryFormat }[] = [
  { label: 'PDF', detail: 'To print or file', format: 'pdf' },
  { label: 'HTML', detail: 'One self-contained page (opens in any browser, no network)', format: 'html' },
  { label: 'Markdown', detail: 'Plain text with headings and tables', format: 'md' },
];
const FILTER_NAMES: Readonly<Record<SummaryFormat, string>> = { pdf: 'PDF', html: 'HTML', md: 'Markdown' };

interface Choices {
  readonly format: SummaryFormat;
  readonly plainLanguage: boolean;
  /** In the letter, the reviewer's reason and notes too. */
  readonly reviewerText: boolean;
  readonly redact?: string;
}

/** The cases to export: from the panel (an id), from the list (the clicked and selected items), or asked. */
async function casesToExport(controller: ReviewController, list: CaseListProvider, arg: unknown, selected: unknown): Promise<number[] | undefined> {
  const review = controller.review!;
  if (typeof arg === 'string') {
    const i = review.ids.indexOf(arg);
    return i >= 0 ? [i] : undefined;
  }
  const isNode = (n: unknown): n is CaseNode & { kind: 'case' } => typeof n === 'object' && n !== null && (n as CaseNode).kind === 'case';
  if (isNode(arg)) {
    const many = Array.isArray(selected) ? selected.filter(isNode) : [];
    return many.length > 1 ? many.map((n) => n.index) : [arg.index];
  }
  const current = controller.current;
  const selection = list.selectedIndices();
  const order = controller.order();
  type Pick = vscode.QuickPickItem & { cases: () => number[] | Promise<number[] | undefined> };
  const items: Pick[] = [
    ...(current !== null ? [{ label: safeLabel(`This case (${review.ids[current]})`), cases: () => [current] }] : []),
    ...(selection.length > 1 ? [{ label: `The ${selection.length} cases selected in the case list`, cases: () => selection }] : []),
    {
      label: 'Every case in a band…',
      cases: async () => {
        const band = await vscode.window.showQuickPick(
          review.bands.map((label, b) => ({ label: safeLabel(label), description: `${integer(review.band.reduce((n, x) => n + (x === b ? 1 : 0), 0))} cases`, b })),
          { title: 'Export Case Summaries: which band?' },
        );
        return band ? Array.from(order).filter((i) => review.band[i] === band.b) : undefined;
      },
    },
    ...(order.length > 1 ? [{ label: `Every case in the list (${integer(order.length)})`, cases: () => Array.from(order) }] : []),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Export Case Summary: which cases?' });
  return picked ? await picked.cases() : undefined;
}

async function askChoices(count: number): Promise<Choices | undefined> {
  const title = count === 1 ? 'Export Case Summary' : `Export ${integer(count)} Case Summaries`;
  const format = await vscode.window.showQuickPick(FORMATS, { title: `${title}: format` });
  if (!format) return undefined;
  const options = await vscode.window.showQuickPick(
    [
      { label: 'Plain language', detail: 'The short letter for the person concerned and their family: whether the score was reviewed, and the outcome', key: 'plain' },
      { label: "Reviewer's reason and notes in the letter", detail: 'With plain language: add what the reviewer wrote (left out otherwise)', key: 'notes' },
      { label: 'Redact', detail: 'Replace the case id with a reference and leave out the group attributes', key: 'redact' },
    ],
    { title: `${title}: options (none is fine)`, canPickMany: true },
  );
  if (!options) return undefined;
  const plainLanguage = options.some((o) => o.key === 'plain');
  const reviewerText = plainLanguage && options.some((o) => o.key === 'notes');
  if (!options.some((o) => o.key === 'redact')) return { format: format.format, plainLanguage, reviewerText };
  const reference = await vscode.window.showInputBox({
    title: `${title}: reference`,
    prompt: count === 1 ? 'The reference that stands for the case in the document' : 'The prefix of the references (REF gives REF-001, REF-002, …)',
    value: count === 1 ? 'REF-001' : 'REF',
    validateInput: (v) => (v.trim() === '' ? 'A reference is needed.' : v.length > 100 ? 'Keep it under 100 characters.' : null),
  });
  return reference === undefined ? undefined : { format: format.format, plainLanguage, reviewerText, redact: reference.trim() };
}

function defaultFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

/** Where to write: a file (save dialog) or a folder (open dialog), and the folder's planned names. */
async function askTarget(controller: ReviewController, indices: number[], choices: Choices): Promise<ExportTarget | undefined> {
  if (indices.length === 1) {
    const folder = defaultFolder();
    // The batch's naming rule gives a safe name from the id; a redacted document is never named after the case.
    const name = choices.redact === undefined ? (await controller.engine.request('planBatch', { indices, format: choices.format, dir: folder?.fsPath ?? '' })).names[0] : `case-summary.${choices.format}`;
    const uri = await vscode.window.showSaveDialog({
      title: 'Export Case Summary',
      saveLabel: 'Export',
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { [FILTER_NAMES[choices.format]]: [choices.format] },
    });
    return uri ? { kind: 'file', file: uri.fsPath } : undefined;
  }
  const picked = await vscode.window.showOpenDialog({ title: `Export ${indices.length} Case Summaries: pick a folder`, canSelectFolders: true, canSelectFiles: false, openLabel: 'Export Here', defaultUri: defaultFolder() });
  const dir = picked?.[0]?.fsPath;
  if (!dir) return undefined;
  const plan = await controller.engine.request('planBatch', { indices, format: choices.format, redactPrefix: choices.redact, dir });
  if (plan.existing.length > 0) {
    const replace = 'Replace';
    const answer = await askWarning(`${plan.existing.length} of the ${plan.names.length} files already exist in ${dir} (e.g. ${plan.existing[0]}). Replace them?`, replace);
    if (answer !== replace) return undefined;
  }
  return { kind: 'folder', dir, names: plan.names };
}

async function offerToOpen(target: ExportTarget, written: readonly string[], format: SummaryFormat, cancelled: boolean): Promise<void> {
  if (target.kind === 'file') {
    const open = 'Open';
    const answer = await showInfo(`Risk Review: saved ${target.file}`, open);
    if (answer !== open) return;
    const uri = vscode.Uri.file(target.file);
    // Markdown reads well in the editor; HTML and PDF open in the system's viewer.
    if (format === 'md') await vscode.commands.executeCommand('vscode.open', uri);
    else await vscode.env.openExternal(uri);
    return;
  }
  const reveal = 'Open Folder';
  const said = cancelled ? `Risk Review: export cancelled after ${written.length} of ${target.names.length} files (in ${target.dir}).` : `Risk Review: wrote ${written.length} files to ${target.dir}.`;
  const answer = await showInfo(said, reveal);
  if (answer === reveal) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(written[0] ?? join(target.dir, '.')));
}

export async function exportCaseSummary(controller: ReviewController, list: CaseListProvider, arg?: unknown, selected?: unknown): Promise<void> {
  if (!controller.review) {
    void showInfo('Risk Review: open a review first.');
    return;
  }
  try {
    const indices = await casesToExport(controller, list, arg, selected);
    if (!indices || indices.length === 0) return;
    const choices = await askChoices(indices.length);
    if (!choices) return;
    const target = await askTarget(controller, indices, choices);
    if (!target) return;
    const extras: Record<number, CaseExtras> = {};
    for (const i of indices) extras[i] = controller.extrasOf(i);
    const abort = new AbortController();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: indices.length === 1 ? 'Risk Review: exporting the case summary' : `Risk Review: exporting ${indices.length} case summaries`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        let reported = 0;
        return controller.engine.request(
          'export',
          { indices, extras, format: choices.format, plainLanguage: choices.plainLanguage, reviewerText: choices.reviewerText, redact: choices.redact, target },
          {
            signal: abort.signal,
            onProgress: (done, total) => {
              progress.report({ message: `${done} of ${total}`, increment: ((done - reported) / total) * 100 });
              reported = done;
            },
          },
        );
      },
    );
    controller.log.info(`exported ${result.written.length} case summaries (${choices.format})${result.cancelled ? ', then cancelled' : ''}`);
    await offerToOpen(target, result.written, choices.format, result.cancelled);
  } catch (e) {
    reportError(controller.log, 'Exporting the case summary', e);
  }
}
