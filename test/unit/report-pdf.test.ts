/**
 * The PDF's typeface: names in any script the embedded font draws come back out of the PDF exactly (read
 * with `pdftotext`, poppler-utils, as a reviewer's tools would); characters it cannot draw are listed by
 * code point in a note at the top, never silently turned into "?"; the font is embedded as a subset and
 * the bytes stay the same for the same summary.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pdfFonts } from '../../extension/engine/report/fonts';
import { pdfText, undrawable, undrawableNote } from '../../extension/engine/report/pdf';
import { renderSummary } from '../../extension/engine/report/index';
import type { CaseSummary } from '../../extension/engine/report/types';
import { sampleSummary } from './report-sample';

const d = mkdtempSync(join(tmpdir(), 'rr-report-pdf-'));
after(() => rmSync(d, { recursive: true, force: true }));

/** The PDF's text in reading order, runs of white space as one space. */
async function pdfTextOf(s: CaseSummary, name: string): Promise<{ text: string; bytes: Buffer }> {
  const bytes = Buffer.from((await renderSummary(s, 'pdf')) as Uint8Array);
  const file = join(d, name);
  writeFileSync(file, bytes);
  const r = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `pdftotext failed (is poppler-utils installed?): ${r.stderr}`);
  return { text: r.stdout.replace(/\s+/g, ' '), bytes };
}

const NAMES = ['Łódź', 'Ελληνικά', 'Дмитрий', 'Nguyễn Thị', '−'];

test('a case id, a group and a feature label in Polish, Greek, Cyrillic and Vietnamese come out of the PDF exactly', async () => {
  const caseId = 'Дмитрий Nguyễn Thị − 07';
  const group = 'Łódź district − Ελληνικά';
  const featureLabel = 'Ελληνικά − Łódź Дмитрий Nguyễn Thị';
  const { text, bytes } = await pdfTextOf(sampleSummary({ caseId, group, featureLabel }), 'scripts.pdf');
  for (const s of [caseId, group, featureLabel, ...NAMES]) assert.ok(text.includes(s), `the PDF lacks "${s}"`);
  assert.ok(text.includes(`Case summary: ${caseId}`), 'the title names the case');
  assert.doesNotMatch(text, /[?\uFFFD]{2}/, 'a run of "?" or "\uFFFD": characters were replaced');
  assert.doesNotMatch(text, /not drawn in this PDF/, 'every character here is drawable; no note');
  // The typeface travels with the document, as subsets (the full files are 650–670 kB each), named
  // from the fonts' ids in the document (F2, F3), not at random, so the bytes are reproducible.
  const latin1 = bytes.toString('latin1');
  const fonts = [...new Set(latin1.match(/\/BaseFont \/\S+/g))].map((f) => f.replace(/\/[A-Z]{6}\+/, '/TAG+')).sort();
  assert.deepEqual(fonts, ['/BaseFont /TAG+DejaVuSansCondensed', '/BaseFont /TAG+DejaVuSansCondensed-Bold']);
  assert.ok(bytes.length < 200_000, `${bytes.length} bytes`);
});

test('characters the font cannot draw are shown as \uFFFD and listed by code point in one note at the top', async () => {
  const { text } = await pdfTextOf(sampleSummary({ caseId: 'J-名前-1', group: 'Ελληνικά 👍', featureLabel: 'Prior referrals 名' }), 'cjk.pdf');
  const note = text.match(/Characters not drawn in this PDF[^.]*\.[^.]*\./);
  assert.ok(note, 'no note');
  assert.match(note[0], /U\+540D, U\+524D, U\+1F44D/);
  assert.match(note[0], /The Markdown and HTML exports of this summary hold the exact text/);
  assert.equal(text.split('Characters not drawn').length, 2, 'one note');
  assert.ok(text.indexOf('Characters not drawn') < text.indexOf('What drove the score'), 'the note comes before the sections');
  assert.ok(text.includes('Case summary: J-\uFFFD\uFFFD-1'));
  assert.ok(text.includes('Ελληνικά \uFFFD'), 'the drawable part of the group is kept');
});

test('what can be drawn: DejaVu Sans Condensed has it in both weights, left to right', () => {
  const fonts = pdfFonts();
  for (const ch of 'Łódź Ελληνικά Дмитрий Nguyễn Thị − ≥ ≤ → ≈ ≠ ✓ € ‰ · — “ ” \uFFFD ğ ı ş') assert.ok(fonts.canDraw(ch.codePointAt(0)!), `U+${ch.codePointAt(0)!.toString(16)}`);
  for (const ch of ['名', '👍', '\u{20000}']) assert.ok(!fonts.canDraw(ch.codePointAt(0)!), ch);
  // DejaVu has Hebrew and Arabic letters, but pdfkit lays text out left to right only: drawn, they would read backwards.
  for (const ch of ['ש', 'ب']) assert.ok(!fonts.canDraw(ch.codePointAt(0)!), ch);
  assert.deepEqual(undrawable(['a名b', 'שalom 名', '👍🏽']), ['名', 'ש', '👍', '🏽']);
});

test('PDF text: one line, composed (NFC), the undrawable as \uFFFD', () => {
  assert.equal(pdfText('Prior referrals ≥ 2.5 · 62.3% — “ok” é −1'), 'Prior referrals ≥ 2.5 · 62.3% — “ok” é −1');
  assert.equal(pdfText('a\nb\tc'), 'a b c');
  assert.equal(pdfText('Nguye\u0302\u0303n'), 'Nguyễn');
  assert.equal(pdfText('名前 x'), '\uFFFD\uFFFD x');
  // A variation selector the font lacks is drawn as nothing, as Unicode asks of default-ignorable characters, and still listed.
  assert.equal(pdfText('a\u{E0100}b'), 'ab');
  assert.deepEqual(undrawable(['a\u{E0100}b']), ['\u{E0100}']);
  for (const s of ['Łódź', 'Ελληνικά', 'Дмитрий', 'Nguyễn Thị', '−']) assert.equal(pdfText(s), s);
});

test('the note lists at most 24 characters and counts the rest; no note when all are drawn', () => {
  assert.equal(undrawableNote([]), null);
  const many = Array.from({ length: 30 }, (_, k) => String.fromCodePoint(0x4e00 + k));
  const note = undrawableNote(many)!;
  assert.match(note, /U\+4E00, U\+4E01, .*U\+4E17 and 6 more \(/);
  assert.ok(!note.includes('U+4E18'));
  assert.equal(pdfText(note), note, 'the note itself is drawable');
});
