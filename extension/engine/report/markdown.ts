/**
 * The summary as Markdown (CommonMark with GitHub tables). Every data string goes through
 * `escapeMarkdown`/`escapeMarkdownCell`, so a hostile id or feature name can neither add markup nor
 * break a table. Charts cannot be drawn in Markdown; their text alternative stands in for them, and the
 * table that follows each chart carries its numbers.
 */
import type { Block, SummaryDocument } from './content';
import { escapeMarkdown, escapeMarkdownBlock, escapeMarkdownCell } from './escape';

function table(b: Extract<Block, { kind: 'table' }>): string {
  const head = `| ${b.columns.map((c) => escapeMarkdownCell(c.title)).join(' | ')} |`;
  const rule = `|${b.columns.map((c) => (c.numeric ? ' ---: ' : ' --- ')).join('|')}|`;
  const rows = b.rows.map((r) => `| ${r.map(escapeMarkdownCell).join(' | ')} |`);
  return [`*${escapeMarkdown(b.caption)}*`, '', head, rule, ...rows].join('\n');
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `## ${escapeMarkdown(b.text)}`;
    case 'paragraph':
      return b.tone === 'warning' ? `> **${escapeMarkdown(b.text)}**` : b.tone === 'muted' ? `*${escapeMarkdown(b.text)}*` : escapeMarkdownBlock(b.text);
    case 'list':
      return b.items.map((i) => `- ${escapeMarkdownBlock(i)}`).join('\n');
    case 'facts':
      return b.rows.map(([k, v]) => `- **${escapeMarkdown(k)}:** ${escapeMarkdown(v)}`).join('\n');
    case 'table':
      return table(b);
    case 'chart':
      return `> **Chart: ${escapeMarkdown(b.chart.title)}.** ${escapeMarkdown(b.chart.description)}`;
  }
}

export function renderMarkdown(doc: SummaryDocument): string {
  return [`# ${escapeMarkdown(doc.title)}`, `*${escapeMarkdown(doc.subtitle)}*`, ...doc.blocks.map(block)].join('\n\n') + '\n';
}
