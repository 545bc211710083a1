/**
 * The summary as a PDF, drawn with pdfkit: the same blocks as the other formats, laid out for A4, and
 * the charts drawn as vectors from the very geometry the SVG painter draws (`charts.ts`), not from
 * screenshots. The only module of `report/` that needs Node.
 *
 * The text is set in DejaVu Sans Condensed, embedded (`fonts.ts`), so names in Polish, Greek, Cyrillic,
 * Vietnamese… come out as written. A character the font cannot draw (CJK, emoji, right-to-left scripts)
 * is shown as "\uFFFD", and a note at the top lists every such character by code point and points to the
 * Markdown and HTML exports, which hold the exact text: nothing is lost without saying so. Same inputs,
 * same bytes: the document's dates and its file ID come from the summary's time stamp, never from the
 * clock, and the embedded subsets are named from the font's id in the document, not at random.
 *
 * The PDF is tagged (`pdf-structure.ts`), for the person concerned and their family as much as for the
 * reviewer: a screen reader finds the title (H1), the sections (H2), paragraphs, lists, tables with their
 * header cells, and each chart as a figure whose text alternative is the one the Markdown shows; rules,
 * shading and page footers are artifacts. Where the glyphs drawn differ from the text (a "\uFFFD"), the
 * element carries the exact text as its ActualText.
 */
import PDFDocument from 'pdfkit';
import { INKS, textWidth, type Chart, type Ink, type Shape } from './charts';
import { chartCaption, type Block, type Column, type SummaryDocument } from './content';
import { escapeHtml, oneLine, withIsolates } from './escape';
import { pdfFonts } from './fonts';
import { Tags, type ElementOptions } from './pdf-structure';

type Pdf = InstanceType<typeof PDFDocument>;
/** pdfkit also takes a parsed fontkit font (`PDFFontFactory.open`), which its type declarations do not list. */
type FontSource = Parameters<Pdf['registerFont']>[1];

// A4's width: its lines fit a US Letter page too (8.5 in is wider than 210 mm), so one layout serves both.
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 54;
const WIDTH = PAGE.width - 2 * MARGIN;
/** Where text must stop on the current page (A4 and Letter differ in height). */
const bottom = (pdf: Pdf) => pdf.page.height - MARGIN;
/** The names the two embedded weights are registered under in each document. */
const REGULAR = 'regular';
const BOLD = 'bold';
/** Italic is the regular face slanted by 11°, as DejaVu's own Oblique is: one font file fewer to ship. */
const ITALIC = { oblique: 11 } as const;
const TEXT = INKS.text.fallback;
const MUTED = INKS.muted.fallback;
const RULE = '#c8c8c8';
const REPLACEMENT = '\uFFFD';
/** Characters that, per Unicode, are drawn as nothing when a font lacks them (joiners, variation selectors…). */
const IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u;
/** The most undrawable characters the note lists one by one. */
const NOTE_LIMIT = 24;

/**
 * A data string as one line, composed (NFC: "e" + combining marks → "ễ", which the font has as one
 * glyph), without its isolate marks (this PDF draws no right-to-left text to isolate) and with any other
 * bidirectional control shown as its code point, as in the other formats.
 */
const composed = (s: string) => withIsolates(oneLine(s), (inner) => inner).normalize('NFC');

/** The longest run of characters without a place to break a line that is drawn as it is. */
const LONG_RUN = 40;
/** LONG_RUN characters that are not spaces, followed by one more: where a zero-width space goes. */
const UNBROKEN = new RegExp(`\\S{${LONG_RUN}}(?=\\S)`, 'gu');
const ZERO_WIDTH_SPACE = '\u200B';

/**
 * Text as the PDF draws it: one line, composed, each character the font cannot draw as "\uFFFD", and a
 * zero-width space (a place to break the line, drawn as nothing) after every 40 characters of a run
 * without one. pdfkit fits a word longer than its line by measuring ever shorter beginnings of it, each
 * measure shaping the whole beginning: a 10,000-character id took half a minute and half a gigabyte.
 * With breaks it measures short pieces, and time grows in proportion to the text. Readers get the exact
 * text from the element's ActualText.
 */
export function pdfText(s: string): string {
  const { canDraw } = pdfFonts();
  let out = '';
  for (const ch of composed(s)) {
    if (canDraw(ch.codePointAt(0)!)) out += ch;
    else if (!IGNORABLE.test(ch)) out += REPLACEMENT;
  }
  return out.length > LONG_RUN ? out.replace(UNBROKEN, `$&${ZERO_WIDTH_SPACE}`) : out;
}

