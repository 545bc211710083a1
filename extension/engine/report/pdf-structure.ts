/**
 * The PDF's logical structure: a tagged PDF (ISO 32000-1 §14.8), so that a screen reader reads the summary
 * as a title, sections, paragraphs, lists, tables and figures, in order, not as loose glyphs on a page.
 * Every mark the renderer paints is either the content of one structure element (a marked-content
 * sequence with its MCID, §14.7.4) or an artifact (§14.8.2.2: rules, shading, page footers, a table's
 * header row repeated after a page break), which readers skip.
 *
 * pdfkit keeps the bookkeeping (MCIDs, the parent tree, an open sequence continued when its text flows
 * onto a new page); this module only says what is what. pdfkit continues a sequence over its own page
 * breaks only, so a draw callback given here must not call `addPage` itself: the renderer makes room
 * before it opens an element.
 */
import type PDFDocument from 'pdfkit';

type Pdf = InstanceType<typeof PDFDocument>;
type Element = PDFKit.PDFStructureElement;

/** The standard structure types (§14.8.4) the summary uses. */
export type StructureType = 'H1' | 'H2' | 'P' | 'L' | 'LI' | 'Lbl' | 'LBody' | 'Table' | 'Caption' | 'THead' | 'TBody' | 'TR' | 'TH' | 'TD' | 'Figure';

export interface ElementOptions {
  /** What a reader says instead of the content (`Alt`): a figure's text alternative. */
  readonly alt?: string;
  /** The exact text, when the glyphs drawn differ from it (`ActualText`). */
  readonly actual?: string;
  /** The cells a header cell heads (the Table attribute `Scope`). */
  readonly scope?: 'Row' | 'Column';
  /** Where a figure sits on its page (the Layout attribute `BBox`), as [left, top, right, bottom] in points from the top left. */
  readonly bbox?: readonly [number, number, number, number];
}

/** What pdfkit 0.17 reads from a structure element's options; its type declarations list only some of it. */
type PdfkitElementOptions = NonNullable<Parameters<Pdf['struct']>[1]> & { scope?: string; bbox?: number[]; placement?: 'Block' };

function pdfkitOptions(o: ElementOptions): PdfkitElementOptions {
  return {
    ...(o.alt !== undefined ? { alt: o.alt } : {}),
    ...(o.actual !== undefined ? { actual: o.actual } : {}),
    ...(o.scope ? { scope: o.scope } : {}),
    ...(o.bbox ? { bbox: [...o.bbox], placement: 'Block' as const } : {}),
  };
}

/** One open structure element, to which the renderer adds children in reading order. */
export class Tags {
  private constructor(
    private readonly pdf: Pdf,
    private readonly element: Element,
  ) {}

  /** The `Document` element at the root of the structure tree; pdfkit ends it with the document. */
  static root(pdf: Pdf): Tags {
    const element = pdf.struct('Document');
    pdf.addStructure(element);
    return new Tags(pdf, element);
  }

  /** A child element that holds further elements (a list, a table, a row…); `end()` it when it is complete. */
  group(type: StructureType, options: ElementOptions = {}): Tags {
    const element = this.pdf.struct(type, pdfkitOptions(options));
    this.element.add(element);
    return new Tags(this.pdf, element);
  }

  /** A child element whose content is what `draw` paints, painted now. */
  leaf(type: StructureType, draw: () => void, options: ElementOptions = {}): void {
    // pdfkit runs the closure as soon as the element joins the (attached) tree, inside one marked-content
    // sequence, and records the sequence's MCIDs (one per page it spans) under this element.
    this.element.add(this.pdf.struct(type, pdfkitOptions(options), [draw]));
  }

  /** What `draw` paints as an artifact: decoration ('Layout') or page furniture ('Pagination'), maybe attached to a page edge. */
  artifact(draw: () => void, type: 'Layout' | 'Pagination' = 'Layout', attached?: 'Top' | 'Bottom'): void {
    this.pdf.markContent('Artifact', { type, ...(attached ? { attached: [attached] } : {}) });
    draw();
    this.pdf.endMarkedContent();
  }

  end(): void {
    this.element.end();
  }
}
