/** Command-line options shared by every verb, parsed with Node's own `util.parseArgs`. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { withIntersection } from '../engine/data/cases';
import { UsageError, resolveSpec, type ReviewSpec } from '../engine/project';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export const COMMON_OPTIONS = {
  project: { type: 'string' },
  model: { type: 'string' },
  'score-column': { type: 'string' },
  data: { type: 'string' },
  'id-column': { type: 'string' },
  outcome: { type: 'string' },
  group: { type: 'string', multiple: true },
  threshold: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

export const COMMON_HELP = `Input (flags override the project file):
  --project FILE        a *.riskreview.json project
  --model FILE          XGBoost JSON, or a logistic / scorecard *.riskmodel.json
  --score-column COL    instead of a model: audit the score already in this column of the data
                        (a decile, an instrument's total), on its own scale
  --data FILE           cases (CSV with a header row)
  --id-column NAME      the column that identifies a case
  --outcome NAME        the known outcome column (0/1 or true/false)
  --group NAME          a group column (for calibration); repeat it to compare by each column and
                        by their intersection, or cross two as "sex*race"
  --threshold T         a case is flagged when its score is at least T (default 0.5 for probabilities;
                        on a score column's own scale: --threshold 5 flags deciles 5 and up)
Output:
  --format F            output format (see the verb)
  --out FILE            write here instead of standard output (atomically)
  --force               replace --out if it exists`;

export type Values = Record<string, string | boolean | string[] | undefined>;

/** Options, and the arguments a verb takes by position stored under the names it gives them (`log verify FILE`). */
export function parse(argv: readonly string[], extra: OptionSpec, positionalNames: readonly string[] = []): Values {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: { ...COMMON_OPTIONS, ...extra }, allowPositionals: true, strict: true });
    if (positionals.length > positionalNames.length) throw new UsageError(`unexpected argument "${positionals[positionalNames.length]}"`);
    const named: Values = { ...(values as Values) };
    positionals.forEach((p, k) => (named[positionalNames[k]] = p));
    return named;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/, ''));
  }
}

export function str(v: Values, key: string): string | undefined {
  const s = v[key];
  return typeof s === 'string' ? s : undefined;
}

/** Every value of a repeatable option, in order. */
export function strs(v: Values, key: string): string[] {
  const s = v[key];
  return Array.isArray(s) ? s : typeof s === 'string' ? [s] : [];
}

/**
 * The groupings `--group` names (`withIntersection`): `--group sex --group race` compares by sex, by race
 * and by both; `--group sex*race` names the intersection alone.
 */
export function groupingsFrom(v: Values): string[] {
  return withIntersection(strs(v, 'group'));
}

export function num(v: Values, key: string, check: (n: number) => boolean = Number.isFinite, what = 'a number'): number | undefined {
  const s = str(v, key);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (s.trim() === '' || !check(n)) throw new UsageError(`--${key} must be ${what}, not "${s}"`);
  return n;
}

/** A whole-number check for `num`, with its words: from lo to hi, at least lo, or any whole number. */
export function whole(lo = -Infinity, hi = Infinity): readonly [(n: number) => boolean, string] {
  const what = hi < Infinity ? `a whole number from ${lo} to ${hi}` : lo > -Infinity ? `a whole number ≥ ${lo}` : 'a whole number';
  return [(n: number) => Number.isInteger(n) && n >= lo && n <= hi, what];
}

export function choice<T extends string>(v: Values, key: string, allowed: readonly T[], fallback: T): T {
  const s = str(v, key) ?? fallback;
  if (!(allowed as readonly string[]).includes(s)) throw new UsageError(`--${key} must be one of ${allowed.join(', ')}, not "${s}"`);
  return s as T;
}

export function specFrom(v: Values): ReviewSpec {
  return resolveSpec({
    project: str(v, 'project'),
    model: str(v, 'model'),
    scoreColumn: str(v, 'score-column'),
    data: str(v, 'data'),
    idColumn: str(v, 'id-column'),
    outcome: str(v, 'outcome'),
    groups: groupingsFrom(v),
    threshold: num(v, 'threshold', (n) => Number.isFinite(n), 'a number'),
  });
}