/** The distinct characters of these texts that the PDF cannot draw, in order of first appearance. */
export function undrawable(texts: readonly string[]): string[] {
  const { canDraw } = pdfFonts();
  const found = new Set<string>();
  for (const t of texts) for (const ch of composed(t)) if (!canDraw(ch.codePointAt(0)!)) found.add(ch);
  return [...found];
}

/** Every text the PDF draws, to find the undrawable before the first page is laid out. */
function drawnTexts(doc: SummaryDocument): string[] {
  const texts = [doc.title, doc.subtitle, doc.footer];
  for (const b of doc.blocks) {
    switch (b.kind) {
      case 'heading':
      case 'paragraph':
        texts.push(b.text);
        break;
      case 'list':
        texts.push(...b.items);
        break;
      case 'facts':
        for (const row of b.rows) texts.push(...row);
        break;
      case 'table':
        texts.push(b.caption, ...b.columns.map((c) => c.title));
        for (const row of b.rows) texts.push(...row);
        break;
      case 'chart':
        texts.push(chartCaption(b.chart));
        for (const s of b.chart.shapes) if (s.kind === 'text') texts.push(s.text);
        break;
    }
  }
  return texts;
}

const codePoint = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** The note that says which characters are not drawn and where the exact text is; null when all are drawn. */
export function undrawableNote(chars: readonly string[]): string | null {
  if (chars.length === 0) return null;
  const listed = chars.slice(0, NOTE_LIMIT).map(codePoint).join(', ');
  const more = chars.length > NOTE_LIMIT ? ` and ${chars.length - NOTE_LIMIT} more` : '';
  return (
    `Characters not drawn in this PDF, shown as ${REPLACEMENT}: ${listed}${more} (its typeface has no glyph for them, or they are written right to left). ` +
    'The Markdown and HTML exports of this summary hold the exact text.'
  );
}

/** For readers, the exact text (ActualText) of an element whose drawn glyphs differ from it; nothing when they are the same. */
function exact(text: string): ElementOptions {
  const c = composed(text);
  return pdfText(text) === c ? {} : { actual: c };
}

/** A chart's text alternative, as the Markdown export gives it in the chart's place. */
export function chartAlternative(chart: Chart): string {
  return `Chart: ${chart.title}. ${chart.description}`;
}

/** Starts a new page when `height` does not fit; never while a marked-content sequence is open (see pdf-structure.ts). */
function ensureSpace(pdf: Pdf, height: number): void {
  if (pdf.y + height > bottom(pdf)) pdf.addPage();
}

function heading(pdf: Pdf, tags: Tags, text: string): void {
  pdf.moveDown(0.6);
  ensureSpace(pdf, 80);
  const t = pdfText(text);
  tags.leaf('H2', () => pdf.font(BOLD).fontSize(13).fillColor(TEXT).text(t, MARGIN, pdf.y, { width: WIDTH }), exact(text));
  tags.artifact(() => pdf.moveTo(MARGIN, pdf.y + 2).lineTo(MARGIN + WIDTH, pdf.y + 2).lineWidth(0.6).strokeColor(RULE).stroke());
  pdf.y += 8;
}

function paragraph(pdf: Pdf, tags: Tags, text: string, tone?: 'warning' | 'muted'): void {
  const t = pdfText(text);
  const indent = tone === 'warning' ? 10 : 0;
  pdf.font(tone === 'warning' ? BOLD : REGULAR).fontSize(tone === 'muted' ? 8.5 : 10);
  const h = pdf.heightOfString(t, { width: WIDTH - indent, lineGap: 1.5 });
  ensureSpace(pdf, h + 4);
  const y = pdf.y;
  if (tone === 'warning') tags.artifact(() => pdf.rect(MARGIN, y - 2, 3, h + 2).fill(INKS.group.fallback));
  tags.leaf('P', () => pdf.fillColor(tone === 'muted' ? MUTED : TEXT).text(t, MARGIN + indent, y, { width: WIDTH - indent, lineGap: 1.5, ...(tone === 'muted' ? ITALIC : {}) }), exact(text));
  pdf.y += 5;
}

function list(pdf: Pdf, tags: Tags, items: readonly string[]): void {
  pdf.font(REGULAR).fontSize(10).fillColor(TEXT);
  const l = tags.group('L');
  for (const item of items) {
    const t = pdfText(item);
    const h = pdf.heightOfString(t, { width: WIDTH - 14, lineGap: 1.5 });
    ensureSpace(pdf, h + 2);
    const y = pdf.y;
    const li = l.group('LI');
    li.leaf('Lbl', () => pdf.text('•', MARGIN + 2, y, { lineBreak: false }));
    li.leaf('LBody', () => pdf.text(t, MARGIN + 14, y, { width: WIDTH - 14, lineGap: 1.5 }), exact(item));
    li.end();
    pdf.y += 2.5;
  }
  l.end();
  pdf.y += 3;
}

