/**
 * The sanitiser for messages outside documents (engine/safeText.ts): terminal messages and VS Code
 * notifications never carry a control, bidirectional or invisible character from the data, nor a
 * notification link or a status-bar icon; ordinary text, accents, scripts and joiners pass unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { notificationMessage, terminalMessage, visibleText } from '../../extension/engine/safeText';

/** VS Code's own pattern for a link in a notification (vs/base/common/linkedText.ts). */
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
/** VS Code's pattern for an icon in a label (vs/base/common/iconLabels.ts): `$(name)` not preceded by a backslash. */
const VSCODE_ICON = /(?<!\\)\$\([a-z0-9-]+(?:~[a-z]+)?\)/i;

test('control characters become \\xHH escapes: no ESC, BEL, CR or NUL reaches a terminal', () => {
  const title = 'J-1\x1b]0;pwned\x07';
  assert.equal(terminalMessage(`case "${title}" appears twice`), 'case "J-1\\x1b]0;pwned\\x07" appears twice');
  assert.equal(terminalMessage('a\rb\nc\td\x00e\x7f'), 'a\\x0db\\x0ac\\x09d\\x00e\\x7f');
  assert.equal(terminalMessage('\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\'), '\\x1b]8;;https://evil.example\\x1b\\click\\x1b]8;;\\x1b\\');
});

test('C1 controls, bidirectional controls and invisible format characters become U+XXXX', () => {
  assert.equal(visibleText('J-0042\u202Etxt.exe'), 'J-0042U+202Etxt.exe');
  assert.equal(visibleText('\u0085\u009b'), 'U+0085U+009B');
  for (const ch of ['\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069']) {
    assert.equal(visibleText(`a${ch}b`), `a${'U+' + ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}b`);
  }
  assert.equal(visibleText('a\u200bb\u2060c\ufeffd\u2028e\u2029f'), 'aU+200BbU+2060cU+FEFFdU+2028eU+2029f');
  assert.equal(visibleText('tag\u{E0041}'), 'tagU+E0041');
  assert.equal(visibleText('lone \ud800 surrogate'), 'lone U+D800 surrogate');
});

test('ordinary text passes unchanged: accents, other scripts, emoji and the joiners they need', () => {
  for (const s of ['Hélène Łukasiewicz', 'Ελένη', 'Алёна', 'محمد', 'שלום', 'नमस्ते', 'می‌خواهم', '👩‍👩‍👧', 'J-0042 (probation, 2024)', '']) {
    assert.equal(visibleText(s), s);
    assert.equal(terminalMessage(s), s);
    assert.equal(notificationMessage(s), s);
  }
});

test('a notification never holds a VS Code link or icon, whatever the data', () => {
  const hostile = '[Open settings](command:workbench.action.openSettings?%5B%22security%22%5D)';
  const shown = notificationMessage(`Risk Review: cases.csv, line 2: case id "${hostile}" appears twice`);
  assert.equal(shown.match(VSCODE_LINK), null);
  assert.ok(shown.includes('[Open settings]\\(command:workbench.action.openSettings'), shown);
  assert.ok(!VSCODE_ICON.test(notificationMessage('a $(zap) b')));
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('[', ']', '(', ')', '$', 'a', ' ', 'command:', 'https://', 'file:', '\\', '"', '\x1b', '\u202e') }), (s) => {
      const out = notificationMessage(s);
      return out.match(VSCODE_LINK) === null && !VSCODE_ICON.test(out) && !/[\x00-\x1f\u202e]/.test(out);
    }),
    { numRuns: 2000 },
  );
});

test('no control, bidirectional or separator character survives, whatever the input', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      const out = visibleText(s);
      return !/[\p{Cc}\p{Zl}\p{Zp}\p{Cs}\u202a-\u202e\u2066-\u2069]/u.test(out);
    }),
    { numRuns: 2000 },
  );
});
