/** What every verb that writes documents (export, audit) shares: their time stamp and their format. */
import { extname } from 'node:path';
import { UsageError } from '../engine/project';
import { SUMMARY_FORMATS, type SummaryFormat } from '../engine/report/index';
import { choice, str, type Values } from './args';

/**
 * The time a summary states. `SOURCE_DATE_EPOCH` (seconds, the reproducible-builds convention) fixes it,
 * so the same inputs give byte-identical documents; otherwise it is now.
 */
export function generatedAt(env: NodeJS.ProcessEnv = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return new Date().toISOString();
  const seconds = Number(epoch);
  if (!Number.isInteger(seconds) || seconds < 0) throw new UsageError(`SOURCE_DATE_EPOCH must be whole seconds since 1970, not "${epoch}"`);
  return new Date(seconds * 1000).toISOString();
}

const FORMAT_OF_EXTENSION: Readonly<Record<string, SummaryFormat>> = { '.md': 'md', '.markdown': 'md', '.html': 'html', '.htm': 'html', '.pdf': 'pdf' };

export function formatOf(v: Values): SummaryFormat {
  const out = str(v, 'out');
  return choice(v, 'format', SUMMARY_FORMATS, (out && FORMAT_OF_EXTENSION[extname(out).toLowerCase()]) || 'md');
}

