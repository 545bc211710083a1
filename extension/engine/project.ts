/**
 * A review's settings: from a `*.riskreview.json` project file, from command-line flags, or both
 * (flags win). Paths in a project file are relative to the file.
 */
import { dirname, resolve } from 'node:path';
import { parseJson, readText } from './io';
import type { Band } from './models/types';
import { checkProject } from './schema/validate';

export interface FeatureNote {
  readonly label?: string;
  readonly description?: string;
}

export interface ReviewSpec {
  readonly name?: string;
  readonly projectFile?: string;
  readonly modelFile: string;
  readonly dataFile: string;
  readonly backgroundFile?: string;
  readonly idColumn: string;
  readonly outcomeColumn?: string;
  readonly groupColumns: readonly string[];
  readonly referenceGroups: Readonly<Record<string, string>>;
  readonly modelFeatures?: readonly string[];
  readonly threshold?: number;
  readonly bands?: readonly Band[];
  readonly features: Readonly<Record<string, FeatureNote>>;
}

interface ProjectJson {
  name?: string;
  model: string;
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
  const json = parseJson(readText(file), file);
  checkProject(json, file);
  const p = json as ProjectJson;
  const here = dirname(resolve(file));
  return {
    name: p.name,
    projectFile: resolve(file),
    modelFile: resolve(here, p.model),
    dataFile: resolve(here, p.data),
    backgroundFile: p.background === undefined ? undefined : resolve(here, p.background),
    idColumn: p.idColumn,
    outcomeColumn: p.outcomeColumn,
    groupColumns: p.groupColumns ?? [],
    referenceGroups: p.referenceGroups ?? {},
    modelFeatures: p.modelFeatures,
    threshold: p.threshold,
    bands: p.bands,
    features: p.features ?? {},
  };
}

/** What flags may set; each one given replaces the project's. */
export interface SpecOverrides {
  readonly project?: string;
  readonly model?: string;
  readonly data?: string;
  readonly idColumn?: string;
  readonly outcome?: string;
  readonly group?: string;
  readonly threshold?: number;
}

export function resolveSpec(o: SpecOverrides): ReviewSpec {
  const base: Partial<ReviewSpec> = o.project ? readProject(o.project) : {};
  const modelFile = o.model ? resolve(o.model) : base.modelFile;
  const dataFile = o.data ? resolve(o.data) : base.dataFile;
  const idColumn = o.idColumn ?? base.idColumn;
  const missing = [!modelFile && '--model', !dataFile && '--data', !idColumn && '--id-column'].filter(Boolean);
  if (missing.length) throw new UsageError(`give --project FILE, or ${missing.join(', ')}`);
  const groupColumns = o.group ? [o.group, ...(base.groupColumns ?? []).filter((g) => g !== o.group)] : base.groupColumns ?? [];
  return {
    features: {},
    referenceGroups: {},
    ...base,
    modelFile: modelFile!,
    dataFile: dataFile!,
    idColumn: idColumn!,
    outcomeColumn: o.outcome ?? base.outcomeColumn,
    groupColumns,
    threshold: o.threshold ?? base.threshold,
  };
}

/** A command used wrongly (exit 2), as opposed to bad input (exit 1). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
