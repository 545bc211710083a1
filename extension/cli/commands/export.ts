import { RISK_REVIEW_VERSION } from '../../engine/version';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { caseIndex } from '../../engine/data/cases';
import { InputError } from '../../engine/errors';
import { refuseOverwrite, writeFileAtomic } from '../../engine/io';
import { UsageError } from '../../engine/project';
import { batchFileNames, buildCaseSummary, exportBatch, prepareAnalyses, renderSummary, type SummaryExtras } from '../../engine/report/index';
import { scoringSha256, type Review } from '../../engine/review';
import { decisionOf, latestVerdicts } from '../../engine/reviewLog';
import { readReviewLog } from '../reviewLog';
import type { ReviewDecision } from '../../engine/report/types';
import { openReviewAndWarn } from '../review';
import { specFrom, str, type Values } from '../args';
import { formatOf, generatedAt } from '../documents';
import type { Command } from '../command';
import { emit, inputsOf, refuseInputAsOutput, printLine } from '../output';
import { Progress } from '../progress';

/**
 * The latest decision on each case in the review log `file` about this very model and case file (as the
 * panel lists them), by case index; lines that are not decisions and breaks in the chain are reported, not fatal.
 */
async function decisionsFrom(file: string, review: Review): Promise<(i: number) => ReviewDecision | null> {
  const log = await readReviewLog(file);
  // One pass over the log, not one per case: a batch may be every case of a large file.
  const latest = latestVerdicts(log.entries, scoringSha256(review), review.dataSha256);
  return (i) => {
    const e = latest.get(review.cases.ids[i]);
    return e ? decisionOf(e) : null;
  };
}

function selectedCases(v: Values, review: Review): number[] {
  const one = str(v, 'case');
  const many = str(v, 'cases');
  const all = v.all === true;
  if ([one !== undefined, many !== undefined, all].filter(Boolean).length !== 1) throw new UsageError('give one of --case ID, --cases ID,ID,… or --all');
  if (all) return Array.from({ length: review.cases.n }, (_, i) => i);
  const ids = one !== undefined ? [one] : many!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (ids.length === 0) throw new UsageError('--cases needs at least one case id');
  return ids.map((id) => caseIndex(review.cases, id));
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'case summary documents (Markdown, self-contained HTML, PDF) with provenance',
  usage:
    'risk-review export (--project FILE | --model FILE --data FILE --id-column NAME) (--case ID --out FILE | (--cases ID,ID,… | --all) --out-dir DIR) [--format md|html|pdf] [--outcome COL] [--group COL] [--plain-language [--reviewer-notes]] [--redact [--reference TEXT]] [--review-log FILE] [--force]\n\n' +
    '  --case ID          one case; written to --out FILE (or standard output for md / html)\n' +
    '  --cases ID,ID,…    several cases, one file each in --out-dir DIR\n' +
    '  --all              every case, one file each in --out-dir DIR\n' +
    '  --format F         md, html or pdf (default: from the --out file name, else md)\n' +
    '  --plain-language   the short letter for the person concerned and their family: whether the score was reviewed\n' +
    '                     and the outcome of the review, without the reviewer\'s words\n' +
    '  --reviewer-notes   in the letter, the reviewer\'s reason and notes too\n' +
    '  --redact           leave out the group attributes and replace the case id by a reference\n' +
    '  --reference TEXT   the reference (one case), or its prefix in a batch (default REF)\n' +
    '  --review-log FILE  put each case\'s latest decision from this review log (.riskreview/reviews.jsonl)\n' +
    '                     into its summary; only decisions about this model and case file count\n' +
    '  --force            replace files that exist\n' +
    'The summaries state the time they were made; set SOURCE_DATE_EPOCH to fix it for reproducible output.',
  options: {
    case: { type: 'string' },
    cases: { type: 'string' },
    all: { type: 'boolean' },
    'out-dir': { type: 'string' },
    'plain-language': { type: 'boolean' },
    'reviewer-notes': { type: 'boolean' },
    redact: { type: 'boolean' },
    reference: { type: 'string' },
    'review-log': { type: 'string' },
  },
  async run(v: Values) {
    const format = formatOf(v);
    const single = str(v, 'case') !== undefined;
    const outDir = str(v, 'out-dir');
    if (single && outDir !== undefined) throw new UsageError('--out-dir is for --cases or --all; give --out FILE for one case');
    if (!single && str(v, 'out') !== undefined) throw new UsageError('--out is for one --case; give --out-dir DIR for several');
    if (!single && outDir === undefined && (str(v, 'cases') !== undefined || v.all === true)) throw new UsageError('give --out-dir DIR for several cases');
    if (str(v, 'reference') !== undefined && v.redact !== true) throw new UsageError('--reference goes with --redact');
    if (single && format === 'pdf' && str(v, 'out') === undefined && process.stdout.isTTY) throw new UsageError('give --out FILE for a PDF');
    const base: SummaryExtras = { generatedAt: generatedAt(), extensionVersion: RISK_REVIEW_VERSION };

    const spec = specFrom(v);
    const batch = str(v, 'case') === undefined;
    const progress = batch ? new Progress({ label: 'export', done: 'exported', unit: 'case' }) : undefined;
    const review = openReviewAndWarn(spec, v, progress);
    const indices = selectedCases(v, review);
    const logFile = str(v, 'review-log');
    const decisionOf = logFile === undefined ? () => null : await decisionsFrom(resolve(logFile), review);
    const extras = (i: number): SummaryExtras => ({ ...base, decision: decisionOf(i) });
    const analyses = prepareAnalyses(review);
    const plainLanguage = v['plain-language'] === true;
    const reviewerText = v['reviewer-notes'] === true;
    if (reviewerText && !plainLanguage) throw new UsageError('--reviewer-notes goes with --plain-language (the full summary always has them)');
    const reference = str(v, 'reference');

    if (single) {
      const summary = buildCaseSummary(review, analyses, indices[0], extras(indices[0]));
      emit(v, await renderSummary(summary, format, { plainLanguage, reviewerText, redact: v.redact === true ? { reference: reference ?? 'REF-001' } : undefined }));
      return;
    }

    const dir = resolve(outDir!);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new InputError(`cannot be used as the output folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file: dir });
    }
    if (!statSync(dir).isDirectory()) throw new InputError('is not a folder', { file: dir });
    const redact = v.redact === true ? { prefix: reference ?? 'REF' } : undefined;
    const names = batchFileNames(indices.map((i) => review.cases.ids[i]), format, redact);
    // Refuse before writing anything, so a refused batch leaves the folder as it was.
    const inputs = inputsOf(spec, [['review log', logFile]]);
    for (const name of names) {
      refuseInputAsOutput(join(dir, name), inputs);
      refuseOverwrite(join(dir, name), v.force === true);
    }
    // Each file's path is printed as soon as it is written, so a long batch shows where it is.
    await exportBatch({
      count: indices.length,
      summaryAt: (k) => buildCaseSummary(review, analyses, indices[k], extras(indices[k])),
      fileNames: names,
      format,
      plainLanguage,
      reviewerText,
      redact,
      write: async (_k, name, data) => {
        writeFileAtomic(join(dir, name), data);
        await printLine(join(dir, name));
      },
      onProgress: (done, total) => progress!.update(done, total),
    });
    progress!.finish(indices.length);
  },
};
