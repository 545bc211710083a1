// A hostile case file in a real VS Code: the workspace asks (riskReview.openOnStartup) to open a project
// whose case file repeats an id that holds a command link in VS Code's notification syntax, an escape
// sequence and a bidirectional override. Opening fails with an error notification; that notification must
// show the text with its controls as escapes and hold no link at all (before, VS Code rendered the
// `[label](command:…)` as a link that runs the command). Screenshots in test-results/e2e/hostile/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSession } from './lib/session.mjs';
import { repoRoot } from './lib/vsix.mjs';
import { until } from './lib/workbench.mjs';

const sample = join(repoRoot, 'samples', 'juvenile');
const LINK = '[Open the settings](command:workbench.action.openSettings?%5B%22security%22%5D)';
const HOSTILE_ID = `J-${LINK}\u001b]0;pwned\u0007\u202Eexe.txt`;
const [header, first, ...rest] = readFileSync(join(sample, 'cases.csv'), 'utf8').trimEnd().split('\n');
const quoted = `"${HOSTILE_ID.replace(/"/g, '""')}"`;
/** Two rows with the hostile id: a duplicate, reported with the id quoted. */
const cases = [header, `${quoted}${first.slice(first.indexOf(','))}`, `${quoted}${rest[0].slice(rest[0].indexOf(','))}`, ...rest.slice(1)].join('\n') + '\n';
const project = JSON.parse(readFileSync(join(sample, 'juvenile.riskreview.json'), 'utf8'));

let session, page;

describe('A hostile case file in a real VS Code', { timeout: 10 * 60_000 }, () => {
  before(async () => {
    session = await startSession({
      name: 'hostile',
      workspaceFiles: {
        'hostile.csv': cases,
        'hostile.riskreview.json': `${JSON.stringify({ ...project, data: 'hostile.csv' }, null, 2)}\n`,
        '.vscode/settings.json': `${JSON.stringify({ 'riskReview.openOnStartup': 'hostile.riskreview.json' }, null, 2)}\n`,
      },
    });
    ({ page } = session);
  }, { timeout: 20 * 60_000 });

  after(async () => {
    await session?.close();
  });

  test('the error notification shows the id with its controls escaped and holds no link', { timeout: 120_000 }, async () => {
    const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: 'appears twice' });
    await until(() => toast.count(), (n) => n > 0, { what: 'the error notification', timeoutMs: 90_000 });
    // Expanded, as a reviewer would read it.
    await toast.first().hover();
    const expand = toast.first().locator('.codicon-notifications-expand');
    if ((await expand.count()) > 0) await expand.first().click();
    await page.waitForTimeout(500);
    await session.shot('error-notification');
    const message = (await toast.first().locator('.notification-list-item-message').textContent()).trim();
    assert.match(message, /^Risk Review: .*hostile\.csv, line 3, column "case_id": case id "J-\[Open the settings\]\\\(command:workbench\.action\.openSettings/);
    assert.ok(message.includes('\\x1b]0;pwned\\x07U+202Eexe.txt'), `controls shown as escapes: ${message}`);
    assert.doesNotMatch(message, /[\u0000-\u001f\u202e]/, 'no raw control or override character');
    assert.equal(await toast.first().locator('.notification-list-item-message a').count(), 0, 'no link in the notification');
    assert.equal(await page.locator('.notifications-toasts a[href^="command:"], .notifications-toasts a[data-href^="command:"]').count(), 0);
  });
});
