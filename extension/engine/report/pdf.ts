/**
 * The summary as a PDF, drawn with pdfkit: the same blocks as the other formats, laid out for A4, and
 * the charts drawn as vectors from the very geometry the SVG painter draws (`charts.ts`), not from
 * screenshots. The only module of `report/` that needs Node.
 *
 * The built-in PDF fonts (Helvetica) cover the Windows-1252 characters only; anything else is spelt out
 * ("≥" → ">=") or shown as "?", so no glyph is ever silently dropped. Same inputs, same bytes: the
 * document's dates and its file ID come from the summary's time stamp, never from the clock.
 */
import PDFDocument from 'pdfkit';
import { INKS, type Chart, type Ink, type Shape } from './charts';
import { chartCaption, type Block, type Column, type SummaryDocument } from './content';
import { oneLine } from './escape';

type Pdf = InstanceType<typeof PDFDocument>;

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 54;
const WIDTH = PAGE.width - 2 * MARGIN;
const BOTTOM = PAGE.height - MARGIN;
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const ITALIC = 'Helvetica-Oblique';
const TEXT = INKS.text.fallback;
const MUTED = INKS.muted.fallback;
const RULE = '#c8c8c8';

/** Windows-1252 beyond Latin-1, which the standard fonts also draw. */
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const SPELT_OUT: Readonly<Record<string, string>> = { '≥': '>=', '≤': '<=', '−': '-', '→': '->', '←': '<-', '≈': '~', '≠': '!=', '✓': 'yes', '\u2009': ' ', '\u202f': ' ' };

/** Text the standard fonts can draw. */
export function pdfText(s: string): string {
  let out = '';
  for (const ch of oneLine(s)) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff) || CP1252_EXTRA.has(ch)) out += ch;
    else out += SPELT_OUT[ch] ?? '?';
  }
  return out;
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
  pdf.font(tone === 'muted' ? ITALIC : tone === 'warning' ? BOLD : REGULAR).fontSize(tone === 'muted' ? 8.5 : 10);
  const h = pdf.heightOfString(t, { width: WIDTH - indent, lineGap: 1.5 });
  ensureSpace(pdf, h + 4);
  const y = pdf.y;
  if (tone === 'warning') pdf.rect(MARGIN, y - 2, 3, h + 2).fill(INKS.group.fallback);
  pdf.fillColor(tone === 'muted' ? MUTED : TEXT).text(t, MARGIN + indent, y, { width: WIDTH - indent, lineGap: 1.5 });
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
  pdf.font(ITALIC).fontSize(8.5);
  ensureSpace(pdf, pdf.heightOfString(caption) + start + 6);
  pdf.fillColor(MUTED).text(caption, MARGIN, pdf.y, { width: WIDTH });
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
      const w = pdf.widthOfString(t);
      const x = s.anchor === 'start' ? s.x : s.anchor === 'middle' ? s.x - w / 2 : s.x - w;
      pdf.text(t, x, s.y, { lineBreak: false, baseline: 'alphabetic' });
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
  pdf.font(ITALIC).fontSize(8.5).fillColor(MUTED).text(pdfText(chartCaption(c)), MARGIN, top + height + 4, { width: WIDTH });
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
      info: { Title: pdfText(doc.title), Subject: pdfText(doc.subtitle), Creator: meta.creator, Producer: meta.creator, CreationDate: when, ModDate: when },
    });
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    pdf.on('error', reject);
    try {
      pdf.font(BOLD).fontSize(19).fillColor(TEXT).text(pdfText(doc.title), MARGIN, MARGIN, { width: WIDTH });
      pdf.font(REGULAR).fontSize(10).fillColor(MUTED).text(pdfText(doc.subtitle), { width: WIDTH });
      pdf.y += 10;
      for (const b of doc.blocks) block(pdf, b);
      footers(pdf, doc.footer);
      pdf.end();
    } catch (e) {
      reject(e);
    }
  });
}
