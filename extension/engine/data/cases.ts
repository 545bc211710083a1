/**
 * Binds a case file to a model: the feature matrix in model order, the case ids, and, when asked, the
 * known outcome and the group columns. Every value that does not fit is reported with its line, column
 * and text, because that is what the person fixing the export needs.
 */
import { InputError } from '../errors';
import type { FeatureInfo } from '../models/types';
import { isMissing, parseNumber, type Column, type CsvTable } from './csv';
import { idKey } from './ids';

export const UNKNOWN_OUTCOME = -1;
export const MISSING_GROUP = '(missing)';

/**
 * The groups of one column, or of two crossed ("sex × race": every pair of their groups that occurs, such
 * as "Female × Hispanic"), which is how the groups of an intersection are compared like any others.
 */
export interface GroupColumn {
  /** The column's name, or for two crossed "a × b". */
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
  /** A score already in use, read from its column (see models/types.ts `ScoreColumnModel`); null otherwise. */
  readonly deployedScores: Float64Array | null;
  readonly lines: Uint32Array;
  indexOf(id: string): number;
}

export interface CaseColumns {
  readonly idColumn: string;
  readonly outcomeColumn?: string;
  /** Column names; "a*b" or "a × b" crosses two (`groupingParts`). */
  readonly groupColumns?: readonly string[];
  readonly scoreColumn?: string;
}

export const CROSS = ' × ';

/** The columns a grouping names: ["sex"] for "sex", ["sex", "race"] for "sex*race" or "sex × race". */
export function groupingParts(name: string): string[] {
  const parts = name.split(/\s*[*×]\s*/);
  return parts.length === 2 && parts.every((p) => p !== '') ? parts : [name];
}

/**
 * A review's groupings: the columns named, and when two or more plain columns are named (none crossed),
 * also the intersection of the first two, so that people are compared as, say, girls of each race too.
 */
export function withIntersection(names: readonly string[]): string[] {
  const simple = names.filter((n) => groupingParts(n).length === 1);
  return simple.length >= 2 && simple.length === names.length ? [...names, `${simple[0]}*${simple[1]}`] : [...names];
}

/** A grouping's canonical name: "sex × race" for "sex*race". */
export function groupingName(name: string): string {
  return groupingParts(name).join(CROSS);
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
    const key = idKey(id);
    const first = index.get(key);
    if (first !== undefined) {
      const how = ids[first] === id ? '' : ` as "${ids[first]}", which differs only in how its accents are encoded (Unicode NFC), so it is the same id`;
      throw new InputError(`case id "${id}" appears twice (also on line ${table.lines[first]}${how})`, { file: table.file, line: table.lines[i], column: idColumn });
    }
    index.set(key, i);
    ids[i] = id;
  }
  return { ids, index };
}

