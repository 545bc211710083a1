/**
 * The PDF is a tagged PDF whose logical structure follows the summary's content blocks, read back as a
 * screen reader's software would find it: with poppler's `pdfinfo -struct-text` (the structure tree and
 * the text each element holds), `pdfinfo` (Tagged: yes) and `pdfinfo -meta` (the XMP packet). What
 * poppler does not print — a figure's `Alt`, an element's `ActualText`, the catalog's entries — is read
 * from the file itself (structure elements are plain dictionaries; page contents are inflated).
 *
 * Checked for a case of the juvenile sample (the technical summary, the plain-language letter and a
 * redacted copy) and for a hand-built summary with hostile and undrawable strings:
 * - the tree, element by element, is the content model: H1 title, P subtitle, then per block an H2, a P,
 *   an L of LI (Lbl + LBody), a Table (Caption, THead/TBody of TR with TH scoped by column, TD; facts as
 *   rows headed by a TH scoped by row), a Figure whose Alt is the chart's text alternative — the very text
 *   the Markdown shows — followed by its caption as a P;
 * - no visible text is left out: the characters pdftotext finds on the pages are those of the structure,
 *   plus the page footers and table headers repeated after a page break (artifacts), nothing else;
 * - every mark painted on a page (text, path, fill) is inside a marked-content sequence, and the parent
 *   tree names, for each sequence, the element that lists it — also for a cell whose text runs on over a
 *   page break.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { readProject } from '../../extension/engine/project';
import { openReview } from '../../extension/engine/review';
import { buildCaseSummary, prepareAnalyses, redactSummary, renderSummary, type CaseSummary } from '../../extension/engine/report/index';
import { summaryDocument, type Block, type SummaryDocument } from '../../extension/engine/report/content';
import { chartAlternative, pdfText } from '../../extension/engine/report/pdf';
import { escapeMarkdown, withIsolates } from '../../extension/engine/report/escape';
import { sampleSummary } from './report-sample';

const SAMPLE = join(__dirname, '..', '..', 'samples', 'juvenile');
const d = mkdtempSync(join(tmpdir(), 'rr-report-pdf-structure-'));
after(() => rmSync(d, { recursive: true, force: true }));

const review = openReview(readProject(join(SAMPLE, 'juvenile.riskreview.json')));
const sample = buildCaseSummary(review, prepareAnalyses(review), 0, { generatedAt: '2026-11-23T12:00:00.000Z', extensionVersion: '9.9.9' });

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `${cmd} failed (is poppler-utils installed?): ${r.stderr}`);
  return r.stdout;
}

interface StructNode {
  readonly type: string;
  readonly attributes: string[];
  /** The texts poppler found in the element's own content, one per marked-content sequence. */
  readonly texts: string[];
  readonly children: StructNode[];
}

/** The structure tree as `pdfinfo -struct-text` prints it: two spaces of indent a level; attributes start with "/", texts are quoted. */
function parseStructText(out: string): StructNode {
  const root: StructNode = { type: '(root)', attributes: [], texts: [], children: [] };
  const stack: { indent: number; node: StructNode }[] = [{ indent: -1, node: root }];
  for (const line of out.split('\n')) {
    if (!line.trim()) continue;
    const indent = line.length - line.trimStart().length;
    const body = line.trim();
    while (stack.length > 1 && stack[stack.length - 1].indent >= indent) stack.pop();
    const parent = stack[stack.length - 1].node;
    if (body.startsWith('"')) parent.texts.push(body.slice(1, -1));
    else if (body.startsWith('/')) parent.attributes.push(body);
    else {
      const m = body.match(/^(\w+)(?::| \((?:block|inline)\))?$/);
      assert.ok(m, `unexpected line in pdfinfo -struct-text: ${line}`);
      const node: StructNode = { type: m[1], attributes: [], texts: [], children: [] };
      parent.children.push(node);
      stack.push({ indent, node });
    }
  }
  return root;
}

/** Whitespace as one space; a zero-width space (a line-break opportunity pdfText adds in long runs) reads as one too in poppler's text. */
const space = (s: string) => s.replace(/[\s\u200B]+/g, ' ').trim();
/** All the text of an element and its descendants, in order. */
const textOf = (n: StructNode): string => space([...n.texts, ...n.children.map(textOf)].join(' '));
const descendants = (n: StructNode): StructNode[] => n.children.flatMap((c) => [c, ...descendants(c)]);

