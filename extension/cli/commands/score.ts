import { stringify } from 'csv-stringify/sync';
import { scoreAll } from '../../engine/review';
import { openReviewAndWarn } from '../review';
import { bandOf } from '../../engine/models/score';
import { choice, specFrom, type Values } from '../args';
import type { Command } from '../command';
import { emit, json, jsonl } from '../output';

export const score: Command = {
  name: 'score',
  summary: 'score every case: id, score, band, flagged',
  usage: 'risk-review score (--project FILE | --model FILE --data FILE --id-column NAME) [--format json|jsonl|csv] [--out FILE]',
  options: {},
  run(v: Values) {
    const format = choice(v, 'format', ['json', 'jsonl', 'csv'] as const, 'json');
    const review = openReviewAndWarn(specFrom(v));
    const { score: s } = scoreAll(review.model, review.cases);
    const rows = review.cases.ids.map((caseId, i) => ({
      caseId,
      score: s[i],
      band: bandOf(review.bands, s[i]),
      flagged: s[i] >= review.threshold,
    }));
    if (format === 'csv') emit(v, stringify(rows, { header: true, columns: ['caseId', 'score', 'band', 'flagged'], cast: { boolean: (b) => String(b) } }));
    else if (format === 'jsonl') emit(v, jsonl(rows));
    else emit(v, json({ model: review.model.name, threshold: review.threshold, scale: review.scoreIsProbability ? 'probability' : 'points', cases: rows }));
  },
};
