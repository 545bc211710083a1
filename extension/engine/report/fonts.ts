/**
 * The typeface of the PDF summaries: DejaVu Sans Condensed, Book and Bold, embedded in every PDF.
 *
 * The standard PDF fonts (Helvetica) draw Windows-1252 only, and a summary is a record that names people,
 * groups and features in any script. DejaVu draws the Latin alphabets (Polish, Turkish, Vietnamese…),
 * Greek, Cyrillic, Armenian, Georgian and the signs the summaries use (− ≥ ≤ → ✓); it has no CJK
 * ideographs and no emoji, which `canDraw` reports. The condensed cut is used because its widths are
 * within a few per cent of Helvetica's, for which the tables and the charts' label estimates were laid
 * out; DejaVu Sans at normal width is 13–20% wider. pdfkit embeds only the glyphs a document uses.
 *
 * The files come from the npm package `dejavu-fonts-ttf` (the DejaVu 2.37 release as published, with its
 * licence, which allows redistribution). The build copies the two files and the licence to dist/fonts/,
 * beside the bundles that render PDFs (esbuild.mjs); run from source (tests), they are read from the
 * package itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { create, type Font } from 'fontkit';

const FONT_FILES = { regular: 'DejaVuSansCondensed.ttf', bold: 'DejaVuSansCondensed-Bold.ttf' } as const;
type FontWeight = keyof typeof FONT_FILES;

/**
 * Scripts written right to left that DejaVu has letters for. pdfkit lays text out left to right only,
 * so drawn, such a name would read backwards: these letters count as not drawable.
 */
const RIGHT_TO_LEFT = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Nko}\p{Script=Syriac}\p{Script=Thaana}]/u;

export interface PdfFonts {
  /** The fonts, parsed once per process and shared by every document (parsing them is most of the cost of a PDF). */
  readonly faces: Readonly<Record<FontWeight, Font>>;
  /** Whether both weights have a glyph for this code point and it can be laid out left to right. */
  canDraw(codePoint: number): boolean;
}

function fontDirectory(): string {
  const bundled = join(__dirname, 'fonts');
  if (existsSync(join(bundled, FONT_FILES.regular))) return bundled;
  // Run from source (tests under tsx): the package itself. (Not `require.resolve`, which the bundler would try to resolve.)
  return join(dirname(createRequire(__filename).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
}

let loaded: PdfFonts | undefined;

/** The fonts, read once per process. */
export function pdfFonts(): PdfFonts {
  if (loaded) return loaded;
  const dir = fontDirectory();
  const open = (weight: FontWeight) => create(readFileSync(join(dir, FONT_FILES[weight]))) as Font;
  const faces = { regular: open('regular'), bold: open('bold') };
  const drawable = new Map<number, boolean>();
  const canDraw = (c: number): boolean => {
    let ok = drawable.get(c);
    if (ok === undefined) {
      ok = faces.regular.hasGlyphForCodePoint(c) && faces.bold.hasGlyphForCodePoint(c) && !RIGHT_TO_LEFT.test(String.fromCodePoint(c));
      drawable.set(c, ok);
    }
    return ok;
  };
  loaded = { faces, canDraw };
  return loaded;
}