/** A PDF literal string whose "(" is just before `at`, in a file read as latin1: pdfkit's escapes undone, UTF-16BE decoded. */
function literalAt(raw: string, at: number): string {
  const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
  let out = '';
  for (let i = at, depth = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') {
      const next = raw[++i];
      out += ESCAPES[next] ?? next;
      continue;
    }
    if (c === ')' && depth-- === 0) break;
    if (c === '(') depth++;
    out += c;
  }
  return out.startsWith('\xfe\xff') ? Buffer.from(out.slice(2), 'latin1').swap16().toString('utf16le') : out;
}

/** Each structure element's entry `key` (Alt, ActualText) in file order, with the element's type. */
function entries(raw: string, key: string): { type: string; value: string }[] {
  return [...raw.matchAll(new RegExp(`\\n/${key} \\(`, 'g'))].map((m) => {
    const s = raw.lastIndexOf('\n/S /', m.index);
    return { type: raw.slice(s + 5).match(/^\w+/)![0], value: literalAt(raw, m.index + key.length + 4) };
  });
}

const PAINTING = new Set(['Tj', 'TJ', "'", '"', 'f', 'F', 'f*', 'S', 's', 'B', 'B*', 'b', 'b*', 'sh', 'Do']);

/** The painting operators of each page's content that are outside every marked-content sequence, and whether BDC/EMC balance. */
function unmarkedPainting(bytes: Buffer): string[] {
  const raw = bytes.toString('latin1');
  const problems: string[] = [];
  for (const [, id] of raw.matchAll(/\/Contents (\d+) 0 R/g)) {
    const start = raw.indexOf('stream\n', raw.indexOf(`\n${id} 0 obj`)) + 'stream\n'.length;
    const content = inflateSync(bytes.subarray(start, raw.indexOf('\nendstream', start))).toString('latin1');
    let depth = 0;
    for (const token of content.split(/\s+/)) {
      if (token === 'BDC' || token === 'BMC') depth++;
      else if (token === 'EMC') depth--;
      else if (PAINTING.has(token) && depth === 0) problems.push(`page content ${id}: "${token}" outside marked content`);
      if (depth < 0 || depth > 1) problems.push(`page content ${id}: marked content nested or unbalanced`);
    }
    if (depth !== 0) problems.push(`page content ${id}: ${depth} marked-content sequences left open`);
  }
  return problems;
}

/**
 * Where the parent tree (MCID → element, per page, which readers use to go from a point on the page to
 * its element) and the elements' own lists of MCIDs disagree; each sequence must belong to one element.
 */
function parentTreeProblems(raw: string): string[] {
  const objects = new Map([...raw.matchAll(/\n(\d+) 0 obj\n<<\n((?:(?!\nendobj)[^])*?)\n>>\nendobj/g)].map(([, id, body]) => [id, body]));
  const owner = new Map<string, string>(); // "page/mcid" → element
  const problems: string[] = [];
  for (const [id, body] of objects) {
    const k = body.match(/^\/K \[([^\]]*)\]\n\/Pg (\d+) 0 R$/m);
    if (!/^\/S \/\w+/.test(body) || !k) continue;
    const [, items, page] = k;
    const mcrs = [...items.matchAll(/<<\n\/Type \/MCR\n\/Pg (\d+) 0 R\n\/MCID (\d+)\n>>/g)].map(([, pg, mcid]) => `${pg}/${mcid}`);
    const own = items.replace(/<<[^>]*>>/g, '').replace(/\d+ 0 R/g, '').trim().split(/\s+/).filter(Boolean).map((mcid) => `${page}/${mcid}`);
    for (const key of [...own, ...mcrs]) {
      if (owner.has(key)) problems.push(`sequence ${key} claimed by ${owner.get(key)} and ${id}`);
      owner.set(key, id);
    }
  }
  const pageOf = new Map([...objects].flatMap(([id, body]) => (/\/Type \/Page\n/.test(body) ? [[body.match(/\/StructParents (\d+)/)![1], id] as const] : [])));
  const nums = raw.slice(raw.indexOf('/ParentTree <<')).match(/\/Nums \[([^]*?)\n\]/)![1];
  let listed = 0;
  for (const [, key, refs] of nums.matchAll(/(\d+) \[([^\]]*)\]/g)) {
    (refs.match(/\d+ 0 R|null/g) ?? []).forEach((ref, mcid) => {
      listed++;
      const at = `${pageOf.get(key)}/${mcid}`;
      const element = ref.split(' ')[0];
      if (owner.get(at) !== element) problems.push(`parent tree: sequence ${at} → ${element}, but the element that lists it is ${owner.get(at)}`);
    });
  }
  if (listed !== owner.size) problems.push(`the parent tree lists ${listed} sequences, the elements ${owner.size}`);
  return problems;
}

