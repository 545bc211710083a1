/**
 * Where a JSON text stops being JSON, for the message a person needs ("line 12, column 5: a ',' or '}'
 * was expected"). `JSON.parse` does the parsing; only when it fails does this scan run, because V8's
 * messages give a position for some mistakes and not for others ("Unexpected token 'o', "not json" is
 * not valid JSON"). The scan follows RFC 8259 exactly as `JSON.parse` does, with an explicit stack so that
 * deeply nested input cannot overflow the call stack.
 */

export interface JsonSyntaxError {
  /** Offset in the text (UTF-16 code units) of the first character that cannot continue the JSON. */
  readonly offset: number;
  /** What went wrong, in words; ends early (`atEnd`) when the text stops inside a value. */
  readonly problem: string;
  readonly atEnd: boolean;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

const VALUE_EXPECTED = 'a value (object, list, string, number, true, false or null) was expected';

/** The first syntax error of `text`, or null when it is valid JSON (with `nonFinite`: also NaN, Infinity, -Infinity). */
export function jsonSyntaxError(text: string, nonFinite = false): JsonSyntaxError | null {
  const n = text.length;
  let i = 0;
  /** The error at `i`; `found` is what stands there (default: the character). */
  const fail = (problem: string, found: string | null = text[i]): JsonSyntaxError =>
    i >= n ? { offset: n, problem: 'it ends too early (truncated?)', atEnd: true } : { offset: i, problem: found === null ? problem : `${problem}, not ${JSON.stringify(found)}`, atEnd: false };
  const skipSpace = () => {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
  };

  /** Reads a string starting at its opening quote; returns an error or null. */
  const string = (): JsonSyntaxError | null => {
    i++;
    for (;;) {
      if (i >= n) return fail('');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c < 0x20) return fail('a string holds a raw line break, tab or other control character (write it escaped, as \\n or \\t)', null);
      if (c === 0x5c) {
        i++;
        if (i >= n) return fail('');
        const e = text[i];
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) {
            i++;
            if (i >= n) return fail('');
            if (!isHex(text.charCodeAt(i))) return fail('\\u needs four hexadecimal digits');
          }
        } else if (!'"\\/bfnrt'.includes(e)) return fail('an escape (\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\u) was expected');
      }
      i++;
    }
  };

  /** -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
  const number = (): JsonSyntaxError | null => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
    else return fail('a digit was expected');
    if (text[i] === '.') {
      i++;
      if (!isDigit(text.charCodeAt(i))) return fail('a digit was expected after the decimal point');
      while (isDigit(text.charCodeAt(i))) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!isDigit(text.charCodeAt(i))) return fail('a digit was expected in the exponent');
      while (isDigit(text.charCodeAt(i))) i++;
    }
    return null;
  };

  const literal = (word: string): JsonSyntaxError | null => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return null;
    }
    return fail(VALUE_EXPECTED, /^\w{1,20}/.exec(text.slice(i, i + 20))![0]);
  };

  /** One scalar, or the opening of an array or object (pushed on the stack). */
  const stack: ('[' | '{')[] = [];
  const value = (): JsonSyntaxError | 'open' | null => {
    skipSpace();
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      return 'open';
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (nonFinite) {
      const token = NON_FINITE_TOKENS.find((w) => text.startsWith(w, i));
      if (token !== undefined) return literal(token);
    }
    if (c === '-' || isDigit(text.charCodeAt(i))) return number();
    // A word (NaN, Infinity, undefined, True) is named whole.
    return fail(VALUE_EXPECTED, /^[A-Za-z_]\w{0,19}/.exec(text.slice(i, i + 20))?.[0] ?? text[i]);
  };

  /** After `{` or `,` in an object: a key, a colon, then a value. */
  const member = (): JsonSyntaxError | 'open' | null => {
    skipSpace();
    if (text[i] !== '"') return fail('a property name in double quotes was expected');
    const e = string();
    if (e) return e;
    skipSpace();
    if (text[i] !== ':') return fail("a ':' was expected after the property name");
    i++;
    return value();
  };

  let step = value();
  for (;;) {
    if (step !== null && step !== 'open') return step;
    if (step === 'open') {
      // Just opened: it may close at once.
      skipSpace();
      const top = stack[stack.length - 1];
      if (text[i] === (top === '[' ? ']' : '}')) {
        i++;
        stack.pop();
      } else {
        step = top === '[' ? value() : member();
        continue;
      }
    }
    if (stack.length === 0) break;
    skipSpace();
    const top = stack[stack.length - 1];
    const close = top === '[' ? ']' : '}';
    if (text[i] === ',') {
      i++;
      step = top === '[' ? value() : member();
      continue;
    }
    if (text[i] === close) {
      i++;
      stack.pop();
      step = null;
      continue;
    }
    return fail(`a ',' or '${close}' was expected`);
  }
  skipSpace();
  if (i < n) return { offset: i, problem: `unexpected text after the end of the JSON value: ${JSON.stringify(text.slice(i, i + 10))}`, atEnd: false };
  return null;
}

/**
 * XGBoost writes NaN, Infinity and -Infinity as bare tokens (e.g. the split conditions of categorical
 * splits in 1.4–2.0), which XGBoost reads and JSON does not. Model files only are read with them: each
 * becomes a marker string (a NUL character and the token, which no model file holds) that `nonFiniteValue`
 * turns back into the number.
 */
const NON_FINITE_TOKENS = ['-Infinity', 'Infinity', 'NaN'] as const;
const MARK = '\u0000';
const MARKED: ReadonlyMap<string, number> = new Map([
  [MARK + '-Infinity', -Infinity],
  [MARK + 'Infinity', Infinity],
  [MARK + 'NaN', NaN],
]);

/** `text` with every bare NaN / Infinity / -Infinity outside strings replaced by its marker string; null when there is none. */
export function markNonFiniteTokens(text: string): string | null {
  const parts: string[] = [];
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    if (c !== 0x2d && c !== 0x49 && c !== 0x4e) continue; // '-', 'I', 'N'
    const token = NON_FINITE_TOKENS.find((w) => text.startsWith(w, i));
    if (token === undefined) continue;
    parts.push(text.slice(from, i), JSON.stringify(MARK + token));
    i += token.length - 1;
    from = i + 1;
  }
  if (parts.length === 0) return null;
  parts.push(text.slice(from));
  return parts.join('');
}

/** The number a marker string stands for, or undefined for any other value. */
export function nonFiniteValue(v: unknown): number | undefined {
  return typeof v === 'string' ? MARKED.get(v) : undefined;
}
