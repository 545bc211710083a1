/** Risk Review's settings (`riskReview.*`), read where they are used so a change applies at once. */
import { isAbsolute, join, relative } from 'node:path';
import * as vscode from 'vscode';
import { osUserName } from '../engine/reviewLog';

const section = () => vscode.workspace.getConfiguration('riskReview');

/** Who is named in the review log: the `riskReview.reviewer` setting, else the OS user name. */
export function reviewerName(): string {
  const set = section().get<string>('reviewer', '').trim();
  return set !== '' ? set : osUserName();
}

/**
 * Blind review (`riskReview.blindReview`, on unless switched off): the known outcome of a case, and every
 * figure computed from the outcomes, stay hidden from a reviewer until they record their decision on it.
 */
export function blindReview(): boolean {
  return section().get<boolean>('blindReview', true) !== false;
}

/**
 * The review log's path: `riskReview.reviewLog`, relative to the first workspace folder; with no folder
 * open, the extension's global storage (so decisions are still kept, and the output channel says where).
 */
export function reviewLogFile(globalStorage: vscode.Uri): string {
  const setting = section().get<string>('reviewLog', '.riskreview/reviews.jsonl').trim() || '.riskreview/reviews.jsonl';
  if (isAbsolute(setting)) return setting;
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? join(folder.uri.fsPath, setting) : join(globalStorage.fsPath, 'reviews.jsonl');
}

export function calibrationBins(): number {
  const bins = section().get<number>('calibrationBins', 10);
  return Number.isInteger(bins) && bins >= 2 && bins <= 50 ? bins : 10;
}

/** The surrogate tree's leaf budget: fewer leaves read more easily, more follow the model more closely. */
export function maxLeaves(): number {
  const leaves = section().get<number>('maxLeaves', 8);
  return Number.isInteger(leaves) && leaves >= 1 && leaves <= 64 ? leaves : 8;
}

/** The group column to preselect when a model and a case file are opened by hand. */
export function defaultGroupColumn(): string {
  return section().get<string>('defaultGroupColumn', '').trim();
}

/**
 * The project to open when the window starts (`riskReview.openOnStartup`), relative to the first
 * workspace folder; undefined when unset or when there is no folder. The demo sets it, so that it opens
 * the sample review as a user would find it. In an untrusted workspace only a project inside the
 * workspace folder is opened.
 */
export function startupProject(): string | undefined {
  const setting = section().get<string>('openOnStartup', '').trim();
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (setting === '' || (!folder && !isAbsolute(setting))) return undefined;
  const file = isAbsolute(setting) ? setting : join(folder!.uri.fsPath, setting);
  // A workspace VS Code does not trust may open only a project inside itself (whose files must then be
  // in the project's folder too: confineToProjectFolder).
  if (!vscode.workspace.isTrusted) {
    const rel = folder ? relative(folder.uri.fsPath, file) : '..';
    if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  }
  return file;
}
