/**
 * What a case review says, as plain serialisable data. One `CaseSummary` is built per case by
 * `report/` from the engine's results; the panel renders it, and the Markdown, HTML and PDF documents
 * are rendered from the very same value, so the three and the panel cannot drift apart.
 */
import type { MarginScale, ModelKind } from '../models/types';

export interface AttributionRow {
  readonly feature: string;
  readonly label: string;
  readonly description?: string;
  /** The case's value; null when missing. For a categorical feature, the category index. */
  readonly value: number | null;
  /** The value as people read it (category name, "missing", a number without float noise). */
  readonly valueText: string;
  /** On the model's margin scale (log-odds or points). */
  readonly contribution: number;
  /** The same effect presented in points of probability (score × 100), or null without probabilities. */
  readonly probabilityPoints: number | null;
}

export interface AttributionSummary {
  readonly method: string;
  readonly scale: MarginScale;
  readonly baseValue: number;
  /** The score at the base value (probability, or total for an instrument without a mapping). */
  readonly baseScore: number;
  /** All features in model order. */
  readonly rows: readonly AttributionRow[];
  readonly topInteraction?: { readonly features: readonly [string, string]; readonly labels: readonly [string, string]; readonly value: number };
}

export interface WhatIfScenario {
  readonly changes: readonly { readonly feature: string; readonly label: string; readonly from: string; readonly to: string }[];
  readonly score: number;
  readonly band: string;
  readonly note?: string;
}

export type Verdict = 'agree' | 'disagree';

export interface ReviewDecision {
  readonly verdict: Verdict;
  readonly reason: string;
  readonly notes: string;
  readonly reviewer?: string;
  readonly time: string;
}

export interface Provenance {
  readonly modelName: string;
  readonly modelVersion?: string;
  readonly modelKind: ModelKind;
  readonly modelFile: string;
  readonly modelSha256: string;
  readonly dataFile: string;
  readonly dataSha256: string;
  readonly extensionVersion: string;
  readonly methods: readonly string[];
  /** ISO 8601; the only field that differs between two runs on the same inputs. */
  readonly generatedAt: string;
}

export interface CaseHeader {
  readonly caseId: string;
  readonly score: number;
  readonly scoreIsProbability: boolean;
  readonly margin: number;
  readonly band: string;
  readonly threshold: number;
  readonly flagged: boolean;
  /** 1 / 0, or null when unknown or not given. */
  readonly outcome: 0 | 1 | null;
  readonly groups: readonly { readonly column: string; readonly group: string }[];
}