/** Key–value facts as a two-column table whose first cell in each row heads the row, as in the HTML export. */
function facts(pdf: Pdf, tags: Tags, rows: readonly (readonly [string, string])[]): void {
  const labelW = 118;
  const heights = rows.map(([k, v]) => {
    pdf.fontSize(9.5);
    return Math.max(pdf.font(BOLD).heightOfString(pdfText(k), { width: labelW - 6 }), pdf.font(REGULAR).heightOfString(pdfText(v), { width: WIDTH - labelW }));
  });
  // A short list of facts is kept on one page.
  const total = heights.reduce((a, h) => a + h + 6, 0);
  if (total < (bottom(pdf) - MARGIN) / 3) ensureSpace(pdf, total);
  const table = tags.group('Table');
  rows.forEach(([k, v], i) => {
    const key = pdfText(k);
    const value = pdfText(v);
    const h = heights[i];
    ensureSpace(pdf, h + 6);
    const y = pdf.y;
    const row = table.group('TR');
    row.leaf('TH', () => pdf.font(BOLD).fontSize(9.5).fillColor(TEXT).text(key, MARGIN, y, { width: labelW - 6 }), { scope: 'Row', ...exact(k) });
    row.leaf('TD', () => pdf.font(REGULAR).text(value, MARGIN + labelW, y, { width: WIDTH - labelW }), exact(v));
    row.end();
    pdf.y = y + h + 3;
    tags.artifact(() => pdf.moveTo(MARGIN, pdf.y).lineTo(MARGIN + WIDTH, pdf.y).lineWidth(0.4).strokeColor('#e3e3e3').stroke());
    pdf.y += 3;
  });
  table.end();
  pdf.y += 4;
}

/**
 * Column widths: each column's natural width (a numeric column's header may wrap, so only its widest word
 * counts), text columns squeezed in proportion when the table is too wide, down to a floor; past that the
 * numeric columns give way too, in proportion (their cells then wrap at spaces).
 */
function columnWidths(pdf: Pdf, columns: readonly Column[], rows: readonly (readonly string[])[], size: number, pad: number): number[] {
  const natural = columns.map((c, k) => {
    pdf.font(BOLD).fontSize(size);
    const title = pdfText(c.title);
    let w = c.numeric ? Math.max(...title.split(' ').map((word) => pdf.widthOfString(word))) : pdf.widthOfString(title);
    pdf.font(REGULAR);
    for (const r of rows) w = Math.max(w, pdf.widthOfString(pdfText(r[k] ?? '')));
    return w + 2 * pad;
  });
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= WIDTH) return natural.map((w) => (w * WIDTH) / total);
  const fixed = natural.reduce((a, w, k) => a + (columns[k].numeric ? w : 0), 0);
  const flexible = total - fixed;
  const floor = natural.map((w, k) => (columns[k].numeric ? 0 : Math.min(w, 70)));
  const textRoom = WIDTH - fixed;
  const minText = floor.reduce((a, b) => a + b, 0);
  if (textRoom >= minText) return natural.map((w, k) => (columns[k].numeric ? w : Math.max(floor[k], (w * textRoom) / flexible)));
  const numericScale = (WIDTH - minText) / fixed;
  return natural.map((w, k) => (columns[k].numeric ? w * numericScale : floor[k]));
}

