/**
 * The desktop checks, run inside VS Code's extension host by runTests.ts (`--extensionTestsPath`):
 * the extension activates, its commands are registered, Open Sample Review opens the review panel on a
 * case, and Next Case moves it to another.
 * Plain node:assert, no test framework: `run()` throws when a check fails, which fails the run.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'risk-review.risk-review';
const PANEL_VIEW_TYPE = 'riskReview.panel';

/** The review panel's tab, when one is open (its title is "Risk Review: <case id>"). */
function panelTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(PANEL_VIEW_TYPE));
}

async function until<T>(read: () => T, accept: (v: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = read();
    if (accept(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(v)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const caseTitle = /^Risk Review: (\S+)$/;

const checks: Array<[string, () => Promise<void>]> = [
  [
    'the extension activates',
    async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `${EXTENSION_ID} is not installed`);
      await ext.activate();
      assert.equal(ext.isActive, true);
    },
  ],
  [
    'every contributed command is registered',
    async () => {
      const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as Array<{ command: string }>).map((c) => c.command);
      const registered = new Set(await vscode.commands.getCommands(true));
      assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
    },
  ],
  [
    'Open Sample Review opens the review panel on a case',
    async () => {
      await vscode.commands.executeCommand('riskReview.openSample');
      const tab = await until(panelTab, (t) => !!t && caseTitle.test(t.label), 'the review panel titled with a case id');
      assert.match(tab!.label, /^Risk Review: J-\d{6}$/);
    },
  ],
  [
    'Next Case moves the panel to another case',
    async () => {
      const before = panelTab()!.label;
      await vscode.commands.executeCommand('riskReview.nextCase');
      const after = await until(panelTab, (t) => !!t && caseTitle.test(t.label) && t.label !== before, 'another case');
      assert.notEqual(after!.label, before);
    },
  ],
];

export async function run(): Promise<void> {
  const failed: string[] = [];
  for (const [name, check] of checks) {
    try {
      await check();
      console.log(`ok - ${name}`);
    } catch (e) {
      failed.push(name);
      console.log(`not ok - ${name}\n  ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  console.log(`${checks.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length > 0) throw new Error(`${failed.length} desktop check(s) failed: ${failed.join('; ')}`);
}
