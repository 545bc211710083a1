/**
 * A review's settings: from a `*.riskreview.json` project file, from command-line flags, or both
 * (flags win). Paths in a project file are relative to the file.
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { InputError } from './errors';
import { parseJson, READ_LIMITS, readText } from './io';
import { parseProbability, type ProbabilityJson } from './models/riskmodel';
import type { Band, ProbabilityMap } from './models/types';
import { checkProject } from './schema/validate';

/** Whether a feature can change: a static fact of the record, or a dynamic one (a need that can change). */
export type RiskFactor = 'static' | 'dynamic';
/** The way a dynamic feature's value may move from the case's own. */
export type Direction = 'increase' | 'decrease' | 'either';

export interface FeatureNote {
  readonly label?: string;
  readonly description?: string;
  /** A tree model's categorical feature: its categories' names, in code order. */
  readonly categories?: readonly string[];
  /** Unmarked features are static (recourse/rules.ts). */
  readonly riskFactor?: RiskFactor;
  /** Only with `riskFactor: 'dynamic'` (the schema says so). */
  readonly direction?: Direction;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
}

/** What a review looks at: a model file that computes the score, or a score already in use, read from a column. */
export type ScoreSource =
  | {
      readonly kind: 'model';
      readonly modelFile: string;
      /** Feature names in model order, for an XGBoost model saved without them. */
      readonly modelFeatures?: readonly string[];
    }
  | {
      readonly kind: 'column';
      /** The case file's column that holds the score. */
      readonly column: string;
      /** The case columns a surrogate may imitate the score from; default every column that is not the id, outcome, score or a group. */
      readonly inputs?: readonly string[];
      /** Maps the score to a probability (a validation study's table), when the project gives one. */
      readonly probability: ProbabilityMap | null;
    };

export interface ReviewSpec {
  readonly name?: string;
  readonly projectFile?: string;
  readonly source: ScoreSource;
  readonly dataFile: string;
  readonly backgroundFile?: string;
  readonly idColumn: string;
  readonly outcomeColumn?: string;
  /** Group columns; "a*b" (or "a × b") crosses two of them (see data/cases.ts `groupingName`). */
  readonly groupColumns: readonly string[];
  readonly referenceGroups: Readonly<Record<string, string>>;
  readonly threshold?: number;
  readonly bands?: readonly Band[];
  readonly features: Readonly<Record<string, FeatureNote>>;
}

interface ProjectJson {
  name?: string;
  model?: string;
  scoreColumn?: string;
  scoreInputs?: string[];
  scoreProbability?: ProbabilityJson;
  data: string;
  background?: string;
  idColumn: string;
  outcomeColumn?: string;
  groupColumns?: string[];
  referenceGroups?: Record<string, string>;
  modelFeatures?: string[];
  threshold?: number;
  bands?: Band[];
  features?: Record<string, FeatureNote>;
}

export function readProject(file: string): ReviewSpec {
  const json = parseJson(readText(file, READ_LIMITS.project), file);
  checkProject(json, file);
  const p = json as ProjectJson;
  const here = dirname(resolve(file));
  // The schema allows exactly one of "model" and "scoreColumn".
  const source: ScoreSource =
    p.model !== undefined
      ? { kind: 'model', modelFile: resolve(here, p.model), modelFeatures: p.modelFeatures }
      : { kind: 'column', column: p.scoreColumn!, inputs: p.scoreInputs, probability: parseProbability(p.scoreProbability, file, '"scoreProbability"') };
  return {
    name: p.name,
    projectFile: resolve(file),
    source,
    dataFile: resolve(here, p.data),
    backgroundFile: p.background === undefined ? undefined : resolve(here, p.background),
    idColumn: p.idColumn,
    outcomeColumn: p.outcomeColumn,
    groupColumns: p.groupColumns ?? [],
    referenceGroups: p.referenceGroups ?? {},
    threshold: p.threshold,
    bands: p.bands,
    features: p.features ?? {},
  };
}

