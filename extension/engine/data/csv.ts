/**
 * Reads a case file into columns: a column whose every value is a number or missing becomes a
 * `Float64Array` (`NaN` = missing), any other column keeps its text. Empty cells, `NA` and `NaN` are
 * missing, as in XGBoost and pandas. csv-parse does the CSV grammar (quotes, CRLF, BOM; csv-rows.ts);
 * a large file is read in parts on worker threads (csv-parallel.ts) and put together here, with the
 * same columns, lines and errors as one thread would give.
 */
import { availableParallelism } from 'node:os';
import { InputError } from '../errors';
import { checkUtf8, readBytes, READ_LIMITS } from '../io';
import { readPartsInParallel, splitAtRecords } from './csv-parallel';
import { columnTexts, parseRecords, readRows, type CsvInput, type Rows, type RowsColumn, type RowsInput } from './csv-rows';

export { isMissing, parseNumber } from './numbers';
export { MAX_RECORD_SIZE, type CsvInput } from './csv-rows';

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

/** Below this many bytes a part, reading on the calling thread is quicker than starting a worker. */
const MIN_PART_BYTES = 8 * 2 ** 20;
const MAX_THREADS = 8;

export interface CsvReadOptions {
  /**
   * Threads to read with; default: one per 8 MiB of bytes, up to the machine's parallelism (at most 8).
   * Text is always read on the calling thread; only bytes are cut into parts.
   */
  readonly threads?: number;
}

function threadsFor(input: CsvInput, asked: number | undefined): number {
  if (typeof input === 'string') return 1;
  if (asked !== undefined) return Math.max(1, Math.floor(asked));
  return Math.max(1, Math.min(availableParallelism(), MAX_THREADS, Math.floor(input.length / MIN_PART_BYTES)));
}

/** The file cut after its header into `threads` parts and read in parallel; null when it cannot be cut. */
function readInParts(bytes: Uint8Array, file: string, textColumns: readonly string[], threads: number): { parts: RowsInput[]; rows: Rows[] } | null {
  const first: { header?: string[]; end: number } = { end: 0 };
  parseRecords(bytes, file, 0, (fields, _line, end) => {
    first.header = fields;
    first.end = end;
    return false;
  });
  const { header, end: headerEnd } = first;
  // Parts start after a "\n"; a file whose lines end in a lone "\r" (or of one line) is read whole.
  if (header === undefined || bytes[headerEnd - 1] !== 0x0a) return null;
  const recordDelimiter = bytes[headerEnd - 2] === 0x0d ? '\r\n' : '\n';
  const split = splitAtRecords(bytes, headerEnd, threads, recordDelimiter);
  if (split.starts.length === 0) return null;
  const bounds = [0, ...split.starts, bytes.length];
  const parts = split.starts.map((start, k) => ({ input: bytes.subarray(start, bounds[k + 2]), hasHeader: false, recordDelimiter }));
  const head = { input: bytes.subarray(0, split.starts[0]), hasHeader: true };
  const rows = readPartsInParallel([head.input, ...parts.map((p) => p.input)], split.linesBefore, file, textColumns, header, recordDelimiter);
  return { parts: [head, ...parts], rows };
}

/**
 * The table of a whole file from the rows of its parts. A column is text when any part found text in
 * it; rows that a part had stored as numbers before then are read again for their text (once per part).
 */
function tableOf(file: string, parts: readonly RowsInput[], rows: readonly Rows[]): CsvTable {
  const header = rows[0].header;
  if (header.length === 0) throw new InputError('is empty: a header row and at least one case are needed', { file });
  const n = rows.reduce((sum, r) => sum + r.rowCount, 0);
  if (n === 0) throw new InputError('has a header but no cases', { file });

  const isText = header.map((_, j) => rows.some((r) => r.columns[j].kind === 'text'));
  const numericRows = (k: number, j: number) => {
    const c = rows[k].columns[j];
    return c.kind === 'number' ? rows[k].rowCount : c.numericRows;
  };
  const early = rows.map((_, k) => {
    const needed = header.map((_, j) => j).filter((j) => isText[j] && numericRows(k, j) > 0);
    if (needed.length === 0) return new Map<number, string[]>();
    const texts = columnTexts(parts[k], file, needed, Math.max(...needed.map((j) => numericRows(k, j))));
    return new Map(needed.map((j, i) => [j, texts[i]]));
  });

  const columns = new Map<string, Column>();
  header.forEach((h, j) => {
    if (isText[j]) {
      const only = rows[0].columns[j];
      if (rows.length === 1 && only.kind === 'text' && only.numericRows === 0) columns.set(h, { kind: 'text', text: only.text });
      else {
        const text: string[] = [];
        rows.forEach((r, k) => {
          const c = r.columns[j];
          const before = early[k].get(j);
          for (let i = 0; i < numericRows(k, j); i++) text.push(before![i]);
          if (c.kind === 'text') for (const s of c.text) text.push(s);
        });
        columns.set(h, { kind: 'text', text });
      }
      return;
    }
    const values = rows.length === 1 ? (rows[0].columns[j] as { values: Float64Array }).values : new Float64Array(n);
    if (rows.length > 1) {
      let offset = 0;
      rows.forEach((r) => {
        values.set((r.columns[j] as { values: Float64Array }).values, offset);
        offset += r.rowCount;
        // The part's copy is done with: let it go now, so that a large file is never held twice over.
        (r.columns as (RowsColumn | null)[])[j] = null;
      });
    }
    columns.set(h, { kind: 'number', values });
  });

  const lines = new Uint32Array(n);
  let offset = 0;
  for (const r of rows) {
    lines.set(r.lines, offset);
    offset += r.rowCount;
  }
  return tableFrom(file, header, lines, columns);
}

/**
 * The table over its columns. Made here, apart from `tableOf`, so that the table's functions hold on to
 * its columns only: closures made inside `tableOf` would keep its whole scope, and with it the file's
 * bytes, alive as long as the table.
 */
function tableFrom(file: string, header: readonly string[], lines: Uint32Array, columns: ReadonlyMap<string, Column>): CsvTable {
  return {
    file,
    header,
    rowCount: lines.length,
    lines,
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

/**
 * @param textColumns columns kept as text even when they look numeric (ids: "007" must stay "007").
 */
export function parseCsv(input: CsvInput, file: string, textColumns: readonly string[] = [], options: CsvReadOptions = {}): CsvTable {
  const threads = threadsFor(input, options.threads);
  const inParts = threads > 1 ? readInParts(input as Uint8Array, file, textColumns, threads) : null;
  if (inParts) return tableOf(file, inParts.parts, inParts.rows);
  return tableOf(file, [{ input, hasHeader: true }], [readRows(input, file, textColumns)]);
}

export function readCsv(file: string, textColumns: readonly string[] = [], options: CsvReadOptions = {}): CsvTable {
  return parseCsv(checkUtf8(readBytes(file, READ_LIMITS.cases), file), file, textColumns, options);
}
