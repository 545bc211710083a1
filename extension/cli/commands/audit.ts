import { RISK_REVIEW_VERSION } from '../../engine/version';
import { backgroundOf, explainAll } from '../../engine/explain/index';
import { UsageError } from '../../engine/project';
import { buildAuditSummary, PAPERS, prepareAnalyses, renderAudit, reviewComparisons } from '../../engine/report/index';
import { computedModel, scoreAll } from '../../engine/review';
import { modelFileOf } from '../../engine/project';
import { openReviewAndWarn } from '../review';
import { choice, num, specFrom, str, whole, type Values } from '../args';
import type { Command } from '../command';
import { formatOf, generatedAt } from '../documents';
import { emit } from '../output';

export const audit: Command = {
  name: 'audit',
  summary: 'the audit report of the whole instrument: every group compared, error rates, drivers, rules',
  usage:
    'risk-review audit (--project FILE | --model FILE --data FILE --id-column NAME | --score-column COL --data FILE --id-column NAME --threshold T) --outcome COL [--group COL …] [--format md|html|pdf] [--paper a4|letter] [--bins N] [--no-drivers] [--out FILE] [--force]\n\n' +
    '  --group COL        a grouping to compare; repeat it for several (the intersection of the first two is\n' +
    '                     added), or cross two as "sex*race"; default: the project\'s group columns\n' +
    '  --format F         md, html or pdf (default: from the --out file name, else md)\n' +
    '  --paper P          the PDF\'s paper: a4 (default) or letter\n' +
    '  --bins N           reliability bins for probabilities (default 10); a score on its own scale gets a bin\n' +
    '                     per value (up to 20 values)\n' +
    '  --no-drivers       leave out what drives each group\'s scores (it explains every case)\n' +
    'The report states the time it was made; set SOURCE_DATE_EPOCH to fix it for reproducible output.',
  options: {
    paper: { type: 'string' },
    bins: { type: 'string' },
    'no-drivers': { type: 'boolean' },
  },
  async run(v: Values) {
    const format = formatOf(v);
    const paper = choice(v, 'paper', PAPERS, 'a4');
    if (str(v, 'paper') !== undefined && format !== 'pdf') throw new UsageError('--paper is for --format pdf (the HTML prints on any paper)');
    if (format === 'pdf' && str(v, 'out') === undefined && process.stdout.isTTY) throw new UsageError('give --out FILE for a PDF');
    const bins = num(v, 'bins', ...whole(1, 1000));
    const spec = specFrom(v);
    if (!spec.outcomeColumn) throw new UsageError('an audit needs --outcome COL (the known outcome, 0/1 or true/false)');
    const review = openReviewAndWarn(spec, v);
    const { score } = scoreAll(review.model, review.cases);
    const analyses = prepareAnalyses(review, { bins, score });
    const explainable = review.model.kind !== 'score-column' && v['no-drivers'] !== true;
    const set = explainable
      ? await explainAll({ model: computedModel(review, 'the drivers'), cases: review.cases, background: backgroundOf(review) }, { file: modelFileOf(spec, 'the drivers') })
      : null;
    const comparisons = reviewComparisons(review, analyses.calibration ?? [], set);
    const summary = buildAuditSummary(review, analyses, comparisons, { generatedAt: generatedAt(), extensionVersion: RISK_REVIEW_VERSION });
    emit(v, await renderAudit(summary, format, { paper }));
  },
};