function table(pdf: Pdf, tags: Tags, b: Extract<Block, { kind: 'table' }>): void {
  const size = 8.5;
  const pad = 4;
  const widths = columnWidths(pdf, b.columns, b.rows, size, pad);
  const rowHeight = (cells: readonly string[], font: string) => {
    pdf.font(font).fontSize(size);
    return Math.max(...cells.map((c, k) => pdf.heightOfString(pdfText(c), { width: widths[k] - 2 * pad }))) + 2 * pad - 2;
  };
  /**
   * A row, as a TR of header (TH) or data (TD) cells under `section`; with no section, the header row
   * repeated at the top of a new page, which readers skip (they have met it once, and TH tells them
   * which column a cell is in).
   */
  const drawRow = (cells: readonly string[], header: boolean, section: Tags | null) => {
    const font = header ? BOLD : REGULAR;
    const h = rowHeight(cells, font);
    const y = pdf.y;
    if (header) tags.artifact(() => pdf.rect(MARGIN, y, WIDTH, h).fill('#f0f0f0'));
    pdf.font(font).fontSize(size).fillColor(TEXT);
    let x = MARGIN;
    const draws = cells.map((c, k) => {
      const left = x;
      x += widths[k];
      return () => pdf.text(pdfText(c), left + pad, y + pad - 1, { width: widths[k] - 2 * pad, align: b.columns[k].numeric ? 'right' : 'left' });
    });
    if (section) {
      const row = section.group('TR');
      draws.forEach((draw, k) => row.leaf(header ? 'TH' : 'TD', draw, { ...(header ? { scope: 'Column' } : {}), ...exact(cells[k]) }));
      row.end();
    } else {
      tags.artifact(() => draws.forEach((draw) => draw()), 'Pagination');
    }
    pdf.y = y + h;
    tags.artifact(() => pdf.moveTo(MARGIN, pdf.y).lineTo(MARGIN + WIDTH, pdf.y).lineWidth(0.4).strokeColor(header ? '#bdbdbd' : '#e3e3e3').stroke());
  };
  const header = b.columns.map((c) => c.title);
  const caption = pdfText(b.caption);
  const start = rowHeight(header, BOLD) + rowHeight(b.rows[0] ?? header, REGULAR);
  pdf.font(REGULAR).fontSize(8.5);
  ensureSpace(pdf, pdf.heightOfString(caption) + start + 6);
  const element = tags.group('Table');
  element.leaf('Caption', () => pdf.fillColor(MUTED).text(caption, MARGIN, pdf.y, { width: WIDTH, ...ITALIC }), exact(b.caption));
  pdf.y += 2;
  const head = element.group('THead');
  drawRow(header, true, head);
  head.end();
  const body = element.group('TBody');
  for (const r of b.rows) {
    if (pdf.y + rowHeight(r, REGULAR) > bottom(pdf)) {
      pdf.addPage();
      drawRow(header, true, null);
    }
    drawRow(r, false, body);
  }
  body.end();
  element.end();
  pdf.y += 8;
}

const colour = (ink: Ink) => INKS[ink].fallback;

function drawShape(pdf: Pdf, s: Shape): void {
  switch (s.kind) {
    case 'rect': {
      if (s.radius) pdf.roundedRect(s.x, s.y, s.w, s.h, s.radius);
      else pdf.rect(s.x, s.y, s.w, s.h);
      if (s.dash) pdf.dash(4, { space: 3 });
      pdf.lineWidth(s.strokeWidth ?? 1);
      if (s.fill && s.stroke) pdf.fillAndStroke(colour(s.fill), colour(s.stroke));
      else if (s.fill) pdf.fill(colour(s.fill));
      else if (s.stroke) pdf.stroke(colour(s.stroke));
      pdf.undash();
      return;
    }
    case 'line':
      if (s.dash) pdf.dash(4, { space: 3 });
      pdf.moveTo(s.x1, s.y1).lineTo(s.x2, s.y2).lineWidth(s.strokeWidth).stroke(colour(s.stroke));
      pdf.undash();
      return;
    case 'polyline': {
      const [first, ...rest] = s.points;
      pdf.moveTo(first[0], first[1]);
      for (const [x, y] of rest) pdf.lineTo(x, y);
      pdf.lineWidth(s.strokeWidth).lineJoin('round').stroke(colour(s.stroke));
      return;
    }
    case 'circle':
      pdf.circle(s.cx, s.cy, s.r).fill(colour(s.fill));
      return;
    case 'text': {
      const t = pdfText(s.text);
      pdf.font(s.bold ? BOLD : REGULAR).fontSize(s.size).fillColor(colour(s.ink));
      // The chart was laid out with an estimate of each label's width; a label wider in this font is
      // narrowed to it rather than run into its neighbours.
      const natural = pdf.widthOfString(t);
      const squeeze = natural > 0 ? Math.min(1, textWidth(s.text, s.size) / natural) : 1;
      const w = natural * squeeze;
      const x = s.anchor === 'start' ? s.x : s.anchor === 'middle' ? s.x - w / 2 : s.x - w;
      pdf.save().translate(x, s.y).scale(squeeze, 1);
      pdf.text(t, 0, 0, { lineBreak: false, baseline: 'alphabetic' });
      pdf.restore();
      return;
    }
  }
}

/**
 * A chart from its geometry, scaled to the text width, with its title under it: a Figure whose text
 * alternative readers say instead of its labels, then the caption as a paragraph of its own (a caption
 * inside the figure would be hidden by the alternative).
 */
