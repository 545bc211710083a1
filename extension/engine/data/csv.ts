/**
 * Reads a case file into columns. csv-parse does the CSV grammar (quotes, CRLF, BOM); this module keeps
 * the result columnar so that a million rows cost typed arrays, not a million row objects:
 * a column whose every value is a number or missing becomes a `Float64Array` (`NaN` = missing), any
 * other column keeps its text. Empty cells, `NA` and `NaN` are missing, as in XGBoost and pandas.
 */
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors';
import { checkUtf8, readBytes } from '../io';

export type Column =
  | { readonly kind: 'number'; readonly values: Float64Array; readonly text?: undefined }
  | { readonly kind: 'text'; readonly values?: undefined; readonly text: readonly string[] };

export interface CsvTable {
  readonly file: string;
  readonly header: readonly string[];
  readonly rowCount: number;
  /** 1-based line of each row in the file, for messages. */
  readonly lines: Uint32Array;
  column(name: string): Column | undefined;
  /** The text of a cell as it was in the file. */
  cell(row: number, name: string): string;
}

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

/**
 * CSV text, or its bytes once they are known to be UTF-8 (`checkUtf8`): csv-parse reads bytes, so
 * handing it the file's own buffer spares decoding the whole file into a string and encoding it back.
 */
export type CsvInput = string | Uint8Array;

/** The longest record read, in characters; a longer one is refused, not read into memory. */
export const MAX_RECORD_SIZE = 1_000_000;

/** Grows a Float64Array while all values are numbers; falls back to text from the first non-number on. */
class ColumnBuilder {
  numbers: Float64Array = new Float64Array(1024);
  text: string[] | null;
  length = 0;
  constructor(asText: boolean) {
    this.text = asText ? [] : null;
  }

  push(s: string): void {
    if (this.text) {
      this.text.push(s);
      this.length++;
      return;
    }
    const v = parseNumber(s);
    if (v === undefined) {
      this.text = [];
      this.pendingTextFrom = this.length;
      this.text.push(s);
      this.length++;
      return;
    }
    if (this.length === this.numbers.length) {
      const grown = new Float64Array(this.numbers.length * 2);
      grown.set(this.numbers);
      this.numbers = grown;
    }
    this.numbers[this.length++] = v;
  }
  /** Row where the column turned to text; rows before it need their original text (second pass). */
  pendingTextFrom = -1;
}

/** csv-parse's error as ours; `overcount` is the correction of its line count so far (see parseRecords). */
function csvError(e: unknown, file: string, headerLength: number | undefined, overcount: number): InputError {
  const err = e as { code?: string; lines?: number; message?: string; record?: unknown[]; column?: number };
  const line = typeof err.lines === 'number' ? err.lines - overcount : undefined;
  switch (err.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_DONT_MATCH_COLUMNS_LENGTH': {
      const got = Array.isArray(err.record) ? err.record.length : undefined;
      return new InputError(`has ${got ?? 'a different number of'} fields where the header has ${headerLength ?? 'another number'}`, { file, line });
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return new InputError('has a quoted field that is never closed', { file, line });
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new InputError('has a quote in the middle of a field (quote the whole field and double inner quotes)', { file, line });
    case 'CSV_MAX_RECORD_SIZE':
      return new InputError(`has a row longer than Risk Review reads (${MAX_RECORD_SIZE.toLocaleString('en-US')} characters)`, { file, line });
    default:
      return new InputError(`cannot be read as CSV (${err.message ?? String(e)})`, { file, line });
  }
}

/** How many "\r\n" pairs the fields of a record hold (inside quotes: a record delimiter would have ended it). */
function crlfInside(record: readonly string[]): number {
  let count = 0;
  for (const field of record) {
    for (let k = field.indexOf('\r\n'); k >= 0; k = field.indexOf('\r\n', k + 2)) count++;
  }
  return count;
}

/**
 * Calls `onRecord` with every record after the header, and its line: the file's line where the record
 * ends (records may span lines inside quotes), counted as editors count, "\r\n", "\n" or a lone "\r"
 * each ending one line. csv-parse's record context gives the line, except that it counts a "\r\n"
 * inside a quoted field as two; that is corrected here, looking only at records that span lines.
 * (Asking csv-parse for `info: true` as well would build the context twice per record.)
 */
function parseRecords(input: CsvInput, file: string, onRecord: (fields: string[], line: number, header: readonly string[]) => void): string[] {
  let header: string[] | null = null;
  let previous = 0;
  let overcount = 0;
  try {
    parse(input, {
      bom: true,
      relax_column_count: false,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_SIZE,
      on_record: (record: string[], context: { lines: number }) => {
        if (context.lines - previous > 1) overcount += crlfInside(record);
        previous = context.lines;
        if (header === null) header = record;
        else onRecord(record, context.lines - overcount, header);
        return null; // keep nothing: the columns are built as rows pass
      },
    } as never);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw csvError(e, file, (header as string[] | null)?.length, overcount);
  }
  return header ?? [];
}

/**
 * @param textColumns columns kept as text even when they look numeric (ids: "007" must stay "007").
 */
export function parseCsv(text: CsvInput, file: string, textColumns: readonly string[] = []): CsvTable {
  let builders: ColumnBuilder[] = [];
  let lines = new Uint32Array(1024);
  let n = 0;
  const header = parseRecords(text, file, (fields, line, names) => {
    if (n === 0) builders = names.map((name) => new ColumnBuilder(textColumns.includes(name)));
    for (let j = 0; j < fields.length; j++) builders[j].push(fields[j]);
    if (n === lines.length) {
      const grown = new Uint32Array(lines.length * 2);
      grown.set(lines);
      lines = grown;
    }
    lines[n++] = line;
  });
  if (header.length === 0) throw new InputError('is empty: a header row and at least one case are needed', { file });
  if (n === 0) throw new InputError('has a header but no cases', { file });
  const seen = new Map<string, number>();
  header.forEach((h, j) => {
    if (h.trim() === '') throw new InputError(`column ${j + 1} of the header has no name`, { file, line: 1 });
    if (seen.has(h)) throw new InputError(`the header names "${h}" twice (columns ${seen.get(h)! + 1} and ${j + 1})`, { file, line: 1 });
    seen.set(h, j);
  });

  // Columns that turned to text after some numeric rows need those rows' original text: read once more.
  const late = builders.map((b, j) => (b.text && b.pendingTextFrom > 0 ? j : -1)).filter((j) => j >= 0);
  if (late.length > 0) {
    const early = late.map((j) => new Array<string>(builders[j].pendingTextFrom));
    let row = 0;
    parseRecords(text, file, (fields) => {
      late.forEach((j, k) => {
        if (row < builders[j].pendingTextFrom) early[k][row] = fields[j];
      });
      row++;
    });
    late.forEach((j, k) => {
      builders[j].text = early[k].concat(builders[j].text!);
    });
  }

  const columns = new Map<string, Column>();
  header.forEach((h, j) => {
    const b = builders[j];
    columns.set(h, b.text ? { kind: 'text', text: b.text } : { kind: 'number', values: b.numbers.subarray(0, n) });
  });
  return {
    file,
    header,
    rowCount: n,
    lines: lines.subarray(0, n),
    column: (name) => columns.get(name),
    cell(row, name) {
      const c = columns.get(name);
      if (!c) return '';
      if (c.kind === 'text') return c.text[row];
      const v = c.values[row];
      return v !== v ? '' : String(v);
    },
  };
}

export function readCsv(file: string, textColumns: readonly string[] = []): CsvTable {
  return parseCsv(checkUtf8(readBytes(file), file), file, textColumns);
}
