import { caseIndex } from '../../engine/data/cases';
import { bandOf, scoreOf } from '../../engine/models/score';
import { caseMargin } from '../../engine/review';
import { UsageError } from '../../engine/project';
import { changeRules, DEFAULT_OPTIONS, recourseFor } from '../../engine/recourse/index';
import { DEFAULT_BUDGET } from '../../engine/recourse/recourse';
import { choice, num, specFrom, str, whole, type Values } from '../args';
import type { Command } from '../command';
import { emit, json } from '../output';
import { openReviewAndWarn } from '../review';

export const recourse: Command = {
  name: 'recourse',
  summary: 'the smallest changes to the dynamic features that move a case to a lower band',
  usage:
    'risk-review recourse (--project FILE | --model FILE --data FILE --id-column NAME) --case ID [--target-band NAME] [--max-changes K] [--options N] [--budget N] [--format json] [--out FILE]\n\n' +
    '  --case ID          the case\n' +
    '  --target-band NAME reach this band or a lower one (default: the band just below the case\'s)\n' +
    '  --max-changes K    change at most K features (default: as many as can change)\n' +
    `  --options N        list at most N options, smallest first (default ${DEFAULT_OPTIONS})\n` +
    `  --budget N         sets of changes to score before stopping with a bound (default ${DEFAULT_BUDGET.toLocaleString('en-US')})\n` +
    'The project marks which features can change ("riskFactor": "dynamic") and how (direction, min, max, step).',
  options: {
    case: { type: 'string' },
    'target-band': { type: 'string' },
    'max-changes': { type: 'string' },
    options: { type: 'string' },
    budget: { type: 'string' },
  },
  run(v: Values) {
    const id = str(v, 'case');
    if (id === undefined) throw new UsageError('give --case ID');
    choice(v, 'format', ['json'] as const, 'json');
    const maxChanges = num(v, 'max-changes', ...whole(1));
    const maxOptions = num(v, 'options', ...whole(1, 100));
    const budget = num(v, 'budget', ...whole(1));
    const targetBand = str(v, 'target-band');

    const review = openReviewAndWarn(specFrom(v), v);
    const labels = review.bands.map((b) => b.label);
    if (targetBand !== undefined && !labels.includes(targetBand)) throw new UsageError(`--target-band must be one of the review's bands (${labels.join(', ')}), not "${targetBand}"`);
    const i = caseIndex(review.cases, id);
    const section = recourseFor(review, changeRules(review), i, { targetBand, maxChanges, maxOptions, budget });
    const margin = caseMargin(review.model, review.cases, i);
    const score = scoreOf(review.model, margin);
    emit(v, json({ caseId: id, score, margin, band: bandOf(review.bands, score), scoreIsProbability: review.scoreIsProbability, ...section }));
  },
};
