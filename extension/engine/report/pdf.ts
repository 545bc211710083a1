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
 */
import PDFDocument from 'pdfkit';
import { INKS, textWidth, type Chart, type Ink, type Shape } from './charts';
import { chartCaption, type Block, type Column, type SummaryDocument } from './content';
import { oneLine } from './escape';
import { pdfFonts } from './fonts';

type Pdf = InstanceType<typeof PDFDocument>;
/** pdfkit also takes a parsed fontkit font (`PDFFontFactory.open`), which its type declarations do not list. */
type FontSource = Parameters<Pdf['registerFont']>[1];

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 54;
const WIDTH = PAGE.width - 2 * MARGIN;
const BOTTOM = PAGE.height - MARGIN;
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

/** A data string as one line, composed (NFC: "e" + combining marks → "ễ", which the font has as one glyph). */
const composed = (s: string) => oneLine(s).normalize('NFC');

/** Text as the PDF draws it: one line, composed, each character the font cannot draw as "\uFFFD". */
export function pdfText(s: string): string {
  const { canDraw } = pdfFonts();
  let out = '';
  for (const ch of composed(s)) {
    if (canDraw(ch.codePointAt(0)!)) out += ch;
    else if (!IGNORABLE.test(ch)) out += REPLACEMENT;
  }
  return out;
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

function ensureSpace(pdf: Pdf, height: number): void {
  if (pdf.y + height > BOTTOM) pdf.addPage();
}

function heading(pdf: Pdf, text: string): void {
  pdf.moveDown(0.6);
  ensureSpace(pdf, 80);
  const t = pdfText(text);
  pdf.font(BOLD).fontSize(13).fillColor(TEXT).text(t, MARGIN, pdf.y, { width: WIDTH });
  pdf.moveTo(MARGIN, pdf.y + 2).lineTo(MARGIN + WIDTH, pdf.y + 2).lineWidth(0.6).strokeColor(RULE).stroke();
  pdf.y += 8;
}

function paragraph(pdf: Pdf, text: string, tone?: 'warning' | 'muted'): void {
  const t = pdfText(text);
  const indent = tone === 'warning' ? 10 : 0;
  pdf.font(tone === 'warning' ? BOLD : REGULAR).fontSize(tone === 'muted' ? 8.5 : 10);
  const h = pdf.heightOfString(t, { width: WIDTH - indent, lineGap: 1.5 });
  ensureSpace(pdf, h + 4);
  const y = pdf.y;
  if (tone === 'warning') pdf.rect(MARGIN, y - 2, 3, h + 2).fill(INKS.group.fallback);
  pdf.fillColor(tone === 'muted' ? MUTED : TEXT).text(t, MARGIN + indent, y, { width: WIDTH - indent, lineGap: 1.5, ...(tone === 'muted' ? ITALIC : {}) });
  pdf.y += 5;
}

function list(pdf: Pdf, items: readonly string[]): void {
  pdf.font(REGULAR).fontSize(10).fillColor(TEXT);
  for (const item of items) {
    const t = pdfText(item);
    const h = pdf.heightOfString(t, { width: WIDTH - 14, lineGap: 1.5 });
    ensureSpace(pdf, h + 2);
    const y = pdf.y;
    pdf.text('•', MARGIN + 2, y, { lineBreak: false });
    pdf.text(t, MARGIN + 14, y, { width: WIDTH - 14, lineGap: 1.5 });
    pdf.y += 2.5;
  }
  pdf.y += 3;
}

function facts(pdf: Pdf, rows: readonly (readonly [string, string])[]): void {
  const labelW = 118;
  const heights = rows.map(([k, v]) => {
    pdf.fontSize(9.5);
    return Math.max(pdf.font(BOLD).heightOfString(pdfText(k), { width: labelW - 6 }), pdf.font(REGULAR).heightOfString(pdfText(v), { width: WIDTH - labelW }));
  });
  // A short list of facts is kept on one page.
  const total = heights.reduce((a, h) => a + h + 6, 0);
  if (total < (BOTTOM - MARGIN) / 3) ensureSpace(pdf, total);
  rows.forEach(([k, v], i) => {
    const key = pdfText(k);
    const value = pdfText(v);
    const h = heights[i];
    ensureSpace(pdf, h + 6);
    const y = pdf.y;
    pdf.font(BOLD).fontSize(9.5).fillColor(TEXT).text(key, MARGIN, y, { width: labelW - 6 });
    pdf.font(REGULAR).text(value, MARGIN + labelW, y, { width: WIDTH - labelW });
    pdf.y = y + h + 3;
    pdf.moveTo(MARGIN, pdf.y).lineTo(MARGIN + WIDTH, pdf.y).lineWidth(0.4).strokeColor('#e3e3e3').stroke();
    pdf.y += 3;
  });
  pdf.y += 4;
}

/** Column widths: each column's natural width, text columns squeezed in proportion when the table is too wide. */
function columnWidths(pdf: Pdf, columns: readonly Column[], rows: readonly (readonly string[])[], size: number, pad: number): number[] {
  const natural = columns.map((c, k) => {
    pdf.font(BOLD).fontSize(size);
    let w = pdf.widthOfString(pdfText(c.title));
    pdf.font(REGULAR);
    for (const r of rows) w = Math.max(w, pdf.widthOfString(pdfText(r[k] ?? '')));
    return w + 2 * pad;
  });
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= WIDTH) return natural.map((w) => (w * WIDTH) / total);
  const fixed = natural.reduce((a, w, k) => a + (columns[k].numeric ? w : 0), 0);
  const flexible = total - fixed;
  return natural.map((w, k) => (columns[k].numeric ? w : (w * (WIDTH - fixed)) / flexible));
}

