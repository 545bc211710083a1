/**
 * What the CLI says on standard error: errors and warnings, one line each, as `risk-review: …`. Messages
 * often quote the files (ids, column names, cell text, paths), so each goes through `terminalMessage`:
 * a control character from the data (ESC, BEL, CR…) or a bidirectional override is printed as its
 * escape (`\x1b`, `U+202E`), never sent to the terminal.
 */
import { terminalMessage } from '../engine/safeText';
import { clearProgressLine } from './progress';

export function printError(message: string): void {
  clearProgressLine();
  process.stderr.write(`risk-review: ${terminalMessage(message)}\n`);
}

export function printWarning(message: string): void {
  clearProgressLine();
  process.stderr.write(`risk-review: warning: ${terminalMessage(message)}\n`);
}