/** Non-space characters with their counts. */
function characters(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const ch of s.replace(/[\s\u200B]+/g, '')) m.set(ch, (m.get(ch) ?? 0) + 1);
  return m;
}

/** Takes `part`'s characters out of `from`; false (and `from` unchanged) when `from` lacks some. */
function takeOut(from: Map<string, number>, part: Map<string, number>): boolean {
  for (const [ch, k] of part) if ((from.get(ch) ?? 0) < k) return false;
  for (const [ch, k] of part) from.set(ch, from.get(ch)! - k);
  return true;
}

interface Tagged {
  readonly bytes: Buffer;
  readonly raw: string;
  readonly tree: StructNode;
  readonly info: string;
  readonly pageText: string;
  readonly pages: number;
}

async function exportPdf(summary: CaseSummary, name: string, options: { plainLanguage?: boolean; redact?: { reference: string } } = {}): Promise<Tagged> {
  const bytes = Buffer.from((await renderSummary(summary, 'pdf', options)) as Uint8Array);
  const file = join(d, name);
  writeFileSync(file, bytes);
  const info = run('pdfinfo', [file]);
  return {
    bytes,
    raw: bytes.toString('latin1'),
    tree: parseStructText(run('pdfinfo', ['-struct-text', file])),
    info,
    // Word by word (-tsv): the plain output joins a word broken after its hyphen ("log-" "odds" → "logodds").
    pageText: run('pdftotext', ['-enc', 'UTF-8', '-tsv', file, '-'])
      .split('\n')
      .map((line) => line.split('\t'))
      .filter((cells) => cells[0] === '5')
      .map((cells) => cells[11])
      .join(' '),
    pages: Number(info.match(/^Pages:\s+(\d+)$/m)![1]),
  };
}

/** The element types the blocks become, in order. */
function expectedTypes(doc: SummaryDocument, note: boolean): string[] {
  const TYPES: Record<Block['kind'], string[]> = { heading: ['H2'], paragraph: ['P'], list: ['L'], facts: ['Table'], table: ['Table'], chart: ['Figure', 'P'] };
  return ['H1', 'P', ...(note ? ['P'] : []), ...doc.blocks.flatMap((b) => TYPES[b.kind])];
}

