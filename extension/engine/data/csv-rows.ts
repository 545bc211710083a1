/**
 * Reading one run of CSV records into columns: the work every CSV reader thread does, on the whole
 * file or on one part of it (csv.ts puts the parts together). csv-parse does the CSV grammar (quotes,
 * CRLF, BOM); this module keeps the result columnar, so that a million rows cost typed arrays, not a
 * million row objects.
 */
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors';
import { parseNumber } from './numbers';

/**
 * CSV text, or its bytes once they are known to be UTF-8 (`checkUtf8`): csv-parse reads bytes, so
 * handing it the file's own buffer spares decoding the whole file into a string and encoding it back.
 */
export type CsvInput = string | Uint8Array;

/** The longest record read, in characters; a longer one is refused, not read into memory. */
export const MAX_RECORD_SIZE = 1_000_000;

/**
 * A column of a run of rows: numbers while every value is a number or missing; else its text, and how
 * many rows at its start were stored as numbers before a non-number came (their text must be read again).
 */
export type RowsColumn = { readonly kind: 'number'; readonly values: Float64Array } | { readonly kind: 'text'; readonly text: string[]; readonly numericRows: number };

export interface Rows {
  readonly header: readonly string[];
  readonly rowCount: number;
  /** Line of each row in the file (1-based). */
  readonly lines: Uint32Array;
  readonly columns: readonly RowsColumn[];
}

/** Distinct texts a column may have for its repeated values to share strings (a million cells of "Female" are one string). */
const MAX_SHARED = 1024;

/**
 * A typed array of `n` values from one that may be a little longer: the array itself when it is the
 * right length, a view when the spare end is small (no second copy of a large column at its peak), else
 * a copy that lets the long one go.
 */
function trimmed<T extends Float64Array | Uint32Array>(a: T, n: number): T {
  if (a.length === n) return a;
  return (a.length - n <= a.length / 64 ? a.subarray(0, n) : a.slice(0, n)) as T;
}

/** Lines in the input (line feeds, plus one): at least its records, so arrays sized by it rarely grow. */
function lineCount(input: CsvInput): number {
  let count = 1;
  if (typeof input === 'string') for (let at = input.indexOf('\n'); at >= 0; at = input.indexOf('\n', at + 1)) count++;
  else for (let at = input.indexOf(0x0a); at >= 0; at = input.indexOf(0x0a, at + 1)) count++;
  return count;
}

/**
 * Fills a Float64Array while all values are numbers; falls back to text from the first non-number on.
 * The array starts at the input's line count, so a column of a million numbers is allocated once
 * rather than doubled twenty times (and copied, and held twice at the end).
 */
class ColumnBuilder {
  numbers: Float64Array;
  text: string[] | null;
  length = 0;
  /** Rows stored as numbers before the column turned to text. */
  numericRows = 0;
  constructor(asText: boolean, capacity: number) {
    this.text = asText ? [] : null;
    this.numbers = new Float64Array(asText ? 0 : Math.max(1, capacity));
  }

  /** Text seen so far, so that repeated values (groups, outcomes) share one string; null once there are many (ids). */
  private seen: Map<string, string> | null = new Map();

  push(s: string): void {
    if (this.text) {
      this.text.push(this.shared(s));
      this.length++;
      return;
    }
    const v = parseNumber(s);
    if (v === undefined) {
      this.text = [this.shared(s)];
      this.numericRows = this.length++;
      return;
    }
    if (this.length === this.numbers.length) {
      const grown = new Float64Array(Math.max(1024, this.numbers.length * 2));
      grown.set(this.numbers);
      this.numbers = grown;
    }
    this.numbers[this.length++] = v;
  }

  private shared(s: string): string {
    if (this.seen === null) return s;
    const known = this.seen.get(s);
    if (known !== undefined) return known;
    if (this.seen.size < MAX_SHARED) this.seen.set(s, s);
    else this.seen = null;
    return s;
  }

  column(n: number): RowsColumn {
    return this.text ? { kind: 'text', text: this.text, numericRows: this.numericRows } : { kind: 'number', values: trimmed(this.numbers, n) };
  }
}

/** csv-parse's error as ours, at the line it names less the correction of its line count (see parseRecords). */
function csvError(e: unknown, file: string, lineOffset: number, overcount: number): InputError {
  const err = e as { code?: string; lines?: number; message?: string };
  const line = typeof err.lines === 'number' ? err.lines - overcount + lineOffset : undefined;
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new InputError('has a quoted field that is never closed', { file, line });
    case 'INVALID_OPENING_QUOTE': // csv-parse 7 names this one without its usual prefix
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new InputError('has a quote in the middle of a field (quote the whole field and double inner quotes)', { file, line });
    case 'CSV_MAX_RECORD_SIZE':
      return new InputError(`has a row longer than Risk Review reads (${MAX_RECORD_SIZE.toLocaleString('en-US')} characters)`, { file, line });
    default:
      // csv-parse's own wording names its line count, which for a part of a file is not the file's.
      return new InputError(`cannot be read as CSV (${(err.message ?? String(e)).replace(/,? (at|on) line \d+/g, '')})`, { file, line });
  }
}

