import { resolve } from 'node:path';
import { InputError } from '../../engine/errors';
import { UsageError } from '../../engine/project';
import { chainProblemText, chainSummary } from '../../engine/report/decisions';
import { choice, str, type Values } from '../args';
import type { Command } from '../command';
import { emit, json } from '../output';
import { readReviewLog } from '../reviewLog';

export const log: Command = {
  name: 'log',
  summary: 'check a review log: its hash chain, edited entries, torn lines',
  usage:
    'risk-review log verify FILE [--format text|json] [--out FILE]\n\n' +
    '  verify FILE        check the review log FILE: each entry\'s own hash (an entry edited after it was written), the chain\n' +
    '                     of hashes between lines (a line removed, inserted or moved), lines that are not decisions, and a\n' +
    '                     last line cut short by an interrupted write. Prints the result and the head hash (the hash of the\n' +
    '                     last line: note it down to notice later whether the newest entries were removed).\n' +
    'Exit codes: 0 the log is intact, 1 a problem was found (each is listed with its line) or the file cannot be read.',
  options: {},
  positionals: ['action', 'file'],
  async run(v: Values) {
    const action = str(v, 'action');
    const file = str(v, 'file');
    if (action !== 'verify') throw new UsageError(action === undefined ? 'give an action: risk-review log verify FILE' : `unknown action "${action}"; actions: verify`);
    if (file === undefined) throw new UsageError('give the review log to check: risk-review log verify FILE');
    const format = choice(v, 'format', ['text', 'json'] as const, 'text');
    const { verification } = await readReviewLog(resolve(file), { warn: false });
    if (format === 'json') {
      emit(v, json({ file, ...verification, problems: verification.problems.map((p) => ({ ...p, message: chainProblemText(p) })) }));
    } else {
      const lines = [chainSummary(verification, file), ...verification.problems.map((p) => `  ${chainProblemText(p)}`), ...(verification.head ? [`Head hash: ${verification.head}`] : [])];
      emit(v, lines.join('\n') + '\n');
    }
    if (!verification.intact) throw new InputError(`${verification.problems.length === 1 ? 'a problem was' : `${verification.problems.length} problems were`} found (listed above)`, { file });
  },
};
