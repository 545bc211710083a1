/**
 * Escaping data strings for the documents, checked with real parsers: markdown-it (with raw HTML
 * allowed, so any markup that slipped through would show) and parse5, the HTML standard's parser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { escapeHtml, escapeMarkdown, escapeMarkdownBlock, escapeMarkdownCell, oneLine } from '../../extension/engine/report/escape';

type Node = DefaultTreeAdapterMap['node'];
const md = new MarkdownIt({ html: true });

function elements(node: Node, out: string[] = []): string[] {
  if ('tagName' in node) out.push(node.tagName);
  if ('childNodes' in node) for (const c of node.childNodes) elements(c, out);
  return out;
}

function text(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  return 'childNodes' in node ? node.childNodes.map(text).join('') : '';
}

/** Strings made of the characters that mean something to Markdown or HTML, and any Unicode. */
const hostile = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'|\\`*_[]()<>&#!~-+=.:;1 \n\t\r"\'/ab'.split('')), maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('<img src=x onerror=alert(1)>', '<script>alert(1)</script>', '---', '1. item', '# title', '> quote', '    code', '[a](http://x)', '![i](http://x/y.png)', '&amp;', '&#60;b&#62;', 'a_b_c', '_a_', '**b**', '`c`', '| a | b |', 'x\n|---|'),
);

test('escapeHtml leaves no tag and no attribute break, and the text reads back unchanged', () => {
  fc.assert(
    fc.property(hostile, (s) => {
      const frag = parseFragment(`<p title="${escapeHtml(s)}" data-x='${escapeHtml(s)}'>${escapeHtml(s)}</p>`);
      assert.deepEqual(elements(frag), ['p']);
      const p = frag.childNodes[0] as DefaultTreeAdapterMap['element'];
      assert.deepEqual(p.attrs.map((a) => a.name), ['title', 'data-x']);
      assert.equal(p.attrs[0].value, s.replace(/\r\n?/g, '\n'));
      assert.equal(text(p), s.replace(/\r\n?/g, '\n'));
    }),
    { numRuns: 400 },
  );
});

test('escapeMarkdown renders as exactly the text, with no markup', () => {
  fc.assert(
    fc.property(hostile, (s) => {
      const frag = parseFragment(md.renderInline(escapeMarkdown(s)));
      assert.deepEqual(elements(frag), []);
      assert.equal(text(frag), oneLine(s));
    }),
    { numRuns: 600 },
  );
});

test('escapeMarkdownBlock starts a paragraph that is one paragraph of exactly the text', () => {
  fc.assert(
    fc.property(hostile, (s) => {
      const want = oneLine(s).trim();
      const frag = parseFragment(md.render(`${escapeMarkdownBlock(s)}\n`));
      assert.deepEqual(elements(frag), want === '' ? [] : ['p']);
      assert.equal(text(frag).trim(), want);
      const item = parseFragment(md.render(`- ${escapeMarkdownBlock(s)}\n`));
      assert.deepEqual(elements(item), ['ul', 'li']);
      assert.equal(text(item).trim(), want);
    }),
    { numRuns: 600 },
  );
});

test('escapeMarkdownCell cannot break a table: every row keeps its cells and each cell its text', () => {
  fc.assert(
    fc.property(fc.array(hostile, { minLength: 3, maxLength: 3 }), (cells) => {
      const table = `| a | b | c |\n| --- | --- | --- |\n| ${cells.map(escapeMarkdownCell).join(' | ')} |\n| x | y | z |\n`;
      const frag = parseFragment(md.render(table));
      const tags = elements(frag);
      assert.equal(tags.filter((t) => t === 'tr').length, 3);
      assert.equal(tags.filter((t) => t === 'td').length, 6);
      assert.ok(tags.every((t) => ['table', 'thead', 'tbody', 'tr', 'th', 'td'].includes(t)), tags.join(','));
      const tds = (frag.childNodes[0] as DefaultTreeAdapterMap['element']).childNodes.filter((n) => n.nodeName === 'tbody')[0];
      const firstRow = (tds as DefaultTreeAdapterMap['element']).childNodes.filter((n) => n.nodeName === 'tr')[0] as DefaultTreeAdapterMap['element'];
      assert.deepEqual(
        firstRow.childNodes.filter((n) => n.nodeName === 'td').map((n) => text(n)),
        cells.map((c) => oneLine(c).trim()),
      );
    }),
    { numRuns: 400 },
  );
});

test('ordinary ids stay readable in the Markdown source', () => {
  for (const id of ['J-0042', 'case_12', '1042', 'C0001', 'AB/2024/17']) assert.equal(escapeMarkdown(id), id);
  assert.equal(escapeMarkdown('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert(1)&gt;');
});
