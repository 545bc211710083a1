// Reading and operating the review panel inside its webview frame, by the `data-testid`s the webview
// gives its elements (webview/dom.ts). The toolkit's fields keep their <input> in an open shadow root;
// Playwright's CSS selectors pierce it.
import { findFrame, notifications } from './workbench.mjs';

export const byTestId = (id) => `[data-testid="${id}"]`;

export async function text(frame, id) {
  const el = await frame.$(byTestId(id));
  return el ? (await el.textContent())?.replace(/\s+/g, ' ').trim() ?? '' : null;
}

/**
 * Types into a toolkit text field or text area the way a user does: select what is there, type over it.
 * The selection is made in the page, not with Ctrl+A: a webview hands Ctrl+A to the workbench, which
 * sends "select all" back a moment later, and on a busy machine that came after the first typed key and
 * selected it too (typing 12 over 1 left "2"). Throws when the field does not end up holding `value`.
 */
export async function typeInto(frame, id, value) {
  const inner = frame.locator(`${byTestId(id)} input, ${byTestId(id)} textarea`).first();
  await inner.click();
  await inner.selectText();
  await inner.pressSequentially(value, { delay: 10 });
  const typed = await inner.inputValue();
  if (typed !== value) throw new Error(`typed "${value}" into ${id}, but it holds "${typed}"`);
}

export async function click(frame, id) {
  await frame.locator(byTestId(id)).first().click();
}

/** Scrolls the element into view in the panel (for a screenshot of that part). */
export async function reveal(frame, id) {
  await frame.locator(byTestId(id)).first().scrollIntoViewIfNeeded();
}

/** The text of the panel's error banner, when it shows. */
export async function errorBanner(frame) {
  return frame.evaluate(() => {
    const e = document.querySelector('[data-testid="error"]');
    return e && !e.hidden ? e.textContent : null;
  }).catch(() => null);
}

/** The case the panel shows: its id, score text and band. */
export async function caseView(frame) {
  return { caseId: await text(frame, 'case-id'), score: await text(frame, 'score'), band: await text(frame, 'band') };
}

/**
 * The panel's frame once it shows a case id. Fails at once when Risk Review reports a problem in a
 * notification instead (notifications fade, so they are watched while waiting).
 */
export async function openedPanel(page, { timeoutMs = 90_000 } = {}) {
  const seen = new Set();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await findFrame(page, byTestId('case-id'), { timeoutMs: 0 }).catch(() => null);
    if (frame) return frame;
    for (const n of await notifications(page)) seen.add(n);
    const problem = [...seen].find((n) => /risk review/i.test(n) && /not yet available|error|fail|cannot|could not/i.test(n));
    if (problem) throw new Error(`Open Sample Review reported: ${problem}`);
    if (Date.now() > deadline) throw new Error(`no panel showed a case id within ${timeoutMs} ms; notifications seen: ${[...seen].join(' | ') || 'none'}`);
    await page.waitForTimeout(250);
  }
}