function readFeature(table: CsvTable, f: FeatureInfo, j: number, m: number, x: Float64Array): void {
  const col = requireColumn(table, f.name, 'a feature the model needs');
  const n = table.rowCount;
  if (f.categories) {
    const code = new Map(f.categories.map((c, k) => [c, k]));
    const codeOf = (s: string) => {
      if (!f.codedCategories) return code.get(s);
      const v = categoryCode(s);
      return v !== undefined && v < f.categories!.length ? v : undefined;
    };
    for (let i = 0; i < n; i++) {
      const s = table.cell(i, f.name).trim();
      if (isMissing(s)) {
        x[i * m + j] = NaN;
        continue;
      }
      const k = codeOf(s);
      if (k === undefined) throw new InputError(unknownCategory(f, s), { file: table.file, line: table.lines[i], column: f.name });
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

/** Category codes a case file may give for a feature whose categories have no names: whole numbers below this. */
export const MAX_CATEGORY_CODES = 65536;

/** The code a cell gives ("2", "2.0"), or undefined when it is not a whole number in [0, MAX_CATEGORY_CODES). */
function categoryCode(s: string): number | undefined {
  const v = parseNumber(s);
  return v !== undefined && Number.isInteger(v) && v >= 0 && v < MAX_CATEGORY_CODES ? v : undefined;
}

function unknownCategory(f: FeatureInfo, s: string): string {
  const shown = s.length > 40 ? s.slice(0, 40) + '…' : s;
  if (!f.codedCategories) return `"${shown}" is not one of the categories the model knows (${f.categories!.join(', ')})`;
  return `"${shown}" is not a category code (a whole number from 0 to ${(MAX_CATEGORY_CODES - 1).toLocaleString('en-US')}): the model names no categories for "${f.name}", so cases give its codes — or the project names them (features → "${f.name}" → categories) and cases give the names`;
}

/**
 * Features whose categories are only codes (`codedCategories`) with every code the table holds: the
 * model's splits name some codes, and a code no split names is still a category the model was trained
 * with (XGBoost sends it left at every split, LightGBM right), so the case file's codes are all kept.
 */
export function withCodesIn(features: readonly FeatureInfo[], table: CsvTable): readonly FeatureInfo[] {
  return features.map((f) => {
    if (!f.codedCategories || !table.column(f.name)) return f;
    let count = f.categories!.length;
    for (let i = 0; i < table.rowCount; i++) {
      const code = categoryCode(table.cell(i, f.name).trim());
      if (code !== undefined && code >= count) count = code + 1;
    }
    return count === f.categories!.length ? f : { ...f, categories: Array.from({ length: count }, (_, k) => String(k)) };
  });
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

/** The grouping `name` bound in `cases` ("sex*race" finds "sex × race"), or undefined. */
export function groupColumnOf(cases: Pick<CaseSet, 'groups'>, name: string): GroupColumn | undefined {
  return cases.groups.find((g) => g.column === name) ?? cases.groups.find((g) => g.column === groupingName(name));
}

/** Two group columns crossed: one group per pair of groups that occurs, labelled "a-group × b-group". */
export function crossGroups(a: GroupColumn, b: GroupColumn): GroupColumn {
  const n = a.codes.length;
  const seen = new Map<number, number>();
  const pairs: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = a.codes[i] * b.labels.length + b.codes[i];
    if (!seen.has(key)) {
      seen.set(key, -1);
      pairs.push(key);
    }
  }
  const label = (key: number) => `${a.labels[Math.floor(key / b.labels.length)]}${CROSS}${b.labels[key % b.labels.length]}`;
  pairs.sort((p, q) => (label(p) < label(q) ? -1 : label(p) > label(q) ? 1 : 0));
  pairs.forEach((key, k) => seen.set(key, k));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = seen.get(a.codes[i] * b.labels.length + b.codes[i])!;
  return { column: `${a.column}${CROSS}${b.column}`, labels: pairs.map(label), codes };
}

/** A grouping: one column, or two crossed. A column that exists under the name as written wins. */
function readGrouping(table: CsvTable, name: string): GroupColumn {
  const parts = table.column(name) ? [name] : groupingParts(name);
  const [a, b] = parts.map((p) => readGroups(table, p));
  return b ? crossGroups(a, b) : a;
}

/** The score column's numbers; a case without one cannot be audited, so a missing value is an error. */
function readDeployedScores(table: CsvTable, name: string): Float64Array {
  const col = requireColumn(table, name, 'the score');
  const out = new Float64Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) {
    const v = numberIn(table, col, name, i);
    if (!Number.isFinite(v)) throw new InputError('the score is missing; every case needs one to be audited', { file: table.file, line: table.lines[i], column: name });
    out[i] = v;
  }
  return out;
}

export function bindCases(table: CsvTable, features: readonly FeatureInfo[], columns: CaseColumns): CaseSet {
  const { ids, index } = readIds(table, columns.idColumn);
  const m = features.length;
  const x = new Float64Array(table.rowCount * m);
  features.forEach((f, j) => readFeature(table, f, j, m, x));
  const outcome = columns.outcomeColumn ? readOutcome(table, columns.outcomeColumn) : null;
  const groups = (columns.groupColumns ?? []).map((g) => readGrouping(table, g));
  return {
    file: table.file,
    n: table.rowCount,
    features,
    ids,
    x,
    outcome,
    outcomeColumn: columns.outcomeColumn ?? null,
    groups,
    deployedScores: columns.scoreColumn === undefined ? null : readDeployedScores(table, columns.scoreColumn),
    lines: table.lines,
    indexOf: (id) => index.get(idKey(id)) ?? -1,
  };
}

/** The index of a case, or an error that says the id is not there. */
export function caseIndex(cases: CaseSet, id: string): number {
  const i = cases.indexOf(id);
  if (i < 0) throw new InputError(`has no case with id "${id}"`, { file: cases.file });
  return i;
}