function table(pdf: Pdf, b: Extract<Block, { kind: 'table' }>): void {
  const size = 8.5;
  const pad = 4;
  const widths = columnWidths(pdf, b.columns, b.rows, size, pad);
  const rowHeight = (cells: readonly string[], font: string) => {
    pdf.font(font).fontSize(size);
    return Math.max(...cells.map((c, k) => pdf.heightOfString(pdfText(c), { width: widths[k] - 2 * pad }))) + 2 * pad - 2;
  };
  const drawRow = (cells: readonly string[], font: string, fill: string | null) => {
    const h = rowHeight(cells, font);
    const y = pdf.y;
    if (fill) pdf.rect(MARGIN, y, WIDTH, h).fill(fill);
    let x = MARGIN;
    pdf.font(font).fontSize(size).fillColor(TEXT);
    cells.forEach((c, k) => {
      pdf.text(pdfText(c), x + pad, y + pad - 1, { width: widths[k] - 2 * pad, align: b.columns[k].numeric ? 'right' : 'left' });
      x += widths[k];
    });
    pdf.y = y + h;
    pdf.moveTo(MARGIN, pdf.y).lineTo(MARGIN + WIDTH, pdf.y).lineWidth(0.4).strokeColor(fill ? '#bdbdbd' : '#e3e3e3').stroke();
  };
  const header = b.columns.map((c) => c.title);
  const caption = pdfText(b.caption);
  const start = rowHeight(header, BOLD) + rowHeight(b.rows[0] ?? header, REGULAR);
  pdf.font(REGULAR).fontSize(8.5);
  ensureSpace(pdf, pdf.heightOfString(caption) + start + 6);
  pdf.fillColor(MUTED).text(caption, MARGIN, pdf.y, { width: WIDTH, ...ITALIC });
  pdf.y += 2;
  drawRow(header, BOLD, '#f0f0f0');
  for (const r of b.rows) {
    if (pdf.y + rowHeight(r, REGULAR) > BOTTOM) {
      pdf.addPage();
      drawRow(header, BOLD, '#f0f0f0');
    }
    drawRow(r, REGULAR, null);
  }
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

/** A chart from its geometry, scaled to the text width, with its title under it. */
function chart(pdf: Pdf, c: Chart): void {
  const scale = Math.min(1, WIDTH / c.width);
  const height = c.height * scale;
  ensureSpace(pdf, height + 18);
  const top = pdf.y;
  pdf.save();
  pdf.translate(MARGIN + (WIDTH - c.width * scale) / 2, top);
  pdf.scale(scale);
  for (const s of c.shapes) drawShape(pdf, s);
  pdf.restore();
  pdf.font(REGULAR).fontSize(8.5).fillColor(MUTED).text(pdfText(chartCaption(c)), MARGIN, top + height + 4, { width: WIDTH, ...ITALIC });
  pdf.y += 6;
}

function block(pdf: Pdf, b: Block): void {
  switch (b.kind) {
    case 'heading':
      return heading(pdf, b.text);
    case 'paragraph':
      return paragraph(pdf, b.text, b.tone);
    case 'list':
      return list(pdf, b.items);
    case 'facts':
      return facts(pdf, b.rows);
    case 'table':
      return table(pdf, b);
    case 'chart':
      return chart(pdf, b.chart);
  }
}

function footers(pdf: Pdf, text: string): void {
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    // Writing below the bottom margin would start a new page; lift the margin while the footer is drawn.
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf.font(REGULAR).fontSize(8).fillColor(MUTED).text(pdfText(`${text} · page ${i + 1} of ${range.count}`), MARGIN, PAGE.height - 34, { width: WIDTH, align: 'center', lineBreak: false });
    pdf.page.margins.bottom = bottom;
  }
}

export interface PdfMeta {
  /** ISO time stamp: the document's creation and modification dates (and so its file ID). */
  readonly generatedAt: string;
  readonly creator: string;
}

export function renderPdf(doc: SummaryDocument, meta: PdfMeta): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const when = new Date(meta.generatedAt);
    const pdf = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      bufferPages: true,
      lang: 'en',
      displayTitle: true,
      // The metadata is stored as UTF-16 and drawn by no font: it keeps the exact text.
      info: { Title: oneLine(doc.title), Subject: oneLine(doc.subtitle), Creator: meta.creator, Producer: meta.creator, CreationDate: when, ModDate: when },
    });
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    pdf.on('error', reject);
    try {
      const { faces } = pdfFonts();
      pdf.registerFont(REGULAR, faces.regular as unknown as FontSource).registerFont(BOLD, faces.bold as unknown as FontSource);
      pdf.font(BOLD).fontSize(19).fillColor(TEXT).text(pdfText(doc.title), MARGIN, MARGIN, { width: WIDTH });
      pdf.font(REGULAR).fontSize(10).fillColor(MUTED).text(pdfText(doc.subtitle), { width: WIDTH });
      pdf.y += 10;
      const note = undrawableNote(undrawable(drawnTexts(doc)));
      if (note) paragraph(pdf, note, 'warning');
      for (const b of doc.blocks) block(pdf, b);
      footers(pdf, doc.footer);
      pdf.end();
    } catch (e) {
      reject(e);
    }
  });
}
