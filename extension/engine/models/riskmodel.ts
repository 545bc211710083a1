/**
 * Reads Risk Review's own model files (`*.riskmodel.json`): logistic regressions and additive
 * instruments. The JSON Schema in schemas/model.schema.json describes them and is checked first, so the
 * code below only turns valid JSON into the engine's typed form and checks what a schema cannot say
 * (ascending bins, a table that is sorted, impute values only for features the model has).
 */
import { InputError } from '../errors';
import { checkModel } from '../schema/validate';
import { own } from '../own';
import type { Band, FeatureInfo, LogisticModel, ProbabilityMap, ScorecardDomain, ScorecardItem, ScorecardModel } from './types';

interface LogisticJson {
  kind: 'logistic';
  name?: string;
  version?: string;
  intercept: number;
  coefficients: Record<string, number>;
  impute?: Record<string, number>;
  labels?: Record<string, string>;
}

interface ItemJson {
  feature: string;
  label?: string;
  description?: string;
  domain?: string;
  bins?: { below?: number; points: number; label?: string }[];
  categories?: Record<string, number>;
  missingPoints?: number;
}

interface ScorecardJson {
  kind: 'scorecard';
  name?: string;
  version?: string;
  items: ItemJson[];
  bands: Band[];
  probability?: { method: 'logistic'; intercept: number; slope: number } | { method: 'table'; totals: number[]; probabilities: number[] };
}

function defaultName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/**
 * Bands in order, each but the last with a rising `below`, their labels distinct (a label names one band
 * in every summary, filter and override); on a probability score, every `below` within [0, 1].
 */
export function checkBands(bands: readonly Band[], file: string, where: string, probability = false): void {
  const seen = new Set<string>();
  bands.forEach((b, i) => {
    if (seen.has(b.label)) throw new InputError(`${where}: two bands are labelled "${b.label}"; each band needs its own label`, { file });
    seen.add(b.label);
    if (probability && b.below !== undefined && !(b.below >= 0 && b.below <= 1)) {
      throw new InputError(`${where}: band "${b.label}" ends below ${b.below}, but the score is a probability: band edges must be between 0 and 1`, { file });
    }
    const last = i === bands.length - 1;
    if (last !== (b.below === undefined)) {
      throw new InputError(`${where}: every band but the last needs "below", and the last must have none (band "${b.label}")`, { file });
    }
    if (i > 0 && b.below !== undefined && !(b.below > (bands[i - 1].below as number))) {
      throw new InputError(`${where}: band "${b.label}" must start above band "${bands[i - 1].label}" (the "below" values must increase)`, { file });
    }
  });
}

function parseLogistic(json: LogisticJson, file: string): LogisticModel {
  const names = Object.keys(json.coefficients);
  const features: FeatureInfo[] = names.map((name) => ({ name, label: own(json.labels, name) ?? name }));
  const impute = json.impute ?? {};
  for (const name of Object.keys(impute)) {
    if (!Object.hasOwn(json.coefficients, name)) {
      throw new InputError(`"impute" names "${name}", which is not one of the coefficients (${names.join(', ')})`, { file });
    }
  }
  return {
    kind: 'logistic',
    name: json.name ?? defaultName(file),
    version: json.version,
    intercept: json.intercept,
    weights: Float64Array.from(names.map((n) => own(json.coefficients, n)!)),
    impute: Float64Array.from(names.map((n) => own(impute, n) ?? NaN)),
    features,
  };
}

function parseItem(item: ItemJson, file: string): { feature: FeatureInfo; item: ScorecardItem } {
  const where = `item "${item.feature}"`;
  const missingPoints = item.missingPoints ?? null;
  const info = { name: item.feature, label: item.label ?? item.feature, description: item.description };
  if (item.categories) {
    const categories = Object.keys(item.categories);
    return {
      feature: { ...info, categories },
      item: { type: 'categories', points: Float64Array.from(categories.map((c) => own(item.categories, c)!)), missingPoints },
    };
  }
  const bins = item.bins!;
  bins.forEach((b, i) => {
    const last = i === bins.length - 1;
    if (last !== (b.below === undefined)) throw new InputError(`${where}: every bin but the last needs "below", and the last must have none`, { file });
    if (i > 0 && !last && !((b.below as number) > (bins[i - 1].below as number))) throw new InputError(`${where}: the bins' "below" values must increase`, { file });
  });
  return {
    feature: info,
    item: {
      type: 'bins',
      edges: Float64Array.from(bins.slice(0, -1).map((b) => b.below as number)),
      points: Float64Array.from(bins.map((b) => b.points)),
      missingPoints,
    },
  };
}

export type ProbabilityJson = NonNullable<ScorecardJson['probability']>;

/** A mapping from a total (or a score on its own scale) to a probability, checked; `where` names its key. */
export function parseProbability(p: ProbabilityJson | undefined, file: string, where = '"probability"'): ProbabilityMap | null {
  if (!p) return null;
  if (p.method === 'logistic') return p;
  if (p.totals.length !== p.probabilities.length) throw new InputError(`${where}: "totals" and "probabilities" must have the same length`, { file });
  for (let i = 1; i < p.totals.length; i++) {
    if (!(p.totals[i] > p.totals[i - 1])) throw new InputError(`${where}: "totals" must increase`, { file });
  }
  return { method: 'table', totals: Float64Array.from(p.totals), probabilities: Float64Array.from(p.probabilities) };
}

/** Every item in a domain, or none: an instrument's sub-scales partition its items. */
function parseDomains(items: readonly ItemJson[], file: string): ScorecardDomain[] {
  const without = items.filter((it) => it.domain === undefined).map((it) => `"${it.feature}"`);
  if (without.length === items.length) return [];
  if (without.length > 0) throw new InputError(`some items name a domain and ${without.length === 1 ? 'item' : 'items'} ${without.join(', ')} ${without.length === 1 ? 'does' : 'do'} not: give every item a domain, or none`, { file });
  const domains = new Map<string, number[]>();
  items.forEach((it, j) => {
    const list = domains.get(it.domain!) ?? [];
    list.push(j);
    domains.set(it.domain!, list);
  });
  return [...domains].map(([name, members]) => ({ name, items: members }));
}

function parseScorecard(json: ScorecardJson, file: string): ScorecardModel {
  const seen = new Set<string>();
  for (const it of json.items) {
    if (seen.has(it.feature)) throw new InputError(`item "${it.feature}" appears twice`, { file });
    seen.add(it.feature);
  }
  const parsed = json.items.map((it) => parseItem(it, file));
  checkBands(json.bands, file, '"bands"');
  return {
    kind: 'scorecard',
    name: json.name ?? defaultName(file),
    version: json.version,
    features: parsed.map((p) => p.feature),
    items: parsed.map((p) => p.item),
    domains: parseDomains(json.items, file),
    bands: json.bands,
    probability: parseProbability(json.probability, file),
  };
}

export function parseRiskModel(json: unknown, file: string): LogisticModel | ScorecardModel {
  checkModel(json, file);
  const m = json as LogisticJson | ScorecardJson;
  return m.kind === 'logistic' ? parseLogistic(m, file) : parseScorecard(m, file);
}
