/**
 * What a cell of a case file means as a number: a plain decimal, a missing value (empty, `NA`, `NaN`,
 * `N/A`, `null`, as in XGBoost and pandas), or neither. Its own module because every CSV reader thread
 * runs it once per cell.
 */

const MISSING = new Set(['', 'NA', 'NaN', 'nan', 'N/A', 'null', 'NULL']);

export function isMissing(s: string): boolean {
  return MISSING.has(s.trim());
}

/**
 * Whether `s` is a plain decimal, `[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?` and nothing else: what CSV
 * exports write for numbers. Scanned by character code because it runs once per cell (a million cases
 * of twenty features are twenty million cells); `charCodeAt` past the end is NaN, which matches no class.
 */
function isDecimal(s: string): boolean {
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 43 || c === 45) c = s.charCodeAt(++i); // + -
  let digits = 0;
  while (c >= 48 && c <= 57) (digits++, (c = s.charCodeAt(++i)));
  if (c === 46) {
    c = s.charCodeAt(++i); // .
    while (c >= 48 && c <= 57) (digits++, (c = s.charCodeAt(++i)));
  }
  if (digits === 0) return false;
  if (c === 69 || c === 101) {
    c = s.charCodeAt(++i); // e E
    if (c === 43 || c === 45) c = s.charCodeAt(++i);
    let exponent = 0;
    while (c >= 48 && c <= 57) (exponent++, (c = s.charCodeAt(++i)));
    if (exponent === 0) return false;
  }
  return i === s.length;
}

/**
 * A number, NaN for a missing value, or undefined for text that is neither. Spaces around a value are
 * ignored. A decimal too large for a double (`1e999`) is not taken as infinity: it is not a number.
 */
export function parseNumber(s: string): number | undefined {
  if (s.length === 0) return NaN;
  if (isDecimal(s)) {
    const v = +s;
    return v === Infinity || v === -Infinity ? undefined : v;
  }
  const t = s.trim();
  if (MISSING.has(t)) return NaN;
  return t.length !== s.length && isDecimal(t) ? parseNumber(t) : undefined;
}
