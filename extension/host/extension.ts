/** Activation: registers Risk Review's commands. Each command lives in its own module. */
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const notYet = (title: string) => () => vscode.window.showInformationMessage(`Risk Review: ${title} is not yet available.`);
  context.subscriptions.push(
    vscode.commands.registerCommand('riskReview.openSample', notYet('Open Sample Review')),
    vscode.commands.registerCommand('riskReview.openReview', notYet('Open Review')),
    vscode.commands.registerCommand('riskReview.exportCaseSummary', notYet('Export Case Summary')),
  );
}

export function deactivate(): void {}
