/**
 * Escaping for strings that come from the data (case ids, feature names, group names, notes), which can
 * be hostile. Every renderer passes every such string through one of these; the document content itself
 * is plain text (no markup), so there is nothing else to trust.
 *
 * Direction. An id written right to left, or one holding a bidirectional override (U+202E shows what
 * follows reversed), must not reorder the text around it. The document's content marks such strings
 * with `isolate` (U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE, Unicode's plain-text
 * isolation); every other bidirectional control in a document is shown as its code point ("U+202E"), so
 * an override can neither hide nor reverse anything. The HTML writes each isolate as `<bdi>`, the
 * Markdown keeps the isolate characters, the PDF (which draws no right-to-left text) drops them.
 */
import { BIDI_CONTROLS, codePointName } from '../safeText';

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const FSI = '\u2068';
const PDI = '\u2069';
/** An isolate as `isolate` makes it: FSI, text without bidirectional controls, PDI. */
const ISOLATE = /\u2068([^\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*)\u2069/g;

/** A data string set apart in direction from the text around it; its own bidirectional controls shown as code points. */
export function isolate(text: string): string {
  return FSI + text.replace(BIDI_CONTROLS, codePointName) + PDI;
}

/** Each isolate made by `isolate` written by `keep`; every other bidirectional control shown as "U+XXXX". */
export function withIsolates(text: string, keep: (inner: string) => string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(ISOLATE)) {
    out += text.slice(last, m.index).replace(BIDI_CONTROLS, codePointName) + keep(m[1]);
    last = m.index + m[0].length;
  }
  return out + text.slice(last).replace(BIDI_CONTROLS, codePointName);
}

const asIsolate = (inner: string) => FSI + inner + PDI;

/** Text safe inside an HTML or SVG element or a double- or single-quoted attribute; isolates kept as characters. */
export function escapeHtml(text: string): string {
  return withIsolates(text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]), asIsolate);
}

/** Text inside an HTML element that may hold markup (not a title or an attribute): each isolate as `<bdi>`. */
export function escapeHtmlText(text: string): string {
  return withIsolates(text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]), (inner) => `<bdi>${inner}</bdi>`);
}

/** Line breaks and other control characters become spaces: a data string is one line wherever it goes. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

/**
 * Markdown inline text that renders as exactly these characters. CommonMark lets a backslash escape any
 * ASCII punctuation; only the characters that can start markup are escaped, so ordinary ids such as
 * `J-0042` or `case_12` stay readable in the source. `<`, `>` and `&` become entities, so no renderer
 * sees a tag or an entity the data did not mean. `_` inside a word never makes emphasis, so it is kept.
 */
export function escapeMarkdown(text: string): string {
  const escaped = oneLine(text)
    .replace(/[&<>]/g, (c) => HTML_ENTITIES[c])
    .replace(/[\\`*[\]|~#]/g, (c) => '\\' + c)
    .replace(/_/g, (c, at: number, s: string) => (/[\p{L}\p{N}]/u.test(s[at - 1] ?? '') && /[\p{L}\p{N}]/u.test(s[at + 1] ?? '') ? c : '\\' + c));
  return withIsolates(escaped, asIsolate);
}

/**
 * Inline text that starts a paragraph or a list item: as `escapeMarkdown`, without leading spaces (four
 * would make a code block), and with a leading "-", "+" (a list, or "---" a rule) or "1." / "1)" (a
 * numbered list) escaped. `>` is already an entity there, so it cannot start a quote.
 */
export function escapeMarkdownBlock(text: string): string {
  return escapeMarkdown(text)
    .trimStart()
    .replace(/^[-+]/, '\\$&')
    .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

/** A Markdown table cell: inline text whose pipes cannot end the cell and whose line breaks cannot end the row. */
export function escapeMarkdownCell(text: string): string {
  const s = escapeMarkdown(text).trim();
  return s === '' ? ' ' : s;
}
