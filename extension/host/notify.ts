/**
 * Every word the extension puts in VS Code's own surfaces — notifications, the status bar, picker items,
 * input-box messages, the case list and the output channel — passes through here, because those words
 * often carry text from the files (case ids, column names, cell text, file names). VS Code renders
 * `[label](command:…)` in a notification as a link that runs a command, and `$(icon)` in the status
 * bar and pickers; `notificationMessage` (engine/safeText.ts) leaves neither, nor any control or
 * bidirectional character, to the data. The lint configuration forbids calling VS Code's show…Message
 * and setStatusBarMessage anywhere else.
 */
import * as vscode from 'vscode';
import { notificationMessage, visibleText } from '../engine/safeText';

export function showError(message: string, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showErrorMessage(notificationMessage(message), ...items);
}

export function showWarning(message: string, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showWarningMessage(notificationMessage(message), ...items);
}

/** A warning the reviewer must answer before going on (a modal dialog). */
export function askWarning(message: string, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showWarningMessage(notificationMessage(message), { modal: true }, ...items);
}

export function showInfo(message: string, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showInformationMessage(notificationMessage(message), ...items);
}

export function statusMessage(message: string, hideAfterMs: number): vscode.Disposable {
  return vscode.window.setStatusBarMessage(notificationMessage(message), hideAfterMs);
}

/** A picker item's label, description or a progress title holding data: no icon, link or control from it. */
export const safeLabel = notificationMessage;

/** A line for the output channel or a view's plain text: controls and bidirectional characters shown as escapes. */
export const safeLine = visibleText;