/** Every structure element against the block it comes from; returns the figures' alternatives in order. */
function assertStructureFollows(doc: SummaryDocument, t: Tagged): void {
  assert.match(t.info, /^Tagged:\s+yes$/m);
  assert.equal(t.tree.children.length, 1, 'one root element');
  const root = t.tree.children[0];
  assert.equal(root.type, 'Document');
  const note = root.children[2]?.type === 'P' && textOf(root.children[2]).startsWith('Characters not drawn in this PDF');
  assert.deepEqual(root.children.map((c) => c.type), expectedTypes(doc, note));
  assert.equal(textOf(root.children[0]), pdfText(doc.title));
  assert.equal(textOf(root.children[1]), pdfText(doc.subtitle));
  const alts = entries(t.raw, 'Alt');
  assert.ok(alts.every((a) => a.type === 'Figure'), 'only figures have an Alt');
  let k = note ? 3 : 2;
  let figure = 0;
  const cells = (row: StructNode, type: string) => {
    assert.equal(row.type, 'TR');
    assert.ok(row.children.every((c) => c.type === type), `a row of ${type}: ${row.children.map((c) => c.type)}`);
    return row.children.map(textOf);
  };
  for (const b of doc.blocks) {
    const el = root.children[k++];
    switch (b.kind) {
      case 'heading':
      case 'paragraph':
        assert.equal(textOf(el), space(pdfText(b.text)));
        break;
      case 'list':
        assert.deepEqual(
          el.children.map((li) => [li.type, ...li.children.map((c) => `${c.type}: ${textOf(c)}`)]),
          b.items.map((item) => ['LI', 'Lbl: •', `LBody: ${space(pdfText(item))}`]),
        );
        break;
      case 'facts':
        assert.deepEqual(
          el.children.map((row) => [...row.children.map((c) => `${c.type}${c.attributes.join('')}`), ...row.children.map(textOf)]),
          b.rows.map(([key, value]) => ['TH/Scope /Row', 'TD', space(pdfText(key)), space(pdfText(value))]),
        );
        break;
      case 'table': {
        assert.deepEqual(el.children.map((c) => c.type), ['Caption', 'THead', 'TBody']);
        const [caption, head, body] = el.children;
        assert.equal(textOf(caption), space(pdfText(b.caption)));
        assert.equal(head.children.length, 1, 'one header row');
        assert.deepEqual(cells(head.children[0], 'TH'), b.columns.map((c) => space(pdfText(c.title))));
        assert.ok(head.children[0].children.every((th) => th.attributes.includes('/Scope /Column')), 'header cells head their column');
        assert.deepEqual(body.children.map((row) => cells(row, 'TD')), b.rows.map((r) => r.map((v) => space(pdfText(v)))));
        break;
      }
      case 'chart': {
        assert.equal(alts[figure++]?.value, chartAlternative(b.chart), 'the figure says what the chart shows');
        assert.ok(el.attributes.includes('/Placement /Block') && el.attributes.some((a) => a.startsWith('/BBox [')), 'the figure has its box');
        const caption = root.children[k++];
        assert.equal(textOf(caption), space(pdfText(`${b.chart.title} (the table below gives the numbers).`)));
        break;
      }
    }
  }
  assert.equal(figure, alts.length, 'one Alt per chart');
}

/** Nothing visible is left out of the structure: the pages' characters are the structure's, plus footers and repeated table headers. */
function assertNothingLeftOut(doc: SummaryDocument, t: Tagged): void {
  let pageText = t.pageText;
  for (let p = 1; p <= t.pages; p++) {
    const footer = pdfText(`${doc.footer} · page ${p} of ${t.pages}`);
    assert.ok(pageText.includes(footer), `footer of page ${p}`);
    pageText = pageText.replace(footer, '');
  }
  const left = characters(pageText);
  const structure = descendants(t.tree).flatMap((n) => n.texts).join('');
  const missing = [...characters(structure)].filter(([ch, k]) => (left.get(ch) ?? 0) < k);
  assert.deepEqual(missing, [], 'the structure holds text that is not on the pages');
  takeOut(left, characters(structure));
  // What remains can only be header rows a table repeats after a page break, each at most once a page.
  let repeated = 0;
  for (const b of doc.blocks) {
    if (b.kind !== 'table') continue;
    const header = characters(b.columns.map((c) => pdfText(c.title)).join(''));
    while (repeated < t.pages && takeOut(left, header)) repeated++;
  }
  const rest = [...left].filter(([, k]) => k > 0);
  assert.deepEqual(rest, [], 'text on the pages that is neither in the structure nor a footer or a repeated table header');
}

