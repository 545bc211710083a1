/**
 * The one error type for bad input. Everything a user can get wrong (a file, a row, a value, a flag)
 * becomes an `InputError` whose message names the place and the problem; the CLI prints it alone and
 * exits 1, the panel shows it as it is. Anything else that escapes is a bug in Risk Review.
 */

/** Where in a file a problem sits; lines and columns are 1-based, as editors show them. */
export interface Place {
  readonly file?: string;
  readonly line?: number;
  readonly column?: string | number;
  readonly caseId?: string;
}

export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly problem: string,
    readonly place: Place = {},
  ) {
    super(formatPlace(place) + problem);
  }
}

export function formatPlace(place: Place): string {
  const parts: string[] = [];
  if (place.file !== undefined) parts.push(place.file);
  if (place.line !== undefined) parts.push(`line ${place.line}`);
  if (place.column !== undefined) parts.push(typeof place.column === 'number' ? `column ${place.column}` : `column "${place.column}"`);
  if (place.caseId !== undefined) parts.push(`case "${place.caseId}"`);
  return parts.length ? parts.join(', ') + ': ' : '';
}

/**
 * The same problem with the place completed from what the caller knows: a scorer names the case and
 * column, the caller that holds the case file adds the file and line.
 */
export function placed(e: InputError, outer: Place): InputError {
  const inner = Object.fromEntries(Object.entries(e.place).filter(([, v]) => v !== undefined));
  return new InputError(e.problem, { ...outer, ...inner });
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}
