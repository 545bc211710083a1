import { scoreRange } from '../../engine/review';
import { bandOf } from '../../engine/models/score';
import { openReviewAndWarn } from '../review';
import { choice, specFrom, type Values } from '../args';
import type { Command } from '../command';
import { streamOutput, type OutputStream } from '../output';
import { Progress } from '../progress';

/** Cases scored and written per block: progress and output between blocks, memory constant in n. */
const BLOCK = 65_536;

/**
 * A CSV field, quoted as RFC 4180 asks when it holds a comma, a quote or a line break. Unless `raw`, a
 * field a spreadsheet would take for a formula — starting with "=", "+", "-", "@", a tab or a carriage
 * return (OWASP's list for CSV injection) — gets a leading "'", which spreadsheets show as text.
 */
export function csvField(text: string, raw: boolean): string {
  const s = !raw && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** How one case is written in each format; `head` and `tail` frame the rows. */
interface RowFormat {
  readonly head: string;
  row(caseId: string, score: number, band: string, flagged: boolean, first: boolean): string;
  readonly tail: string;
}

function rowFormat(format: 'json' | 'jsonl' | 'csv', raw: boolean, meta: { model: string; threshold: number; scale: string }): RowFormat {
  const q = JSON.stringify;
  switch (format) {
    case 'csv':
      return { head: 'caseId,score,band,flagged\n', row: (id, s, band, flagged) => `${csvField(id, raw)},${s},${csvField(band, raw)},${flagged}\n`, tail: '' };
    case 'jsonl':
      return { head: '', row: (id, s, band, flagged) => `{"caseId":${q(id)},"score":${s},"band":${q(band)},"flagged":${flagged}}\n`, tail: '' };
    case 'json':
      // Laid out as JSON.stringify(value, null, 2) lays out { model, threshold, scale, cases: [...] }.
      return {
        head: `{\n  "model": ${q(meta.model)},\n  "threshold": ${q(meta.threshold)},\n  "scale": ${q(meta.scale)},\n  "cases": [\n`,
        row: (id, s, band, flagged, first) => `${first ? '' : ',\n'}    {\n      "caseId": ${q(id)},\n      "score": ${s},\n      "band": ${q(band)},\n      "flagged": ${flagged}\n    }`,
        tail: '\n  ]\n}\n',
      };
  }
}

export const score: Command = {
  name: 'score',
  summary: 'score every case: id, score, band, flagged',
  usage:
    'risk-review score (--project FILE | --model FILE --data FILE --id-column NAME) [--format json|jsonl|csv] [--raw-csv] [--out FILE]\n\n' +
    '  --format F         json (default), jsonl (one case a line) or csv\n' +
    '  --raw-csv          write ids and bands exactly as they are; by default a CSV field that starts with\n' +
    '                     =, +, -, @, a tab or a carriage return gets a leading \' so that a spreadsheet\n' +
    '                     shows it as text instead of running it as a formula (CSV injection)\n' +
    'Output is written as it is made, case by case; on a terminal a progress bar shows on standard error,\n' +
    'and a last line there gives the figures (cases, time, rate).',
  options: { 'raw-csv': { type: 'boolean' } },
  async run(v: Values) {
    const format = choice(v, 'format', ['json', 'jsonl', 'csv'] as const, 'json');
    const raw = v['raw-csv'] === true;
    const spec = specFrom(v);
    const progress = new Progress({ label: 'score', done: 'scored', unit: 'case' });
    const review = openReviewAndWarn(spec, v, progress);
    const { cases, bands, threshold } = review;
    const rows = rowFormat(format, raw, { model: review.model.name, threshold, scale: review.scoreIsProbability ? 'probability' : 'points' });
    const block = Math.min(BLOCK, cases.n);
    const margin = new Float64Array(block);
    const scores = new Float64Array(block);
    await streamOutput(v, async (out: OutputStream) => {
      out.add(rows.head);
      for (let from = 0; from < cases.n; from += block) {
        const to = Math.min(cases.n, from + block);
        scoreRange(review.model, cases, from, to, margin, scores);
        for (let i = from; i < to; i++) {
          const s = scores[i - from];
          out.add(rows.row(cases.ids[i], s, bandOf(bands, s), s >= threshold, i === 0));
        }
        await out.flush();
        progress.update(to, cases.n);
      }
      out.add(rows.tail);
    });
    progress.finish(cases.n);
  },
};
