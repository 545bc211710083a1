/**
 * The reference an attribution is measured from.
 *
 * Logistic regressions and additive instruments are explained against a background set of cases with
 * the *interventional* game v(S) = mean over background rows b of f(x_S, b_rest). For a model additive
 * in its features that game's Shapley value is closed-form: feature j's term at the case minus its mean
 * term over the background. So all a background has to carry is those means:
 *   - logistic: the mean of each feature's input g_j (its term is w_j·g_j(x_j), so the mean term is
 *     w_j·mean_j), where g_j(x) = x when present and the model's impute value when missing — the mean
 *     is over imputed values, as the model sees them;
 *   - scorecard: the mean points of each item.
 * Trees are explained path-dependently: their background is the training cover stored in the trees.
 *
 * The background rows are the project's `background` CSV when it names one, else the loaded cases.
 */
import { InputError } from '../errors';
import type { CsvTable } from '../data/csv';
import { bindCases, type CaseSet } from '../data/cases';
import { logisticInput, scorecardItemPoints } from '../models/score';
import { isTreeModel, type ComputedModel } from '../models/types';
import { computedModel, type Review } from '../review';

export type Background =
  | { readonly kind: 'tree-cover' }
  | {
      readonly kind: 'feature-means' | 'item-means';
      /** The file the rows came from. */
      readonly source: string;
      readonly rows: number;
      /** Per feature, in model order: the mean value (logistic) or the mean item points (scorecard). */
      readonly means: Float64Array;
    };

/** The background a model's attributions need, from the given rows (ignored for trees). */
export function backgroundFromCases(model: ComputedModel, rows: Pick<CaseSet, 'file' | 'n' | 'x' | 'ids' | 'lines'>): Background {
  if (isTreeModel(model)) return { kind: 'tree-cover' };
  const m = model.features.length;
  if (rows.n === 0) throw new InputError('has no rows to take the background means from', { file: rows.file });
  const sums = new Float64Array(m);
  for (let i = 0; i < rows.n; i++) {
    const off = i * m;
    for (let j = 0; j < m; j++) {
      const v = rows.x[off + j];
      if (model.kind === 'logistic') {
        const g = logisticInput(model, j, v);
        if (g !== g) {
          throw new InputError(`missing value for "${model.features[j].name}", which the model has no impute value for; a logistic model's background needs every value`, { file: rows.file, line: rows.lines[i], column: model.features[j].name });
        }
        sums[j] += g;
      } else {
        sums[j] += scorecardItemPoints(model, j, v, rows.ids[i]);
      }
    }
  }
  for (let j = 0; j < m; j++) sums[j] /= rows.n;
  return { kind: model.kind === 'logistic' ? 'feature-means' : 'item-means', source: rows.file, rows: rows.n, means: sums };
}

/** The background of a review: its `background` file (read when the review opened) when the project names one, else its cases. */
export function backgroundOf(review: Pick<Review, 'model' | 'cases' | 'spec' | 'backgroundTable'>): Background {
  const { spec, backgroundTable } = review;
  const model = computedModel(review, 'an explanation (attributions)');
  if (isTreeModel(model)) return { kind: 'tree-cover' };
  if (backgroundTable === null) return backgroundFromCases(model, review.cases);
  return backgroundFromCases(model, backgroundRows(backgroundTable, spec.idColumn, model));
}

/** A background file has the model's feature columns; it need not identify its rows (then they are named by line). */
function backgroundRows(table: CsvTable, idColumn: string, model: ComputedModel): CaseSet {
  if (table.column(idColumn)) return bindCases(table, model.features, { idColumn });
  const lineIds = Array.from(table.lines, (l) => `line ${l}`);
  const byLine: CsvTable = {
    ...table,
    column: (name) => (name === LINE_ID ? { kind: 'text', text: lineIds } : table.column(name)),
    cell: (row, name) => (name === LINE_ID ? lineIds[row] : table.cell(row, name)),
  };
  return bindCases(byLine, model.features, { idColumn: LINE_ID });
}

/** The name of the virtual id column of a background file without ids: a NUL, which no real header uses. */
const LINE_ID = '\u0000line';
