/**
 * Opening a review: the bundled sample in one step; a project file (from the file dialog, the editor's
 * title bar or the explorer); or a model and a case file, then the case file's columns picked from its
 * header (the id, and optionally the known outcome and the group columns).
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { defaultGroupColumn } from '../config';
import { reportError, type ReviewController } from '../controller';
import type { ReviewSource } from '../engineProtocol';
import { ReviewPanel } from '../reviewPanel';
import { safeLabel, showError, showInfo, showWarning } from '../notify';
import { findId } from '../../engine/data/ids';

const PROJECT = /\.riskreview\.json$/i;
const CASES = /\.csv$/i;

export async function openAndShow(extensionUri: vscode.Uri, controller: ReviewController, source: ReviewSource): Promise<void> {
  if (await controller.open(source)) ReviewPanel.show(extensionUri, controller);
}

export function openSample(context: vscode.ExtensionContext, controller: ReviewController): Promise<void> {
  const file = vscode.Uri.joinPath(context.extensionUri, 'samples', 'juvenile', 'juvenile.riskreview.json').fsPath;
  return openAndShow(context.extensionUri, controller, { kind: 'project', file });
}

async function pickFile(title: string, filters: Record<string, string[]>): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, canSelectMany: false, openLabel: 'Open', filters });
  return picked?.[0]?.fsPath;
}

/** The column that looks most like an id comes first (the reviewer still picks). */
function idFirst(header: readonly string[]): string[] {
  const score = (h: string) => (/^(case[_ -]?)?id$/i.test(h) ? 0 : /id\b|_id$|^id_/i.test(h) ? 1 : 2);
  return [...header].sort((a, b) => score(a) - score(b));
}

/** A column as a picker item: its name shown safely (no icon or control from the file), kept as it is. */
const columnItem = (column: string) => ({ label: safeLabel(column), column });

/** Asks for the case file's columns. Undefined when the reviewer backs out. */
async function pickColumns(controller: ReviewController, model: string, data: string): Promise<ReviewSource | undefined> {
  const header = await controller.engine.request('csvHeader', { file: data });
  const title = safeLabel(`Columns of ${basename(data)}`);
  const id = (await vscode.window.showQuickPick(idFirst(header).map(columnItem), { title: `${title} (1/3)`, placeHolder: 'The case id', ignoreFocusOut: true }))?.column;
  if (id === undefined) return undefined;
  const rest = header.filter((h) => h !== id);
  const none = { label: '(no outcome column)', column: undefined };
  const outcome = await vscode.window.showQuickPick([none, ...rest.map(columnItem)], { title: `${title} (2/3)`, placeHolder: 'The known outcome (1 / 0), for the calibration checks', ignoreFocusOut: true });
  if (outcome === undefined) return undefined;
  const preferred = defaultGroupColumn();
  const groupItems = rest.filter((h) => h !== outcome.column).map((h) => ({ ...columnItem(h), picked: h === preferred }));
  const groups = await vscode.window.showQuickPick(groupItems, { title: `${title} (3/3)`, placeHolder: 'Groups to compare calibration across (none is fine)', canPickMany: true, ignoreFocusOut: true });
  if (groups === undefined) return undefined;
  return { kind: 'files', model, data, idColumn: id, outcomeColumn: outcome.column, groupColumns: groups.map((g) => g.column) };
}

/** The source for the picked files, asking for what is missing; undefined when the reviewer backs out. */
async function sourceOf(controller: ReviewController, files: readonly string[]): Promise<ReviewSource | undefined> {
  const projects = files.filter((f) => PROJECT.test(f));
  const data = files.filter((f) => CASES.test(f));
  const models = files.filter((f) => !PROJECT.test(f) && !CASES.test(f));
  if (projects.length === 1 && files.length === 1) return { kind: 'project', file: projects[0] };
  if (projects.length > 0 || data.length > 1 || models.length > 1) {
    void showError('Risk Review: pick one project file (*.riskreview.json), or one model file and one case file (CSV).');
    return undefined;
  }
  const model = models[0] ?? (await pickFile('Pick the model (XGBoost JSON, *.riskmodel.json)', { 'Model files': ['json'] }));
  if (!model) return undefined;
  const cases = data[0] ?? (await pickFile('Pick the case file (CSV)', { 'Case files': ['csv'] }));
  if (!cases) return undefined;
  return pickColumns(controller, model, cases);
}

/** `Risk Review: Open Review…` — from a file given by a menu, or from the file dialog. */
export async function openReview(extensionUri: vscode.Uri, controller: ReviewController, uri?: vscode.Uri): Promise<void> {
  try {
    let files: string[];
    if (uri instanceof vscode.Uri) files = [uri.fsPath];
    else {
      const picked = await vscode.window.showOpenDialog({
        title: 'Open Review: pick a project file (*.riskreview.json), or a model and a case file (CSV) together',
        canSelectMany: true,
        openLabel: 'Open Review',
        filters: { 'Projects, models and case files': ['json', 'csv'], 'All files': ['*'] },
      });
      if (!picked || picked.length === 0) return;
      files = picked.map((u) => u.fsPath);
    }
    const source = await sourceOf(controller, files);
    if (source) await openAndShow(extensionUri, controller, source);
  } catch (e) {
    reportError(controller.log, 'Opening the review', e);
  }
}

/** `Risk Review: Open Case…` — the case given by the case list, or one typed by id. */
export async function openCase(extensionUri: vscode.Uri, controller: ReviewController, caseId?: unknown): Promise<void> {
  const review = controller.review;
  if (!review) {
    void showInfo('Risk Review: open a review first.');
    return;
  }
  const id =
    typeof caseId === 'string'
      ? caseId
      : await vscode.window.showInputBox({
          title: 'Open Case',
          prompt: 'The case id',
          validateInput: (v) => (v.trim() === '' || findId(review.ids, v.trim()) >= 0 ? null : safeLabel(`No case has the id "${v.trim()}".`)),
        });
  if (id === undefined || id.trim() === '') return;
  if (!controller.selectId(id.trim())) {
    void showWarning(`Risk Review: the open review has no case "${id.trim()}".`);
    return;
  }
  // From the case list, keep the keyboard in the list so the arrow keys walk on.
  ReviewPanel.show(extensionUri, controller, typeof caseId !== 'string');
}
