/**
 * Direction in the documents: a case id that holds a bidirectional override (U+202E shows what follows
 * reversed) or is written right to left cannot reorder the text around it. Ids are isolated — `<bdi>` in
 * the HTML, U+2068 … U+2069 in the Markdown — and every bidirectional control that comes from the data
 * is shown as its code point ("U+202E") in every format, the PDF's drawn text and metadata included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { renderSummary } from '../../extension/engine/report/index';
import { escapeHtmlText, escapeMarkdown, isolate } from '../../extension/engine/report/escape';
import { sampleSummary } from './report-sample';
import { pdfText } from '../../extension/engine/report/pdf';

type Element = DefaultTreeAdapterMap['element'];
type Node = DefaultTreeAdapterMap['node'];
const RLO = '\u202E';
const TROJAN = `J-0042${RLO}exe.txt`;
/** Any explicit bidirectional formatting character except the isolates the renderer itself writes. */
const OVERRIDES = /[\u061c\u200e\u200f\u202a-\u202e\u2066\u2067]/;

function walk(node: Node, visit: (e: Element) => void): void {
  if ('tagName' in node) visit(node);
  if ('childNodes' in node) for (const c of node.childNodes) walk(c, visit);
  if ('content' in node) walk((node as unknown as { content: Node }).content, visit);
}
const textOf = (node: Node): string => (node.nodeName === '#text' ? (node as DefaultTreeAdapterMap['textNode']).value : 'childNodes' in node ? node.childNodes.map(textOf).join('') : '');

test('HTML: the id sits in <bdi> in the heading, the facts and the footer; the override is shown as U+202E', async () => {
  const html = (await renderSummary(sampleSummary({ caseId: TROJAN }), 'html')) as string;
  assert.doesNotMatch(html, OVERRIDES, 'no override reaches the page');
  const doc = parse(html);
  const bdis: string[] = [];
  walk(doc, (e) => e.tagName === 'bdi' && bdis.push(textOf(e)));
  const shown = 'J-0042U+202Eexe.txt';
  assert.ok(bdis.filter((t) => t === shown).length >= 3, `isolated id in h1, facts and footer: ${JSON.stringify(bdis)}`);
  let h1 = '';
  walk(doc, (e) => e.tagName === 'h1' && (h1 = textOf(e)));
  assert.equal(h1, `Case summary: ${shown}`);
  let title = '';
  walk(doc, (e) => e.tagName === 'title' && title === '' && (title = textOf(e)));
  assert.equal(title, `Case summary: \u2068${shown}\u2069`, 'the <title> holds no tags, the isolate as characters');
});

test('Markdown: the id between U+2068 and U+2069 wherever it appears; no override left', async () => {
  const md = (await renderSummary(sampleSummary({ caseId: TROJAN }), 'md')) as string;
  assert.doesNotMatch(md, OVERRIDES);
  assert.ok(md.startsWith('# Case summary: \u2068J-0042U+202Eexe.txt\u2069\n'), md.slice(0, 80));
  // The isolates survive rendering (CommonMark passes them through as text).
  const rendered = new MarkdownIt().render(md);
  assert.ok(rendered.includes('<h1>Case summary: \u2068J-0042U+202Eexe.txt\u2069</h1>'));
});

test('a right-to-left id is isolated too, its letters kept as they are', async () => {
  const hebrew = 'תיק-42';
  const html = (await renderSummary(sampleSummary({ caseId: hebrew }), 'html')) as string;
  assert.ok(html.includes(`<h1>Case summary: <bdi>${hebrew}</bdi></h1>`));
  const md = (await renderSummary(sampleSummary({ caseId: hebrew }), 'md')) as string;
  assert.ok(md.includes(`\u2068${hebrew}\u2069`));
});

test('PDF: no override in the drawn text or the title metadata; U+202E is spelled out', { skip: spawnSync('pdfinfo', ['-v']).error ? 'needs poppler-utils' : false }, async () => {
  const d = mkdtempSync(join(tmpdir(), 'rr-bidi-pdf-'));
  const file = join(d, 'trojan.pdf');
  writeFileSync(file, (await renderSummary(sampleSummary({ caseId: TROJAN }), 'pdf')) as Uint8Array);
  const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout;
  const meta = spawnSync('pdfinfo', ['-meta', file], { encoding: 'utf8' }).stdout;
  const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout;
  for (const [what, s] of [['info', info], ['XMP', meta], ['text', text]]) {
    assert.doesNotMatch(s, /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/, `${what} holds a bidirectional control`);
  }
  assert.match(info, /^Title:\s+Case summary: J-0042U\+202Eexe\.txt$/m);
  assert.ok(text.includes('J-0042U+202Eexe.txt'));
});

test('escaping, whatever the data: HTML isolates are balanced <bdi>, and no override survives in either format', () => {
  const unit = fc.constantFrom('a', 'ש', '1', ' ', '<', '&', '|', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c');
  fc.assert(
    fc.property(fc.string({ unit, maxLength: 20 }), fc.string({ unit, maxLength: 20 }), (before, id) => {
      const text = `${before} ${isolate(id)} ${before}`;
      const html = escapeHtmlText(text);
      assert.doesNotMatch(html, /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
      assert.equal(html.split('<bdi>').length, html.split('</bdi>').length);
      const frag = parse(`<p>${html}</p>`);
      const bdis: string[] = [];
      walk(frag, (e) => e.tagName === 'bdi' && bdis.push(textOf(e)));
      assert.ok(bdis.includes(id.replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`)));
      const md = escapeMarkdown(text);
      assert.doesNotMatch(md, OVERRIDES);
      // Every isolate character in the Markdown belongs to a balanced pair.
      assert.equal((md.match(/\u2068/g) ?? []).length, (md.match(/\u2069/g) ?? []).length);
    }),
    { numRuns: 500 },
  );
});

test('PDF: a very long id costs time in proportion to its length (line breaks every 40 characters of a run)', { timeout: 60_000 }, async () => {
  const id = `J${'x'.repeat(20_000)}`;
  const started = performance.now();
  const pdf = (await renderSummary(sampleSummary({ caseId: id }), 'pdf')) as Uint8Array;
  const seconds = (performance.now() - started) / 1000;
  assert.ok(pdf.length > 0);
  // Before the breaks, pdfkit measured ever shorter beginnings of the id, each shaped whole: 20,000
  // characters took minutes. Now it takes a second or two; the bound leaves room for a loaded machine.
  assert.ok(seconds < 30, `${seconds.toFixed(1)} s for a 20,000-character id`);
  const drawn = pdfText(id);
  assert.ok(drawn.split('\u200B').every((run) => run.length <= 40), 'no run longer than 40 characters without a break');
  assert.equal(drawn.replace(/\u200B/g, ''), id, 'nothing but the breaks is added');
});
