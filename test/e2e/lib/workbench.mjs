// Driving the VS Code workbench as a user does: wait for it, run a command from the command palette, read
// notifications, and find a webview's content among the page's (nested) frames.

/** Opens the workbench at `url` and waits until it is ready for the keyboard. */
export async function openWorkbench(page, url, { timeoutMs = 90_000 } = {}) {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
  // The explorer shows the folder once the remote file system answers: the workbench is really up.
  await page.waitForSelector('.explorer-folders-view, .explorer-viewlet', { timeout: timeoutMs });
}

/**
 * Runs `title` (as shown in the palette, e.g. "Risk Review: Open Sample Review") from the command
 * palette. An extension's commands join the palette once its extension host has scanned it, a few
 * seconds after the workbench shows, so the palette is reopened until the command is listed.
 */
export async function runCommand(page, title, { timeoutMs = 45_000 } = {}) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Focus the editor area first, so a terminal or a notification does not own the keyboard.
    await page.click('.monaco-workbench .part.editor', { position: { x: 20, y: 20 } }).catch(() => {});
    await page.keyboard.press('Control+Shift+P');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    await page.waitForTimeout(300);
    const labels = (await page.locator('.quick-input-widget .monaco-list-row .label-name').allTextContents()).map((l) => l.replace(/\s+/g, ' ').trim());
    const index = labels.indexOf(title);
    if (index >= 0) {
      await page.locator('.quick-input-widget .monaco-list-row .label-name').nth(index).click();
      await input.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
      return;
    }
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) throw new Error(`"${title}" is not in the command palette (it lists: ${labels.join(' | ') || 'nothing'})`);
    await page.waitForTimeout(1_000);
  }
}

/** The messages of the notification toasts on screen now. */
export async function notifications(page) {
  return (await page.locator('.notifications-toasts .notification-list-item-message').allTextContents()).map((t) => t.trim());
}

/**
 * Polls every frame of the page (webviews are iframes inside iframes) until one holds `selector`, and
 * returns that frame. Webview content appears a moment after its panel opens, so one look is not enough.
 */
export async function findFrame(page, selector, { timeoutMs = 30_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || frame.isDetached()) continue;
      const hit = await frame.$(selector).catch(() => null);
      if (hit) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview frame holds ${selector} after ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
}

/** Polls `read()` until `accept(value)` holds, and returns that value; a bounded wait for the UI to settle. */
export async function until(read, accept, { timeoutMs = 20_000, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last seen: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
