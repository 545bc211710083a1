/**
 * Escaping for strings that come from the data (case ids, feature names, group names, notes), which can
 * be hostile. Every renderer passes every such string through one of these; the document content itself
 * is plain text (no markup), so there is nothing else to trust.
 */

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside an HTML or SVG element or a double- or single-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
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
  return oneLine(text)
    .replace(/[&<>]/g, (c) => HTML_ENTITIES[c])
    .replace(/[\\`*[\]|~#]/g, (c) => '\\' + c)
    .replace(/_/g, (c, at: number, s: string) => (/[\p{L}\p{N}]/u.test(s[at - 1] ?? '') && /[\p{L}\p{N}]/u.test(s[at + 1] ?? '') ? c : '\\' + c));
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
