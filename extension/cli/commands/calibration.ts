import { computedModel, scoreAll } from '../../engine/review';
import { openReviewAndWarn } from '../review';
import { caseIndex } from '../../engine/data/cases';
import { backgroundOf, explainAll } from '../../engine/explain/index';
import { calibrateReview, caseCalibrationSection, caseCalibrationStatement, groupDrivers, groupLabelOf } from '../../engine/calibration/index';
import { modelFileOf, UsageError } from '../../engine/project';
import { choice, groupingsFrom, num, specFrom, str, whole, type Values } from '../args';
import type { Command } from '../command';
import { emit, json } from '../output';
import { Progress } from '../progress';
import { MAX_BOOTSTRAP_REPLICATES } from '../../engine/calibration/groups';

export const calibration: Command = {
  name: 'calibration',
  summary: 'per-group calibration: reliability bins, Brier, ECE, slope, AUC and error rates, with intervals',
  usage:
    'risk-review calibration (--project FILE | --model FILE --data FILE --id-column NAME) --outcome COL [--group COL] [--bins N] [--strategy uniform|quantile] [--threshold T] [--reference GROUP] [--bootstrap B [--seed S]] [--drivers] [--case ID] [--format json] [--out FILE]\n\n' +
    '  --bins N           reliability bins (default 10)\n' +
    '  --strategy S       uniform (equal-width bins; the default for probabilities), quantile (equal-count bins\n' +
    '                     per group; everyone\'s on a score\'s own scale) or values (a bin per score value; the\n' +
    '                     default on a score\'s own scale with at most 20 values)\n' +
    '  --reference GROUP  the group the others are compared with (default: the project\'s, else the largest)\n' +
    `  --bootstrap B      add 95% bootstrap intervals (B replicates, at most ${MAX_BOOTSTRAP_REPLICATES.toLocaleString('en-US')}) to the gaps between groups;\n` +
    '                     on a terminal a progress bar shows the replicates done, the rate and the time left\n' +
    '  --seed S           the bootstrap\'s seed (default 1)\n' +
    '  --drivers          add each feature\'s mean |attribution| per group (computes every attribution)\n' +
    '  --case ID          add the calibration near this case\'s score, for its group and for everyone, in words\n' +
    'Cases whose outcome is unknown (empty, NA) are left out and counted in "excludedUnknownOutcome".\n' +
    'Each set\'s "intervals" holds 95% intervals {ciLow, ciHigh} beside its figures: Wilson for the rates, DeLong\'s (logit\n' +
    'scale) for "auc", the normal approximation for "brier", Wald for "calibrationSlope" and "calibrationIntercept";\n' +
    '"standardErrors" holds the last four\'s standard errors, "intervalMethods" names the methods.',
  options: {
    bins: { type: 'string' },
    strategy: { type: 'string' },
    reference: { type: 'string' },
    bootstrap: { type: 'string' },
    seed: { type: 'string' },
    drivers: { type: 'boolean' },
    case: { type: 'string' },
  },
  async run(v: Values) {
    choice(v, 'format', ['json'] as const, 'json');
    const strategy = str(v, 'strategy') === undefined ? undefined : choice(v, 'strategy', ['uniform', 'quantile', 'values'] as const, 'uniform');
    const bins = num(v, 'bins', ...whole(1, 1000));
    const replicates = num(v, 'bootstrap', ...whole(1, MAX_BOOTSTRAP_REPLICATES));
    const seed = num(v, 'seed', ...whole()) ?? 1;
    if (str(v, 'seed') !== undefined && replicates === undefined) throw new UsageError('--seed needs --bootstrap');
    const spec = specFrom(v);
    if (!spec.outcomeColumn) throw new UsageError('calibration needs --outcome COL (the known outcome, 0/1 or true/false)');
    // The groupings named with --group (each column, and their intersection when two are named); the
    // first is the report's, the others follow in "otherGroupings".
    const groupings = groupingsFrom(v);
    const groupColumn = groupings[0] ?? spec.groupColumns[0];
    if (v.drivers === true && groupColumn === undefined) throw new UsageError('--drivers needs --group COL');

    const progress = replicates === undefined ? undefined : new Progress({ label: 'bootstrap', done: 'bootstrap ran', unit: 'replicate' });
    const review = openReviewAndWarn(spec, v, progress);
    const { cases } = review;
    const { score } = scoreAll(review.model, cases);
    // Each grouping runs its own bootstrap; the bar counts the replicates of them all.
    const runs = Math.max(1, groupings.length);
    let run = 0;
    const calibrate = (column: string | undefined, reference: string | undefined) => {
      const before = run++ * (replicates ?? 0);
      const bootstrap = replicates === undefined ? undefined : { replicates, seed, onReplicate: (done: number) => progress?.update(before + done, runs * replicates) };
      return calibrateReview(review, score, { groupColumn: column, bins, strategy, reference, bootstrap });
    };
    const report = calibrate(groupColumn, str(v, 'reference'));
    const out: Record<string, unknown> = { ...report };
    if (groupings.length > 1) out.otherGroupings = groupings.slice(1).map((g) => calibrate(g, undefined));
    progress?.finish(run * replicates!);
    const id = str(v, 'case');
    if (id !== undefined) {
      const i = caseIndex(cases, id);
      const section = caseCalibrationSection([report], spec.outcomeColumn, score[i], (c) => groupLabelOf(cases, c, i));
      out.case = {
        caseId: id,
        score: score[i],
        group: groupColumn === undefined ? null : groupLabelOf(cases, groupColumn, i),
        statement: caseCalibrationStatement(section),
        section,
      };
    }
    if (v.drivers === true) {
      const set = await explainAll({ model: computedModel(review, '--drivers'), cases, background: backgroundOf(review) }, { file: modelFileOf(spec, '--drivers') });
      const groups = cases.groups.find((g) => g.column === groupColumn)!;
      out.drivers = { scale: set.scale, ...groupDrivers({ contributions: set.contributions, features: review.model.features.map((f) => f.name), groups }) };
    }
    emit(v, json(out));
  },
};
