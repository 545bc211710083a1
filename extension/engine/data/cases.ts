/**
 * Binds a case file to a model: the feature matrix in model order, the case ids, and, when asked, the
 * known outcome and the group columns. Every value that does not fit is reported with its line, column
 * and text, because that is what the person fixing the export needs.
 */
import { InputError } from '../errors';
import type { FeatureInfo } from '../models/types';
import { isMissing, parseNumber, type Column, type CsvTable } from './csv';

export const UNKNOWN_OUTCOME = -1;
export const MISSING_GROUP = '(missing)';

export interface GroupColumn {
  readonly column: string;
  /** Distinct groups, sorted. */
  readonly labels: readonly string[];
  /** Index into `labels` for every case. */
  readonly codes: Int32Array;
}

export interface CaseSet {
  readonly file: string;
  readonly n: number;
  readonly features: readonly FeatureInfo[];
  readonly ids: readonly string[];
  /** Row-major n × features.length; NaN = missing; category index for categorical features. */
  readonly x: Float64Array;
  /** 1, 0, or UNKNOWN_OUTCOME; null when no outcome column was named. */
  readonly outcome: Int8Array | null;
  readonly outcomeColumn: string | null;
  readonly groups: readonly GroupColumn[];
  readonly lines: Uint32Array;
  indexOf(id: string): number;
}

export interface CaseColumns {
  readonly idColumn: string;
  readonly outcomeColumn?: string;
  readonly groupColumns?: readonly string[];
}

export function requireColumn(table: CsvTable, name: string, role: string): Column {
  const c = table.column(name);
  if (!c) {
    throw new InputError(`has no column "${name}" (${role}); its columns are: ${table.header.join(', ')}`, { file: table.file });
  }
  return c;
}

function readIds(table: CsvTable, idColumn: string): { ids: string[]; index: Map<string, number> } {
  requireColumn(table, idColumn, 'the case id');
  const ids = new Array<string>(table.rowCount);
  const index = new Map<string, number>();
  for (let i = 0; i < table.rowCount; i++) {
    const id = table.cell(i, idColumn).trim();
    if (id === '') throw new InputError('the case id is empty', { file: table.file, line: table.lines[i], column: idColumn });
    const first = index.get(id);
    if (first !== undefined) {
      throw new InputError(`case id "${id}" appears twice (also on line ${table.lines[first]})`, { file: table.file, line: table.lines[i], column: idColumn });
    }
    index.set(id, i);
    ids[i] = id;
  }
  return { ids, index };
}

function readFeature(table: CsvTable, f: FeatureInfo, j: number, m: number, x: Float64Array): void {
  const col = requireColumn(table, f.name, 'a feature the model needs');
  const n = table.rowCount;
  if (f.categories) {
    const code = new Map(f.categories.map((c, k) => [c, k]));
    for (let i = 0; i < n; i++) {
      const s = table.cell(i, f.name).trim();
      if (isMissing(s)) {
        x[i * m + j] = NaN;
        continue;
      }
      const k = code.get(s);
      if (k === undefined) {
        throw new InputError(`"${s}" is not one of the categories the model knows (${f.categories.join(', ')})`, { file: table.file, line: table.lines[i], column: f.name });
      }
      x[i * m + j] = k;
    }
    return;
  }
  if (col.kind === 'number') {
    for (let i = 0; i < n; i++) x[i * m + j] = col.values[i];
    return;
  }
  for (let i = 0; i < n; i++) x[i * m + j] = numberIn(table, col, f.name, i);
}

/** Row i of a numeric column: its number, NaN when missing; a word there is an error naming the row, column and text. */
export function numberIn(table: CsvTable, col: Column, name: string, i: number): number {
  if (col.kind === 'number') return col.values[i];
  const s = col.text[i];
  const v = parseNumber(s);
  if (v === undefined) {
    throw new InputError(`"${s.length > 40 ? s.slice(0, 40) + '…' : s}" is not a number`, { file: table.file, line: table.lines[i], column: name });
  }
  return v;
}

/** 1 / 0 from "1", "0", "true", "false" (any case); UNKNOWN_OUTCOME when empty. */
export function parseOutcome(s: string): number | undefined {
  const t = s.trim().toLowerCase();
  if (t === '1' || t === 'true' || t === '1.0') return 1;
  if (t === '0' || t === 'false' || t === '0.0') return 0;
  if (t === '' || t === 'na' || t === 'nan') return UNKNOWN_OUTCOME;
  return undefined;
}

function readOutcome(table: CsvTable, name: string): Int8Array {
  requireColumn(table, name, 'the outcome');
  const out = new Int8Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) {
    const s = table.cell(i, name);
    const v = parseOutcome(s);
    if (v === undefined) throw new InputError(`the outcome "${s}" is not 0/1 or true/false`, { file: table.file, line: table.lines[i], column: name });
    out[i] = v;
  }
  return out;
}

function readGroups(table: CsvTable, name: string): GroupColumn {
  requireColumn(table, name, 'a group column');
  const raw = new Array<string>(table.rowCount);
  const distinct = new Set<string>();
  for (let i = 0; i < table.rowCount; i++) {
    const s = table.cell(i, name).trim() || MISSING_GROUP;
    raw[i] = s;
    distinct.add(s);
  }
  const labels = [...distinct].sort();
  const index = new Map(labels.map((l, k) => [l, k]));
  return { column: name, labels, codes: Int32Array.from(raw, (s) => index.get(s)!) };
}

export function bindCases(table: CsvTable, features: readonly FeatureInfo[], columns: CaseColumns): CaseSet {
  const { ids, index } = readIds(table, columns.idColumn);
  const m = features.length;
  const x = new Float64Array(table.rowCount * m);
  features.forEach((f, j) => readFeature(table, f, j, m, x));
  const outcome = columns.outcomeColumn ? readOutcome(table, columns.outcomeColumn) : null;
  const groups = (columns.groupColumns ?? []).map((g) => readGroups(table, g));
  return {
    file: table.file,
    n: table.rowCount,
    features,
    ids,
    x,
    outcome,
    outcomeColumn: columns.outcomeColumn ?? null,
    groups,
    lines: table.lines,
    indexOf: (id) => index.get(id) ?? -1,
  };
}

/** The index of a case, or an error that says the id is not there. */
export function caseIndex(cases: CaseSet, id: string): number {
  const i = cases.indexOf(id);
  if (i < 0) throw new InputError(`has no case with id "${id}"`, { file: cases.file });
  return i;
}
