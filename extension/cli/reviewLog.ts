/**
 * How the verbs that read a review log (`export --review-log`, `decisions`, `log verify`) read it: the
 * file must exist and be readable (else one message naming it, exit 1), and its chain is checked as it is
 * read, so that a line skipped or a chain broken is said on standard error, never passed over in silence.
 */
import { existsSync } from 'node:fs';
import { InputError, isInputError } from '../engine/errors';
import { printWarning } from './stderr';
import { chainProblemText } from '../engine/report/decisions';
import { verifyLog, type VerifiedLog } from '../engine/reviewLog';

export async function readReviewLog(file: string, options: { readonly warn: boolean } = { warn: true }): Promise<VerifiedLog> {
  if (!existsSync(file)) throw new InputError('does not exist', { file });
  let log: VerifiedLog;
  try {
    log = await verifyLog(file);
  } catch (e) {
    throw isInputError(e) ? e : new InputError(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file });
  }
  if (options.warn) {
    for (const p of log.verification.problems) printWarning(`${file}: ${chainProblemText(p)}`);
  }
  return log;
}
