/**
 * The three documents from one summary: what they say (case, strongest driver, model fingerprint,
 * group), that the HTML is self-contained and inert, that hostile data stays text, redaction, the
 * plain-language letter, and byte-for-byte reproducible PDFs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { summaryDocument } from '../../extension/engine/report/content';
import { batchFileNames, batchReference, exportBatch, renderSummary } from '../../extension/engine/report/index';
import type { CaseSummary } from '../../extension/engine/report/types';
import { sampleSummary } from './report-sample';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

function walk(node: Node, visit: (e: Element) => void): void {
  if ('tagName' in node) visit(node);
  if ('childNodes' in node) for (const c of node.childNodes) walk(c, visit);
  if (node.nodeName === 'template') walk((node as DefaultTreeAdapterMap['template']).content, visit);
}

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  return 'childNodes' in node ? node.childNodes.map(textOf).join('') : '';
}

const HOSTILE_ID = '<img src=x onerror=alert(1)>';
const HOSTILE_LABEL = 'Priors | <script>alert(1)</script>\n| --- |';
const HOSTILE_GROUP = '"><svg onload=alert(1)>';

async function html(s: CaseSummary, options = {}): Promise<string> {
  return (await renderSummary(s, 'html', options)) as string;
}

test('the HTML is one inert file: no script, no request of any kind, a CSP that forbids them', async () => {
  for (const s of [sampleSummary(), sampleSummary({ caseId: HOSTILE_ID, featureLabel: HOSTILE_LABEL, group: HOSTILE_GROUP, notes: '</textarea><script>x</script>' })]) {
    const page = await html(s);
    const doc = parse(page);
    const tags = new Set<string>();
    walk(doc, (e) => {
      tags.add(e.tagName);
      for (const a of e.attrs) {
        assert.ok(!/^on/i.test(a.name), `event handler ${a.name} on <${e.tagName}>`);
        assert.ok(!['src', 'href', 'srcset', 'action', 'formaction', 'poster', 'data', 'xlink:href'].includes(a.name), `<${e.tagName} ${a.name}>`);
      }
    });
    for (const t of ['script', 'img', 'iframe', 'object', 'embed', 'link', 'base', 'form', 'video', 'audio', 'image', 'use', 'foreignObject']) assert.ok(!tags.has(t), `<${t}>`);
    assert.ok(tags.has('svg'));
    assert.doesNotMatch(page, /url\(|@import|https?:\/\//i);
    const csp = page.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/);
    assert.ok(csp && csp[1].includes("default-src 'none'"));
    assert.match(page, /@media print/);
  }
});

test('hostile strings come out as text in HTML, escaped in the source', async () => {
  const s = sampleSummary({ caseId: HOSTILE_ID, featureLabel: HOSTILE_LABEL, group: HOSTILE_GROUP });
  const page = await html(s);
  assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(!page.includes(HOSTILE_ID));
  const text = textOf(parse(page));
  assert.ok(text.includes(`Case summary: ${HOSTILE_ID}`));
  assert.ok(text.includes('Priors | <script>alert(1)</script>'));
  assert.ok(text.includes(HOSTILE_GROUP));
});

test('hostile strings cannot break the Markdown: the attribution table keeps its shape and no HTML appears', async () => {
  const s = sampleSummary({ caseId: HOSTILE_ID, featureLabel: HOSTILE_LABEL, group: HOSTILE_GROUP });
  const md = (await renderSummary(s, 'md')) as string;
  assert.ok(!md.includes(HOSTILE_ID));
  const rendered = new MarkdownIt({ html: true }).render(md);
  const doc = parse(rendered);
  const tags = new Set<string>();
  walk(doc, (e) => tags.add(e.tagName));
  for (const t of ['script', 'img', 'svg']) assert.ok(!tags.has(t), `<${t}> in rendered Markdown`);
  const tables: Element[] = [];
  walk(doc, (e) => e.tagName === 'table' && tables.push(e));
  assert.equal(tables.length, 8);
  for (const t of tables) {
    const rows: Element[] = [];
    walk(t, (e) => e.tagName === 'tr' && rows.push(e));
    const widths = rows.map((r) => r.childNodes.filter((c) => c.nodeName === 'td' || c.nodeName === 'th').length);
    assert.ok(widths.every((w) => w === widths[0]), `ragged table: ${widths}`);
  }
  const firstCells: string[] = [];
  walk(tables[0], (e) => e.tagName === 'td' && firstCells.push(textOf(e)));
  assert.equal(firstCells[0], 'Priors | <script>alert(1)</script> | --- |');
  assert.ok(textOf(doc).includes(`Case summary: \u2068${HOSTILE_ID}\u2069`), 'the id, isolated');
});

test('every format names the case, its strongest driver, the model fingerprint and the group', async () => {
  const s = sampleSummary();
  const expected = ['J-0042', 'Prior referrals', s.provenance.modelSha256!.slice(0, 12), 'Female'];
  const md = (await renderSummary(s, 'md')) as string;
  const page = textOf(parse(await html(s)));
  const doc = summaryDocument(s);
  const blocks = JSON.stringify(doc.blocks);
  for (const want of expected) {
    assert.ok(md.includes(want), `Markdown lacks ${want}`);
    assert.ok(page.includes(want), `HTML lacks ${want}`);
    assert.ok(blocks.includes(want), `document lacks ${want}`);
  }
  assert.match(md, /Prior referrals \(3\) raised the estimated risk by 12 points\./);
  assert.match(md, /Model SHA-256:\*\* 3f5a9c0e7b21d4e8/);
  for (const heading of ['What drove the score', 'A simple rule that imitates the model', 'Is the score calibrated for people like this?', 'What-if scenarios kept by the reviewer', "Reviewer's decision", 'How to read this', 'Provenance']) {
    assert.ok(md.includes(`## ${heading}`), heading);
  }
});

test("the per-group calibration figures are a table in every format, the case's group and the reference marked", async () => {
  const s = sampleSummary();
  const md = (await renderSummary(s, 'md')) as string;
  assert.match(md, /\n\| Who \| Cases \| Outcome rate \| Brier \| ECE \| Score − outcome \(percentage points\) \|\n/);
  assert.match(md, /\n\| Female \(sex\) · this case's group \| 150 \| 41\.3% \| 0\.210 \(0\.190–0\.230\) \| 0\.05 \| \+3\.2 \(2\.2 to 4\.2\) \|\n/);
  assert.match(md, /\n\| Male \(sex\) · reference \| 850 \|/);
  assert.match(md, /\n\| Everyone \| 1,000 \| 48% \| 0\.190 \(0\.170–0\.210\) \|/);
  // Intervals in brackets, to the figure's decimals; "to" where an end is negative, so that a dash is never read as a minus.
  assert.match(md, /\n\| Who \| AUC \| Slope \| Intercept \|\n/);
  assert.match(md, /\n\| Female \(sex\) · this case's group \| 0\.720 \(0\.680–0\.760\) \| 0\.92 \(0\.78–1\.06\) \| -0\.03 \(-0\.18 to 0\.12\) \|\n/);
  assert.match(md, /\n\*Discrimination and recalibration by group, 95% intervals in brackets/);
  assert.match(md, /other intervals: AUC by DeLong \(logit scale\), Brier score by normal approximation \(central limit theorem\), slope and intercept by Wald \(observed information\)/);
  assert.match(md, /\n\| Female \(sex\) · this case's group \| 41% \(38%–44%\) \| 23% \(19%–27%\) \| 31% \(26%–36%\) \| 64% \(59%–69%\) \|\n/);
  assert.match(md, /- Female \(sex\) · this case's group: 2 bins have fewer than 10 cases/);

  const doc = parse(await html(s));
  const tables: Element[] = [];
  walk(doc, (e) => e.tagName === 'table' && tables.push(e));
  const byCaption = (start: string) => tables.find((t) => textOf(t).startsWith(start))!;
  for (const caption of ['Calibration by group', 'Discrimination and recalibration by group', 'Errors at the threshold (flagged at 50% or more), with 95% intervals']) {
    const t = byCaption(caption);
    assert.ok(t, caption);
    const rows: Element[] = [];
    walk(t, (e) => e.tagName === 'tr' && rows.push(e));
    assert.deepEqual(rows.slice(1).map((r) => textOf(r.childNodes.find((c) => 'tagName' in c)!)), ["Female (sex) · this case's group", 'Male (sex) · reference', 'Everyone']);
  }
  // The PDF lays out the very same blocks.
  const blocks = summaryDocument(s).blocks.filter((b) => b.kind === 'table').map((b) => b.caption);
  for (const caption of ['Calibration by group', 'Discrimination and recalibration by group', 'Errors at the threshold']) assert.ok(blocks.some((c) => c.startsWith(caption)), caption);
});

test('missing analyses are said to be missing, not dropped', async () => {
  const s: CaseSummary = { ...sampleSummary(), surrogate: null, calibration: null, decision: null, whatIfs: [], unavailable: [{ section: 'surrogate', reason: 'no surrogate rule was fitted' }, { section: 'calibration', reason: 'no outcome column was named' }] };
  const md = (await renderSummary(s, 'md')) as string;
  assert.match(md, /Not available for this case: no surrogate rule was fitted\./);
  assert.match(md, /Not available for this case: no outcome column was named\./);
  assert.match(md, /No decision recorded\./);
  assert.match(md, /None kept\./);
});

test('a redacted summary holds neither the case id nor the group, in any format', async () => {
  const s = sampleSummary({ caseId: 'J-0042', group: 'Hispanic' });
  // A model feature that is also the group column must not give the group away either.
  const withGroupFeature: CaseSummary = {
    ...s,
    header: { ...s.header, groups: [{ column: 'ethnicity', group: 'Hispanic' }] },
    attribution: { ...s.attribution!, rows: [...s.attribution!.rows, { feature: 'ethnicity', label: 'Ethnicity', value: 2, valueText: 'Hispanic', contribution: 0, probabilityPoints: 0 }] },
  };
  for (const format of ['md', 'html'] as const) {
    const out = (await renderSummary(withGroupFeature, format, { redact: { reference: 'REF-7' } })) as string;
    assert.ok(!out.includes('J-0042'), format);
    assert.ok(!out.includes('Hispanic'), format);
    assert.ok(out.includes('REF-7'), format);
    assert.ok(out.includes(s.provenance.modelSha256!.slice(0, 12)), format);
  }
  const plain = (await renderSummary(withGroupFeature, 'md', { redact: { reference: 'REF-7' }, plainLanguage: true })) as string;
  assert.ok(!plain.includes('J-0042') && !plain.includes('Hispanic'));
});

test('the plain-language letter is short and free of jargon', async () => {
  const md = (await renderSummary(sampleSummary(), 'md', { plainLanguage: true })) as string;
  assert.match(md, /of 100 people with records like this one, about 62/);
  assert.match(md, /not a judgement of you/);
  for (const jargon of ['Shapley', 'log-odds', 'calibrat', 'surrogate', 'SHA-256', 'interval', 'threshold']) assert.ok(!md.toLowerCase().includes(jargon.toLowerCase()), jargon);
  const words = md.split(/\s+/).length;
  assert.ok(words < 450, `${words} words`);
  const sentences = md.split(/\n|(?<=[.!?])\s+/);
  const longest = Math.max(...sentences.map((x) => x.split(/\s+/).length));
  assert.ok(longest <= 30, `a sentence of ${longest} words`);
});

test('the PDF is the same bytes for the same summary, and changes with the time stamp only where it shows', async () => {
  const s = sampleSummary();
  const a = (await renderSummary(s, 'pdf')) as Uint8Array;
  const b = (await renderSummary(s, 'pdf')) as Uint8Array;
  assert.equal(Buffer.from(a.slice(0, 5)).toString('latin1'), '%PDF-');
  assert.ok(Buffer.from(a).equals(Buffer.from(b)));
  const later = (await renderSummary({ ...s, provenance: { ...s.provenance, generatedAt: '2027-01-02T03:04:05.000Z' } }, 'pdf')) as Uint8Array;
  assert.ok(!Buffer.from(a).equals(Buffer.from(later)));
  assert.ok(Buffer.from(later).toString('latin1').includes('(D:20270102030405Z)'));
});

test('batch: safe unique file names, references for redacted copies, progress and cancellation', async () => {
  assert.deepEqual(batchFileNames(['J-1', '../etc/passwd', 'a b', 'a_b', 'A_B'], 'md'), ['case-J-1.md', 'case-.._etc_passwd.md', 'case-a_b.md', 'case-a_b-2.md', 'case-A_B-3.md']);
  assert.deepEqual(batchFileNames(['J-1', 'J-2'], 'pdf', { prefix: 'REF' }), ['REF-001.pdf', 'REF-002.pdf']);
  assert.equal(batchReference('REF', 41, 5000), 'REF-0042');
  const written: string[] = [];
  const progress: number[] = [];
  const ids = ['A', 'B', 'C', 'D'];
  const result = await exportBatch({
    count: ids.length,
    summaryAt: (k) => sampleSummary({ caseId: ids[k] }),
    fileNames: batchFileNames(ids, 'md', { prefix: 'R' }),
    format: 'md',
    redact: { prefix: 'R' },
    write: (_k, name, data) => void written.push(`${name}:${(data as string).split('\n')[0]}`),
    onProgress: (done) => progress.push(done),
    isCancelled: () => progress.length === 2,
  });
  assert.equal(result.cancelled, true);
  assert.deepEqual(result.written, ['R-001.md', 'R-002.md']);
  assert.deepEqual(written, ['R-001.md:# Case summary: \u2068R-001\u2069', 'R-002.md:# Case summary: \u2068R-002\u2069']);
  assert.deepEqual(progress, [1, 2]);
});
