/**
 * Text from files on its way to a person, outside a document: the CLI's messages on a terminal, VS Code's
 * notifications, status lines and pickers. Case ids, column names, cell text and file names can be
 * hostile; here they can neither drive the terminal nor become a link, and what a reader sees is what the
 * bytes say. Documents (Markdown, HTML, PDF) have their own escaping in report/escape.ts, built on the
 * same list of characters.
 *
 * Made visible, as an escape a reader can quote back:
 *   - control characters (C0, DEL, C1): ESC can retitle the terminal, clear it or print an OSC 8 link,
 *     BEL rings, CR overwrites the line — shown as `\x1b`, `\x07`, `\x0d`, `U+0085`;
 *   - bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C): an override
 *     shows text reversed ("Trojan Source") — shown as `U+202E`;
 *   - other invisible format characters (zero-width space, word joiner, byte-order mark, Unicode tags,
 *     line and paragraph separators) and lone surrogates, which hide or smuggle text — `U+200B`.
 * The zero-width joiner and non-joiner (U+200C, U+200D) stay: names in Persian, Indic scripts and emoji
 * need them, and they reorder nothing.
 */

/** Characters shown as an escape; the joiners U+200C and U+200D are left out of \p{Cf} on purpose. */
const HIDDEN = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]|(?![\u200c\u200d])\p{Cf}/gu;

/** Explicit bidirectional formatting characters (embeddings, overrides, isolates and marks). */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `U+202E`: a character by its code point, as Unicode names it. */
export function codePointName(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `\x1b` for ASCII controls (as terminals and programmers write them), `U+202E` for the rest. */
function escapeOf(ch: string): string {
  const c = ch.codePointAt(0)!;
  return c < 0x80 ? `\\x${c.toString(16).padStart(2, '0')}` : codePointName(ch);
}

/** The text with every control, bidirectional and invisible format character replaced by its escape. */
export function visibleText(text: string): string {
  return text.replace(HIDDEN, escapeOf);
}

/** A message for the terminal (standard error): one line, nothing the terminal would act on. */
export function terminalMessage(text: string): string {
  return visibleText(text);
}

/**
 * A message for a VS Code notification, status line, picker or input box. VS Code turns
 * `[label](command:id?args)` (also `https:`, `file:`) in a notification into a link that runs the
 * command, and `$(name)` in a status line or picker label into an icon. Neither may come from data, so
 * `](` becomes `]\(` (the link pattern needs them adjacent) and `$(` becomes `$\(`, which read as the
 * escapes they are.
 */
export function notificationMessage(text: string): string {
  return visibleText(text).replace(/\]\(/g, ']\\(').replace(/\$\(/g, '$\\(');
}
