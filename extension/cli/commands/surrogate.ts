import { scoreAll } from '../../engine/review';
import { openReviewAndWarn } from '../review';
import { caseIndex } from '../../engine/data/cases';
import { DEFAULT_OPTIONS, LIMITS, MIN_CASES_FOR_HOLDOUT, conditionSymbols, conditionsText, fitReviewSurrogate, nestedTree, surrogateCase } from '../../engine/surrogate/index';
import { choice, num, specFrom, str, whole, type Values } from '../args';
import type { Command } from '../command';
import { emit, json } from '../output';


export const surrogate: Command = {
  name: 'surrogate',
  summary: 'a small decision tree that imitates the model, its fidelity stated, and a case\'s path through it',
  usage:
    'risk-review surrogate (--project FILE | --model FILE --data FILE --id-column NAME) [--max-leaves K] [--max-depth D] [--bins B] [--case ID] [--format json] [--out FILE]\n\n' +
    `  --max-leaves K   leaf budget (default ${DEFAULT_OPTIONS.maxLeaves}); fewer are used when more would not fit the model better\n` +
    `  --max-depth D    depth cap (default ${DEFAULT_OPTIONS.maxDepth}, or log2(K) + 2 for larger budgets)\n` +
    `  --bins B         most quantile bins per continuous feature (default ${DEFAULT_OPTIONS.maxBins}); thresholds are bin edges\n` +
    '  --case ID        add the path this case follows, the rule\'s prediction beside the model\'s score, and how well the rule serves it\n' +
    'The tree is fitted to the model\'s score (probability, or an instrument\'s total) on every case loaded; fidelity is measured on the same cases,\n' +
    `and as "heldOut" on a fixed fifth of them (from ${MIN_CASES_FOR_HOLDOUT} cases) that a tree grown the same way on the rest never saw.`,
  options: {
    'max-leaves': { type: 'string' },
    'max-depth': { type: 'string' },
    bins: { type: 'string' },
    case: { type: 'string' },
  },
  run(v: Values) {
    choice(v, 'format', ['json'] as const, 'json');
    const maxLeaves = num(v, 'max-leaves', ...whole(1, LIMITS.maxLeaves));
    const maxDepth = num(v, 'max-depth', ...whole(1, LIMITS.maxDepth));
    const maxBins = num(v, 'bins', ...whole(2, LIMITS.maxBins));
    const review = openReviewAndWarn(specFrom(v), v);
    const id = str(v, 'case');
    const index = id === undefined ? -1 : caseIndex(review.cases, id);
    const { score } = scoreAll(review.model, review.cases);
    const s = fitReviewSurrogate(review, { maxLeaves, maxDepth, maxBins }, score);
    const out: Record<string, unknown> = {
      model: review.model.name,
      cases: review.cases.n,
      scale: s.scoreIsProbability ? 'probability' : 'points',
      method: s.method,
      options: s.options,
      leaves: s.leaves,
      depth: s.depth,
      fidelity: s.fidelity,
      heldOut: s.heldOut,
      frontier: s.frontier,
      rules: s.rules,
      tree: nestedTree(s),
      notes: s.notes,
    };
    if (id !== undefined) {
      const fit = surrogateCase(s, review.cases.x, score[index], index * review.model.features.length);
      const { steps, conditions, ...rest } = fit;
      out.casePath = steps.map((step) => ({ ...step, ...(step.condition ? { text: conditionSymbols(step.condition, s.neverMissing) } : {}) }));
      out.case = { caseId: id, rule: conditionsText(conditions, s.neverMissing), conditions, ...rest };
    }
    emit(v, json(out));
  },
};