/**
 * Lines as editors count them ("\r\n", "\n" or a lone "\r" end a line), found from byte offsets.
 * csv-parse counts every "\r" and "\n" it reads as a line end, so a "\r\n" that is not a record
 * delimiter (inside quotes, or a "\r" before a "\n" delimiter) counts twice there; hence this count.
 * Offsets only grow, so the bytes are scanned once.
 */
function lineCounter(bytes: Uint8Array): (end: number) => number {
  let pos = 0;
  let breaks = 0;
  /** The line of a record whose bytes (with its delimiter, if any) end at `end`. */
  return (end) => {
    for (; pos < end; pos++) {
      const b = bytes[pos];
      if (b === 0x0a || (b === 0x0d && bytes[pos + 1] !== 0x0a)) breaks++;
    }
    const last = bytes[end - 1];
    return last === 0x0a || last === 0x0d ? breaks : breaks + 1;
  };
}

/**
 * Calls `onRecord` with every record and its line: the line where the record ends (records may span
 * lines inside quotes), plus `lineOffset` (the lines before this part of the file). `bytes` is where
 * the record ends in the input (after its delimiter). An error's line is csv-parse's, less the lines it
 * had counted twice up to the last record read.
 */
export function parseRecords(input: CsvInput, file: string, lineOffset: number, onRecord: (fields: string[], line: number, bytes: number) => boolean | void, recordDelimiter?: string): void {
  // csv-parse reads bytes; a string is encoded here once so that its offsets can be counted in lines.
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const lineAt = lineCounter(bytes);
  let overcount = 0;
  try {
    parse(bytes, {
      bom: true,
      relax_column_count: true, // the field count is checked against the header here, part by part
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_SIZE,
      ...(recordDelimiter === undefined ? {} : { record_delimiter: recordDelimiter }),
      on_record: (record: string[], context: { lines: number; bytes: number }) => {
        const line = lineAt(context.bytes);
        overcount = context.lines - line;
        if (onRecord(record, line + lineOffset, context.bytes) === false) throw STOP;
        return null; // keep nothing: the columns are built as rows pass
      },
    } as never);
  } catch (e) {
    if (e === STOP) return;
    if (e instanceof InputError) throw e;
    throw csvError(e, file, lineOffset, overcount);
  }
}

/** Thrown from `onRecord` to stop reading early (csv-parse returns what a callback throws). */
const STOP = Symbol('stop');

export function checkHeader(header: readonly string[], file: string, line: number): void {
  const seen = new Map<string, number>();
  header.forEach((h, j) => {
    if (h.trim() === '') throw new InputError(`column ${j + 1} of the header has no name`, { file, line });
    if (seen.has(h)) throw new InputError(`the header names "${h}" twice (columns ${seen.get(h)! + 1} and ${j + 1})`, { file, line });
    seen.set(h, j);
  });
}

/** How a later part of a file is read: its header is known, and lines come before it. */
export interface PartOptions {
  readonly header: readonly string[];
  readonly lineOffset: number;
  /** The file's record delimiter, as csv-parse found it after the header. */
  readonly recordDelimiter: string;
}

/**
 * The rows of `input` as columns. Without `part`, the first record is the header (the whole file, or
 * its first part); with it, every record is a row.
 *
 * @param textColumns columns kept as text even when they look numeric (ids: "007" must stay "007").
 */
export function readRows(input: CsvInput, file: string, textColumns: readonly string[], part?: PartOptions): Rows {
  let names: readonly string[] | null = part?.header ?? null;
  const capacity = lineCount(input);
  let builders = names?.map((name) => new ColumnBuilder(textColumns.includes(name), capacity)) ?? [];
  let lines = new Uint32Array(capacity);
  let n = 0;
  const onRecord = (fields: string[], line: number) => {
    if (names === null) {
      checkHeader(fields, file, line);
      names = fields;
      builders = names.map((name) => new ColumnBuilder(textColumns.includes(name), capacity));
      return;
    }
    if (fields.length !== names.length) throw new InputError(`has ${fields.length} fields where the header has ${names.length}`, { file, line });
    for (let j = 0; j < fields.length; j++) builders[j].push(fields[j]);
    if (n === lines.length) {
      const grown = new Uint32Array(Math.max(1024, lines.length * 2));
      grown.set(lines);
      lines = grown;
    }
    lines[n++] = line;
  };
  parseRecords(input, file, part?.lineOffset ?? 0, onRecord, part?.recordDelimiter);
  return { header: names ?? [], rowCount: n, lines: trimmed(lines, n), columns: builders.map((b) => b.column(n)) };
}

/** A run of records as read: the whole file, or one part of it. */
export interface RowsInput {
  readonly input: CsvInput;
  /** Whether its first record is the header (the whole file, or its first part). */
  readonly hasHeader: boolean;
  readonly recordDelimiter?: string;
}

/**
 * The text of some columns in the first `rows` rows of a run of records: for columns stored as numbers
 * at first that turned out to be text.
 */
export function columnTexts(from: RowsInput, file: string, columns: readonly number[], rows: number): string[][] {
  const texts = columns.map(() => new Array<string>(rows));
  if (rows === 0) return texts;
  let row = from.hasHeader ? -1 : 0;
  const onRecord = (fields: string[]) => {
    if (row >= 0) columns.forEach((j, k) => (texts[k][row] = fields[j]));
    return ++row < rows;
  };
  parseRecords(from.input, file, 0, onRecord, from.recordDelimiter);
  return texts;
}