function assertDocumentLevel(doc: SummaryDocument, t: Tagged): void {
  assert.match(t.raw, /\/Type \/Catalog[^]*?\/Lang \(en\)/, 'the language is set');
  assert.match(t.raw, /\/DisplayDocTitle true/, 'readers show the title, not the file name');
  assert.match(t.raw, /\/Marked true/);
  assert.equal(t.raw.match(/\/Tabs \/S\b/g)?.length, t.pages, 'on every page the tab order is the structure order');
  assert.match(t.info, new RegExp(`^Title:\\s+${withIsolates(doc.title, (inner) => inner).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  assert.deepEqual(unmarkedPainting(t.bytes), []);
  assert.deepEqual(parentTreeProblems(t.raw), []);
}

test('the sample case as a tagged PDF: every block an element, headings, tables, lists and figures as a reader needs them', async () => {
  const doc = summaryDocument(sample);
  const t = await exportPdf(sample, 'sample.pdf');
  assertStructureFollows(doc, t);
  assertNothingLeftOut(doc, t);
  assertDocumentLevel(doc, t);

  // The points a reader relies on, spelled out.
  const root = t.tree.children[0];
  assert.deepEqual(root.children[0], { type: 'H1', attributes: [], texts: [`Case summary: ${sample.header.caseId}`], children: [] });
  assert.deepEqual(
    root.children.filter((c) => c.type === 'H2').map(textOf),
    ['What drove the score', 'What the score is sensitive to', 'What would move the score to a lower band', 'A simple rule that imitates the model', 'Is the score calibrated for people like this?', 'What-if scenarios kept by the reviewer', "Reviewer's decision", 'How to read this', 'Provenance'],
  );
  assert.ok(!descendants(root).some((n) => /^H[3-6]$/.test(n.type)), 'no level is skipped');
  const attribution = descendants(root).find((n) => n.type === 'Table' && n.children[0]?.type === 'Caption' && textOf(n.children[0]) === 'Every feature, largest effect first')!;
  assert.ok(attribution, 'the attribution table');
  assert.deepEqual(attribution.children[1].children[0].children.map(textOf), ['Feature', 'Value', 'Effect (points of %)', 'Log-odds']);
  const strongest = [...sample.attribution!.rows].sort((a, b) => Math.abs(b.probabilityPoints!) - Math.abs(a.probabilityPoints!))[0];
  const firstRow = attribution.children[2].children[0];
  assert.equal(firstRow.children[0].type, 'TD');
  assert.equal(textOf(firstRow.children[0]), strongest.label, 'the strongest driver heads the table');
  const drivers = root.children[root.children.findIndex((c) => textOf(c) === 'What drove the score') + 2];
  assert.equal(drivers.type, 'L');
  assert.equal(drivers.children.length, 3);
  assert.match(textOf(drivers.children[0].children[1]), new RegExp(`^${strongest.label} \\(`), 'the first driver sentence names the strongest driver');

  // The figures' alternatives are the text the Markdown export shows in the charts' place.
  const markdown = (await renderSummary(sample, 'md')) as string;
  const charts = doc.blocks.flatMap((b) => (b.kind === 'chart' ? [b.chart] : []));
  assert.equal(charts.length, 6, 'the waterfall, the tree, a reliability diagram per grouping (sex, race_ethnicity and their intersection) and the curves');
  assert.deepEqual(
    entries(t.raw, 'Alt').map((a) => a.value),
    charts.map((c) => `Chart: ${c.title}. ${c.description}`),
  );
  for (const c of charts) assert.ok(markdown.includes(`> **Chart: ${escapeMarkdown(c.title)}.** ${escapeMarkdown(c.description)}`), c.title);

  // The title in the XMP metadata too, and no ActualText where every character is drawn as it is:
  // only the SHA-256 fingerprints, long runs drawn with line-break opportunities, carry their exact text.
  assert.match(run('pdfinfo', ['-meta', join(d, 'sample.pdf')]), new RegExp(`<dc:title>\\s*<rdf:Alt>\\s*<rdf:li xml:lang="x-default">Case summary: ${sample.header.caseId}</rdf:li>`));
  assert.deepEqual(entries(t.raw, 'ActualText').map((a) => a.value).sort(), [sample.provenance.dataSha256, sample.provenance.modelSha256].sort());
});

test('the plain-language letter and a redacted copy are tagged alike; the redacted one names its reference only', async () => {
  const plainDoc = summaryDocument(sample, { plainLanguage: true });
  const plain = await exportPdf(sample, 'plain.pdf', { plainLanguage: true });
  assertStructureFollows(plainDoc, plain);
  assertNothingLeftOut(plainDoc, plain);
  assertDocumentLevel(plainDoc, plain);
  const root = plain.tree.children[0];
  assert.equal(textOf(root.children[0]), `About the risk score for case ${sample.header.caseId}`);
  const mattered = root.children.findIndex((c) => textOf(c) === 'What mattered most');
  assert.equal(root.children[mattered].type, 'H2');
  assert.equal(root.children[mattered + 1].type, 'L');
  assert.equal(root.children[mattered + 1].children.length, 3, 'three driver sentences, each an LI');

  const redacted = await exportPdf(sample, 'redacted.pdf', { redact: { reference: 'REF-001' } });
  const redactedDoc = summaryDocument(redactSummary(sample, 'REF-001'));
  assertStructureFollows(redactedDoc, redacted);
  assertNothingLeftOut(redactedDoc, redacted);
  assertDocumentLevel(redactedDoc, redacted);
  assert.equal(textOf(redacted.tree.children[0].children[0]), 'Case summary: REF-001');
  const everything = [textOf(redacted.tree), ...entries(redacted.raw, 'Alt').map((a) => a.value), run('pdfinfo', ['-meta', join(d, 'redacted.pdf')]), redacted.info].join('\n');
  assert.ok(!everything.includes(sample.header.caseId), 'the case id is nowhere in the structure or the metadata');
});

test('undrawable characters: the elements carry the exact text as ActualText; a hostile title stays well-formed XMP', async () => {
  const caseId = 'J-<名&>"-1';
  const summary = sampleSummary({ caseId, group: 'Ελληνικά 👍', featureLabel: 'Prior referrals 名' });
  const doc = summaryDocument(summary);
  const t = await exportPdf(summary, 'hostile.pdf');
  assertStructureFollows(doc, t);
  assertNothingLeftOut(doc, t);
  assertDocumentLevel(doc, t);
  assert.equal(textOf(t.tree.children[0].children[0]), 'Case summary: J-<\uFFFD&>"-1', 'drawn with \uFFFD');
  const actual = entries(t.raw, 'ActualText');
  assert.deepEqual(actual[0], { type: 'H1', value: `Case summary: ${caseId}` }, 'the title reads exactly');
  assert.ok(actual.some((a) => a.type === 'TD' && a.value === 'Prior referrals 名'), 'a table cell reads exactly');
  assert.ok(actual.some((a) => a.type === 'LBody' && a.value.startsWith('Prior referrals 名 (')), 'a driver sentence reads exactly');
  assert.ok(actual.every((a) => pdfText(a.value) !== a.value), 'ActualText only where the glyphs differ from the text');
  // The chart's alternative is the exact text too: an Alt is never drawn.
  assert.ok(entries(t.raw, 'Alt').some((a) => a.value.includes('Prior referrals 名')));
  const meta = run('pdfinfo', ['-meta', join(d, 'hostile.pdf')]);
  assert.ok(meta.includes('<rdf:li xml:lang="x-default">Case summary: J-&lt;名&amp;&gt;&quot;-1</rdf:li>'), 'escaped in the XMP packet');
  assert.match(t.info, /^Title:\s+Case summary: J-<名&>"-1$/m, 'exact in the document information');
  // Characters XML cannot hold at all (U+FFFF, a lone surrogate) do not break the packet either.
  const odd = await exportPdf(sampleSummary({ caseId: 'J-\uFFFF\uD800-2' }), 'odd.pdf');
  assert.ok(run('pdfinfo', ['-meta', join(d, 'odd.pdf')]).includes('<rdf:li xml:lang="x-default">Case summary: J-\uFFFD\uFFFD-2</rdf:li>'));
  assert.ok(entries(odd.raw, 'ActualText').some((a) => a.type === 'H1' && a.value === 'Case summary: J-\uFFFF\uD800-2'), 'the structure keeps the text as it is');
});

test('a note longer than a page: its cell goes on over the page break and stays one element', async () => {
  const notes = Array.from({ length: 400 }, (_, k) => `Sentence ${k + 1} of a long note.`).join(' ');
  const summary = sampleSummary({ notes });
  const doc = summaryDocument(summary);
  const t = await exportPdf(summary, 'long-note.pdf');
  assertStructureFollows(doc, t);
  assertNothingLeftOut(doc, t);
  assertDocumentLevel(doc, t);
  const cell = descendants(t.tree).find((n) => n.type === 'TD' && textOf(n).startsWith('Sentence 1 of'))!;
  assert.ok(cell.texts.length >= 2, `one element, ${cell.texts.length} marked-content sequences on as many pages`);
  assert.ok(textOf(cell).endsWith('Sentence 400 of a long note.'));
});
