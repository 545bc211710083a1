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
  const rows = page.locator('.quick-input-widget .monaco-list-row .label-name');
  const deadline = Date.now() + timeoutMs;
  let labels = [];
  for (;;) {
    // Focus the editor area first, so a terminal or a notification does not own the keyboard. A webview
    // there can take the focus a moment after the click, closing a palette opened meanwhile (seen once,
    // switching themes with the panel open): so let the focus settle, and reopen a palette that closed.
    await page.click('.monaco-workbench .part.editor', { position: { x: 20, y: 20 } }).catch(() => {});
    await page.waitForTimeout(200);
    await page.keyboard.press('Control+Shift+P');
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      await page.waitForTimeout(300);
      labels = (await rows.allTextContents()).map((l) => l.replace(/\s+/g, ' ').trim());
      const index = labels.indexOf(title);
      if (index >= 0) {
        await rows.nth(index).click({ timeout: 5_000 });
        // The palette closes, or (a command that asks for something) turns into the command's own picker.
        const ran = async () => !(await input.isVisible()) || (await input.inputValue()) !== `>${title}`;
        await until(ran, Boolean, { timeoutMs: 10_000 }).catch(() => {});
        return;
      }
      await page.keyboard.press('Escape');
    } catch (e) {
      if (e?.name !== 'TimeoutError' || Date.now() > deadline) throw e;
      continue; // the palette closed before the command was clicked
    }
    if (Date.now() > deadline) throw new Error(`"${title}" is not in the command palette (it lists: ${labels.join(' | ') || 'nothing'})`);
    await page.waitForTimeout(1_000);
  }
}

/**
 * Picks a colour theme as a user does: "Preferences: Color Theme", then the theme's name as the picker
 * lists it (e.g. "Dark Modern", "Dark High Contrast"). Resolves once the workbench wears it: its kind
 * (`vs`, `vs-dark`, `hc-black` or `hc-light`) is the class VS Code gives the workbench.
 */
export async function pickColorTheme(page, label, kind, { timeoutMs = 20_000 } = {}) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const rows = page.locator('.quick-input-widget .monaco-list-row .label-name');
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, 'Preferences: Color Theme');
    try {
      await input.fill(label, { timeout: 5_000 });
      const index = await until(
        async () => (await rows.allTextContents()).map((l) => l.replace(/\s+/g, ' ').trim()).indexOf(label),
        (i) => i >= 0,
        { what: `"${label}" in the colour theme picker`, timeoutMs: 10_000 },
      );
      await rows.nth(index).click({ timeout: 5_000 });
      break;
    } catch (e) {
      // The picker can close under us as the palette can (see runCommand): pick again, twice at most.
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
  await input.waitFor({ state: 'hidden', timeout: timeoutMs });
  await page.waitForSelector(`.monaco-workbench.${kind}`, { timeout: timeoutMs });
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
