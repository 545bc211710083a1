/**
 * Case summary documents — the report module's API.
 *
 * For the extension host (export command, batch export):
 *
 *     const analyses = prepareAnalyses(review);   // once per review (explainer, calibration reports…)
 *     const summary = buildCaseSummary(review, analyses, i, { generatedAt: new Date().toISOString(), extensionVersion, whatIfs, decision });
 *     const data = await renderSummary(summary, 'pdf', { plainLanguage, redact: { reference } });
 *     // data is a string for 'md' / 'html' (write as UTF-8) and a Uint8Array for 'pdf'; write it with
 *     // writeFileAtomic (engine/io.ts) after the save dialog, then offer to open it.
 *
 *     // Many cases: plan the names first (refuse or confirm overwrites before anything is written), then
 *     const names = batchFileNames(ids, 'html', redact);
 *     const result = await exportBatch({ count: ids.length, summaryAt: (k) => buildCaseSummary(review, analyses, indices[k], extras),
 *       fileNames: names, format: 'html', options, write: (k, name, data) => writeFileAtomic(join(dir, name), data),
 *       onProgress: (done, total) => progress.report(…), isCancelled: () => token.isCancellationRequested });
 *     // result.cancelled tells whether it stopped early; result.written lists the files written so far.
 *
 * For the panel (browser): import only `types`, `charts` (geometry + `chartSvg` + `CHART_CSS`),
 * `sentences`, `drivers`, `format`, `escape` and `content` — they import nothing from Node. This file,
 * `build.ts` and `pdf.ts` are for Node only.
 *
 * Redaction (`redact`) replaces the case id with the given reference and leaves out the group
 * attributes; `plainLanguage` gives the short letter for the person concerned and their family.
 */
import { auditDocument } from './audit';
import { summaryDocument, type SummaryDocument } from './content';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { renderPdf, type Paper } from './pdf';
import { redactSummary } from './redact';
import type { AuditSummary, CaseSummary } from './types';

export { buildAuditSummary, buildCaseSummary, prepareAnalyses, reviewComparisons, type Analyses, type SummaryExtras } from './build';
export { PAPERS, type Paper } from './pdf';
export { redactSummary } from './redact';
export type { CaseSummary } from './types';

export const SUMMARY_FORMATS = ['md', 'html', 'pdf'] as const;
export type SummaryFormat = (typeof SUMMARY_FORMATS)[number];

export interface RenderOptions {
  readonly plainLanguage?: boolean;
  /** In the plain-language letter, the reviewer's reason and notes too (left out unless asked). */
  readonly reviewerText?: boolean;
  readonly redact?: { readonly reference: string };
  /** The PDF's paper (A4 by default); the HTML prints on whatever paper the printer has. */
  readonly paper?: Paper;
}

/** A document in one format: text for 'md' and 'html', bytes for 'pdf'. */
function renderDocument(doc: SummaryDocument, format: SummaryFormat, meta: { generatedAt: string; extensionVersion: string; paper?: Paper }): Promise<string | Uint8Array> | string {
  switch (format) {
    case 'md':
      return renderMarkdown(doc);
    case 'html':
      return renderHtml(doc);
    case 'pdf':
      return renderPdf(doc, { generatedAt: meta.generatedAt, creator: `Risk Review ${meta.extensionVersion}`, paper: meta.paper });
  }
}

export async function renderSummary(summary: CaseSummary, format: SummaryFormat, options: RenderOptions = {}): Promise<string | Uint8Array> {
  const s = options.redact ? redactSummary(summary, options.redact.reference) : summary;
  return renderDocument(summaryDocument(s, { plainLanguage: options.plainLanguage, reviewerText: options.reviewerText }), format, { ...s.provenance, paper: options.paper });
}

/** The audit report of a whole instrument (report/audit.ts) in one format. */
export async function renderAudit(audit: AuditSummary, format: SummaryFormat, options: Pick<RenderOptions, 'paper'> = {}): Promise<string | Uint8Array> {
  return renderDocument(auditDocument(audit), format, { ...audit.provenance, paper: options.paper });
}

/** The reference that stands for the k-th case (0-based) of a redacted batch: "REF-007". */
export function batchReference(prefix: string, k: number, count: number): string {
  return `${prefix}-${String(k + 1).padStart(Math.max(3, String(count).length), '0')}`;
}

/**
 * A file name for each case: `case-<id>.<format>` with every character outside [A-Za-z0-9._-] replaced,
 * so a hostile id can neither leave the folder nor hide the file; names made equal by that replacement
 * get a "-2", "-3"… suffix. Redacted batches are named by reference, never by case id.
 */
export function batchFileNames(ids: readonly string[], format: SummaryFormat, redact?: { readonly prefix: string }): string[] {
  const taken = new Set<string>();
  return ids.map((id, k) => {
    const stem = (redact ? batchReference(redact.prefix, k, ids.length) : `case-${id}`).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
    let name = `${stem}.${format}`;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${stem}-${n}.${format}`;
    taken.add(name.toLowerCase());
    return name;
  });
}

export interface BatchJob {
  readonly count: number;
  summaryAt(k: number): CaseSummary;
  readonly fileNames: readonly string[];
  readonly format: SummaryFormat;
  readonly plainLanguage?: boolean;
  readonly reviewerText?: boolean;
  /** Redact every summary, the k-th standing as `batchReference(prefix, k, count)`. */
  readonly redact?: { readonly prefix: string };
  write(k: number, fileName: string, data: string | Uint8Array): void | Promise<void>;
  onProgress?(done: number, total: number): void;
  isCancelled?(): boolean;
}

export interface BatchResult {
  readonly written: readonly string[];
  readonly cancelled: boolean;
}

/** Renders and writes the cases one by one, reporting progress and checking for cancellation between cases. */
export async function exportBatch(job: BatchJob): Promise<BatchResult> {
  const written: string[] = [];
  let lastYield = Date.now();
  for (let k = 0; k < job.count; k++) {
    if (job.isCancelled?.()) return { written, cancelled: true };
    const options: RenderOptions = { plainLanguage: job.plainLanguage, reviewerText: job.reviewerText, redact: job.redact ? { reference: batchReference(job.redact.prefix, k, job.count) } : undefined };
    await job.write(k, job.fileNames[k], await renderSummary(job.summaryAt(k), job.format, options));
    written.push(job.fileNames[k]);
    job.onProgress?.(k + 1, job.count);
    // Let the host's event loop breathe (progress, cancellation) during a long batch.
    if (Date.now() - lastYield > 30) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = Date.now();
    }
  }
  return { written, cancelled: false };
}
