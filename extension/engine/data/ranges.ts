/**
 * Values outside what the model saw: warnings, not errors. A case with such a value is still scored and
 * explained, but the person reading its score should know that it rests on no comparable cases.
 *
 * The rule, and why:
 *   - The reference is the project's background file (`background`), the cases the project says the
 *     model is measured against. Risk Review's model files do not record the training data's ranges,
 *     and an XGBoost model's split thresholds do not say what it saw: a value beyond every threshold of
 *     a feature may be common in training. Comparing the loaded cases with themselves can never find one
 *     outside, so without a background file there are no such warnings (said in docs/file-formats.md).
 *   - A numeric value is outside when it is below the smallest or above the largest value of its
 *     feature in the background (missing values aside).
 *   - XGBoost only: a missing value of a feature that the background never lacks. The direction a tree
 *     sends a missing value was then not learnt from data. (A logistic model states its impute value or
 *     refuses missing values; an instrument states the points for them itself.)
 *   - Categorical features (instrument items by category) are not checked here: a category the item does
 *     not list is already an error.
 * One warning per feature and kind, placed at its first case (file, line, column, case id), with the
 * number of cases affected, so a million cases give at most a few lines.
 */
import { formatPlace, type Place } from '../errors';
import { isTreeModel, type FeatureInfo, type RiskModel } from '../models/types';
import { numberIn, requireColumn, type CaseSet } from './cases';
import type { CsvTable } from './csv';

export interface InputWarning {
  readonly problem: string;
  readonly place: Place;
  /** The place and the problem in one line, as errors are written. */
  readonly message: string;
}

export function inputWarning(problem: string, place: Place): InputWarning {
  return { problem, place, message: formatPlace(place) + problem };
}

/** The range of each feature over the reference rows, in model feature order; `missing` counts absent values. */
export interface FeatureRanges {
  readonly file: string;
  readonly rows: number;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly missing: Uint32Array;
}

/** Ranges of the model's numeric features over a table (categorical ones are left at ±Infinity, unchecked). */
export function featureRanges(table: CsvTable, features: readonly FeatureInfo[]): FeatureRanges {
  const m = features.length;
  const min = new Float64Array(m).fill(-Infinity);
  const max = new Float64Array(m).fill(Infinity);
  const missing = new Uint32Array(m);
  features.forEach((f, j) => {
    if (f.categories) return;
    const col = requireColumn(table, f.name, 'a feature the model needs');
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < table.rowCount; i++) {
      const v = numberIn(table, col, f.name, i);
      if (v !== v) missing[j]++;
      else {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    min[j] = lo;
    max[j] = hi;
  });
  return { file: table.file, rows: table.rowCount, min, max, missing };
}

const show = (v: number) => String(Number(v.toPrecision(6)));

/** The warnings for `cases` against `reference` (see the rule above), in feature order. */
export function rangeWarnings(model: RiskModel, cases: CaseSet, reference: FeatureRanges): InputWarning[] {
  const m = model.features.length;
  const warnings: InputWarning[] = [];
  const fileName = reference.file.split(/[\\/]/).pop();
  model.features.forEach((f, j) => {
    if (f.categories) return;
    const lo = reference.min[j];
    const hi = reference.max[j];
    let outside = 0;
    let first = -1;
    let missing = 0;
    let firstMissing = -1;
    for (let i = 0; i < cases.n; i++) {
      const v = cases.x[i * m + j];
      if (v !== v) {
        if (missing++ === 0) firstMissing = i;
      } else if (v < lo || v > hi) {
        if (outside++ === 0) first = i;
      }
    }
    const placeOf = (i: number): Place => ({ file: cases.file, line: cases.lines[i], column: f.name, caseId: cases.ids[i] });
    if (outside > 0 && lo <= hi) {
      const v = cases.x[first * m + j];
      const others = outside === 1 ? 'it is the only case outside it' : `${outside.toLocaleString('en-US')} cases are outside it`;
      warnings.push(
        inputWarning(`${show(v)} is ${v < lo ? 'below' : 'above'} the range of "${f.name}" in the background data (${show(lo)} to ${show(hi)}, ${fileName}); ${others}: the model saw no such values, so read these scores with care`, placeOf(first)),
      );
    } else if (outside > 0) {
      warnings.push(inputWarning(`"${f.name}" has a value, and the background data (${fileName}) has none: the model's use of it cannot be checked against data`, placeOf(first)));
    }
    if (isTreeModel(model) && missing > 0 && reference.missing[j] === 0 && reference.rows > 0) {
      const others = missing === 1 ? 'it is the only case' : `${missing.toLocaleString('en-US')} cases are missing it`;
      warnings.push(
        inputWarning(`"${f.name}" is missing, and no case of the background data (${fileName}) lacks it; ${others}: where the trees send a missing value was not learnt from data`, placeOf(firstMissing)),
      );
    }
  });
  return warnings;
}