function chart(pdf: Pdf, tags: Tags, c: Chart): void {
  const scale = Math.min(1, WIDTH / c.width);
  const height = c.height * scale;
  ensureSpace(pdf, height + 18);
  const top = pdf.y;
  const left = MARGIN + (WIDTH - c.width * scale) / 2;
  tags.leaf(
    'Figure',
    () => {
      pdf.save();
      pdf.translate(left, top);
      pdf.scale(scale);
      for (const s of c.shapes) drawShape(pdf, s);
      pdf.restore();
    },
    { alt: chartAlternative(c), bbox: [left, top, left + c.width * scale, top + height] },
  );
  const caption = chartCaption(c);
  tags.leaf('P', () => pdf.font(REGULAR).fontSize(8.5).fillColor(MUTED).text(pdfText(caption), MARGIN, top + height + 4, { width: WIDTH, ...ITALIC }), exact(caption));
  pdf.y += 6;
}

function block(pdf: Pdf, tags: Tags, b: Block): void {
  switch (b.kind) {
    case 'heading':
      return heading(pdf, tags, b.text);
    case 'paragraph':
      return paragraph(pdf, tags, b.text, b.tone);
    case 'list':
      return list(pdf, tags, b.items);
    case 'facts':
      return facts(pdf, tags, b.rows);
    case 'table':
      return table(pdf, tags, b);
    case 'chart':
      return chart(pdf, tags, b.chart);
  }
}

function footers(pdf: Pdf, tags: Tags, text: string): void {
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    // Writing below the bottom margin would start a new page; lift the margin while the footer is drawn.
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    const footer = pdfText(`${text} · page ${i + 1} of ${range.count}`);
    tags.artifact(() => pdf.font(REGULAR).fontSize(8).fillColor(MUTED).text(footer, MARGIN, pdf.page.height - 34, { width: WIDTH, align: 'center', lineBreak: false }), 'Pagination', 'Bottom');
    pdf.page.margins.bottom = bottom;
  }
}

export interface PdfMeta {
  /** ISO time stamp: the document's creation and modification dates (and so its file ID). */
  readonly generatedAt: string;
  readonly creator: string;
  /** A4 (the default) or US Letter. */
  readonly paper?: Paper;
}

export const PAPERS = ['a4', 'letter'] as const;
export type Paper = (typeof PAPERS)[number];

/**
 * A document information value for pdfkit, which writes each such value twice: into the information
 * dictionary, from its `valueOf()`, and into the XMP metadata packet, by string interpolation, so from its
 * `toString()`, without escaping it as XML (pdfkit 0.17, `_addInfo`). A title with "<" or "&" in it would
 * break the packet; this value gives the packet its escaped form (and "\uFFFD" for the few characters XML
 * cannot hold at all) and the dictionary the text itself.
 */
function infoText(text: string): string {
  const escaped = escapeHtml(text).replace(/[\uFFFE\uFFFF]|\p{Cs}/gu, '\uFFFD');
  return Object.assign(new String(text), { toString: () => escaped }) as unknown as string;
}

export function renderPdf(doc: SummaryDocument, meta: PdfMeta): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const when = new Date(meta.generatedAt);
    const pdf = new PDFDocument({
      size: meta.paper === 'letter' ? 'LETTER' : 'A4',
      margin: MARGIN,
      bufferPages: true,
      // Tagged PDF with the title in the XMP metadata (which pdfkit writes from PDF 1.4 on).
      pdfVersion: '1.7',
      tagged: true,
      lang: 'en',
      displayTitle: true,
      // The metadata is stored as UTF-16 and drawn by no font: it keeps the exact text.
      info: { Title: infoText(composed(doc.title)), Subject: infoText(composed(doc.subtitle)), Creator: infoText(meta.creator), Producer: infoText(meta.creator), CreationDate: when, ModDate: when },
    });
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    pdf.on('error', reject);
    try {
      const { faces } = pdfFonts();
      pdf.registerFont(REGULAR, faces.regular as unknown as FontSource).registerFont(BOLD, faces.bold as unknown as FontSource);
      const tags = Tags.root(pdf);
      tags.leaf('H1', () => pdf.font(BOLD).fontSize(19).fillColor(TEXT).text(pdfText(doc.title), MARGIN, MARGIN, { width: WIDTH }), exact(doc.title));
      tags.leaf('P', () => pdf.font(REGULAR).fontSize(10).fillColor(MUTED).text(pdfText(doc.subtitle), { width: WIDTH }), exact(doc.subtitle));
      pdf.y += 10;
      const note = undrawableNote(undrawable(drawnTexts(doc)));
      if (note) paragraph(pdf, tags, note, 'warning');
      for (const b of doc.blocks) block(pdf, tags, b);
      footers(pdf, tags, doc.footer);
      pdf.end();
    } catch (e) {
      reject(e);
    }
  });
}
