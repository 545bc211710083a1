import { resolve } from 'node:path';
import { caseIndex } from '../../engine/data/cases';
import { bandOf } from '../../engine/models/score';
import { UsageError } from '../../engine/project';
import { scoreAll, scoringSha256 } from '../../engine/review';
import { appendEntry, decisionEntry, osUserName } from '../../engine/reviewLog';
import { MAX_TEXT } from '../../../webview/protocol';
import { choice, specFrom, str, type Values } from '../args';
import type { Command } from '../command';
import { openReviewAndWarn } from '../review';

/** A text option, no longer than the panel accepts. */
function text(v: Values, key: string): string {
  const s = str(v, key) ?? '';
  if (s.length > MAX_TEXT) throw new UsageError(`--${key} is longer than ${MAX_TEXT.toLocaleString('en-US')} characters`);
  return s;
}

export const decide: Command = {
  name: 'decide',
  summary: 'record a reviewer\'s decision on a case in a review log, as the panel does',
  usage:
    'risk-review decide (--project FILE | --model FILE --data FILE --id-column NAME) --review-log FILE --case ID --verdict agree|disagree [--reason TEXT] [--notes TEXT] [--assign BAND] [--reviewer NAME] [--blind]\n\n' +
    '  --verdict V        agree or disagree with the case\'s band; disagreeing needs --reason\n' +
    '  --assign BAND      with disagree: the band you would assign instead (another band of the review)\n' +
    '  --reviewer NAME    who decides (default: the operating-system user)\n' +
    '  --blind            you decided without seeing the known outcome or figures computed from it (recorded as blind)\n' +
    'The decision is appended to the log, chained to its last entry, under the log\'s lock: VS Code windows and other\n' +
    'risk-review processes may write to the same log at once. Prints the recorded line.',
  options: {
    'review-log': { type: 'string' },
    case: { type: 'string' },
    verdict: { type: 'string' },
    reason: { type: 'string' },
    notes: { type: 'string' },
    assign: { type: 'string' },
    reviewer: { type: 'string' },
    blind: { type: 'boolean' },
  },
  async run(v: Values) {
    const logFile = str(v, 'review-log');
    const id = str(v, 'case');
    if (logFile === undefined || id === undefined || str(v, 'verdict') === undefined) throw new UsageError('give --review-log FILE, --case ID and --verdict agree|disagree');
    const verdict = choice(v, 'verdict', ['agree', 'disagree'] as const, 'agree');
    if (verdict === 'disagree' && text(v, 'reason').trim() === '') throw new UsageError('--verdict disagree needs --reason TEXT');
    if (verdict === 'agree' && str(v, 'assign') !== undefined) throw new UsageError('--assign goes with --verdict disagree');
    const reviewer = str(v, 'reviewer')?.trim() || osUserName();
    const review = openReviewAndWarn(specFrom(v), v);
    const i = caseIndex(review.cases, id);
    const { score } = scoreAll(review.model, review.cases);
    const assigned = str(v, 'assign');
    const entry = decisionEntry({
      caseId: id,
      verdict,
      reason: text(v, 'reason').trim(),
      notes: text(v, 'notes'),
      ...(assigned !== undefined ? { assignedBand: assigned } : {}),
      band: bandOf(review.bands, score[i]),
      bands: review.bands.map((b) => b.label),
      blind: v.blind === true,
      reviewer,
      modelSha256: scoringSha256(review),
      dataSha256: review.dataSha256,
      model: review.model.name,
    });
    await appendEntry(resolve(logFile), entry);
    process.stdout.write(JSON.stringify(entry) + '\n');
  },
};
