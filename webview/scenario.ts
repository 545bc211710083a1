/**
 * The what-if editor's logic without the DOM: reading what the reviewer typed, which features differ
 * from the case, and the scenario the panel keeps for the exports.
 */
import { featureValueText, plainNumber } from '../extension/engine/report/format';
import type { WhatIfScenario } from '../extension/engine/report/types';
import type { FeatureField, FeatureValues } from './protocol';
import { own } from '../extension/engine/own';

export type Parsed = { readonly ok: true; readonly value: number | null } | { readonly ok: false; readonly error: string };

/** A value as people read it, as the summaries print it: the category's name, "missing", or the number. */
export function valueText(field: FeatureField, v: number | null): string {
  return featureValueText(v, field.categories, field.imputedAs);
}

/**
 * What the reviewer typed for a numeric feature, or the option chosen for a categorical one (its index
 * as text). An empty entry means missing, where the model can score a missing value.
 */
export function parseInput(field: FeatureField, text: string): Parsed {
  const t = text.trim();
  if (t === '') return field.acceptsMissing === false ? { ok: false, error: 'The model needs a value here.' } : { ok: true, value: null };
  if (field.categories) {
    const k = Number(t);
    return Number.isInteger(k) && k >= 0 && k < field.categories.length ? { ok: true, value: k } : { ok: false, error: 'Choose one of the listed values.' };
  }
  // Number('') and Number(' ') are 0 and Number('0x10') is 16: accept plain decimal notation only.
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return { ok: false, error: 'Not a number.' };
  const v = Number(t);
  return Number.isFinite(v) ? { ok: true, value: v } : { ok: false, error: 'Not a number.' };
}

/** The text an editor shows for a value: the number, the category index, or '' for missing. */
export function inputText(field: FeatureField, v: number | null): string {
  if (v === null) return '';
  return field.categories ? String(v) : plainNumber(v, 6);
}

/** Whether a value lies outside the range seen in the cases (allowed, but worth a flag). */
export function outOfRange(field: FeatureField, v: number | null): boolean {
  return v !== null && !field.categories && (v < field.min || v > field.max);
}

export function sameValue(a: number | null | undefined, b: number | null | undefined): boolean {
  return (a ?? null) === (b ?? null);
}

/** The fields whose value in `current` differs from the case's own, in field order. */
export function changedFields(fields: readonly FeatureField[], original: FeatureValues, current: FeatureValues): FeatureField[] {
  return fields.filter((f) => !sameValue(own(original, f.name), own(current, f.name)));
}

/** The scenario as the summaries record it: each change in words, and the score and band it gave. */
export function scenarioOf(
  fields: readonly FeatureField[],
  original: FeatureValues,
  current: FeatureValues,
  result: { readonly score: number; readonly band: string },
  note?: string,
): WhatIfScenario {
  const changes = changedFields(fields, original, current).map((f) => ({
    feature: f.name,
    label: f.label,
    from: valueText(f, own(original, f.name) ?? null),
    to: valueText(f, own(current, f.name) ?? null),
  }));
  const n = note?.trim();
  return { changes, score: result.score, band: result.band, ...(n ? { note: n } : {}) };
}