/** What flags may set; each one given replaces the project's. */
export interface SpecOverrides {
  readonly project?: string;
  readonly model?: string;
  /** A score already in use: the case file's column that holds it (instead of a model). */
  readonly scoreColumn?: string;
  readonly data?: string;
  readonly idColumn?: string;
  readonly outcome?: string;
  /** Group columns, first first; given, they replace the project's order (the project's others follow). */
  readonly groups?: readonly string[];
  readonly threshold?: number;
}

function sourceOf(o: SpecOverrides, base: Partial<ReviewSpec>): ScoreSource | undefined {
  if (o.model !== undefined && o.scoreColumn !== undefined) throw new UsageError('give --model FILE or --score-column COL, not both');
  if (o.model !== undefined) return { kind: 'model', modelFile: resolve(o.model), modelFeatures: base.source?.kind === 'model' ? base.source.modelFeatures : undefined };
  if (o.scoreColumn !== undefined) {
    const kept = base.source?.kind === 'column' && base.source.column === o.scoreColumn ? base.source : null;
    return { kind: 'column', column: o.scoreColumn, inputs: kept?.inputs, probability: kept?.probability ?? null };
  }
  return base.source;
}

export function resolveSpec(o: SpecOverrides): ReviewSpec {
  const base: Partial<ReviewSpec> = o.project ? readProject(o.project) : {};
  const source = sourceOf(o, base);
  const dataFile = o.data ? resolve(o.data) : base.dataFile;
  const idColumn = o.idColumn ?? base.idColumn;
  const missing = [!source && '--model (or --score-column)', !dataFile && '--data', !idColumn && '--id-column'].filter(Boolean);
  if (missing.length) throw new UsageError(`give --project FILE, or ${missing.join(', ')}`);
  const given = o.groups ?? [];
  const groupColumns = [...given, ...(base.groupColumns ?? []).filter((g) => !given.includes(g))];
  return {
    features: {},
    referenceGroups: {},
    ...base,
    source: source!,
    dataFile: dataFile!,
    idColumn: idColumn!,
    outcomeColumn: o.outcome ?? base.outcomeColumn,
    groupColumns,
    threshold: o.threshold ?? base.threshold,
  };
}

/** The model file a review reads, or an error saying that a score read from a column has none (for what needs a model). */
export function modelFileOf(spec: ReviewSpec, need: string): string {
  if (spec.source.kind === 'model') return spec.source.modelFile;
  return noModel(spec, need);
}

/** The error for what `need`s a model in a review of a score read from a column. */
export function noModel(spec: ReviewSpec, need: string): never {
  const column = spec.source.kind === 'column' ? spec.source.column : '?';
  throw new InputError(`${need} needs a model, and this review audits a score already in use (column "${column}"): no model computes it, so there is nothing to take apart`, { file: spec.dataFile });
}

/** The path with symbolic links resolved as far as it exists (a file not there yet keeps its own name). */
function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return resolve(file);
  }
}

/**
 * Refuses a project that names a file outside its own folder (after following symbolic links). The
 * extension asks this in a workspace VS Code does not trust: a project from elsewhere must not make Risk
 * Review read, score and show a file of the user's from anywhere on the disk (`../../.ssh/…`).
 */
export function confineToProjectFolder(spec: ReviewSpec): void {
  if (spec.projectFile === undefined) return;
  const folder = realPath(dirname(spec.projectFile));
  const named: [string, string | undefined][] = [
    ['model', spec.source.kind === 'model' ? spec.source.modelFile : undefined],
    ['case file', spec.dataFile],
    ['background file', spec.backgroundFile],
  ];
  for (const [what, file] of named) {
    if (file === undefined) continue;
    const rel = relative(folder, realPath(file));
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new InputError(`names a ${what} outside the project's folder (${file}); in a workspace VS Code does not trust, a project may only name files in its own folder. Trust the workspace, or move the file next to the project`, { file: spec.projectFile });
    }
  }
}

/** A command used wrongly (exit 2), as opposed to bad input (exit 1). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
