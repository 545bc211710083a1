/**
 * A tree model's categorical features are categories everywhere a reviewer meets them: the surrogate
 * splits them into sets of named categories, the what-if editor offers their names (and scores a changed
 * category exactly as the library would), and cases give names where the model or the project names the
 * categories, codes where nothing does — with a clear message for a name the model never saw.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EngineSession } from '../../extension/host/engineSession';
import { marginOf } from '../../extension/engine/models/score';
import { resolveSpec } from '../../extension/engine/project';
import { openReview } from '../../extension/engine/review';
import { fitReviewSurrogate } from '../../extension/engine/surrogate/index';
import { InputError } from '../../extension/engine/errors';
import { isTreeModel } from '../../extension/engine/models/types';

const DIR = join(__dirname, '..', 'fixtures');
const PROJECT = join(DIR, 'xgb-categorical', 'partition.riskreview.json');
const OFFENSES = ['assault', 'burglary', 'drugs', 'theft', 'traffic', 'vandalism'];

const reviews = [
  ['XGBoost, names from the project', () => openReview(resolveSpec({ project: PROJECT }))],
  ['XGBoost 3.1, names from the model', () => openReview(resolveSpec({ model: join(DIR, 'xgb-categorical', 'partition.v31.json'), data: join(DIR, 'xgb-categorical', 'cases_names.csv'), idColumn: 'case_id' }))],
  ['LightGBM, names from pandas_categorical', () => openReview(resolveSpec({ model: join(DIR, 'lightgbm', 'pandas.txt'), data: join(DIR, 'lightgbm', 'pandas.csv'), idColumn: 'case_id' }))],
] as const;

for (const [label, open] of reviews) {
  test(`${label}: the surrogate splits categorical features into sets of named categories`, () => {
    const review = open();
    const offense = review.model.features.find((f) => f.name === 'offense')!;
    assert.deepEqual(offense.categories, OFFENSES);
    const surrogate = fitReviewSurrogate(review, { maxLeaves: 16 });
    const conditions = surrogate.rules.flatMap((r) => r.conditions);
    const categorical = new Set(review.model.features.filter((f) => f.categories).map((f) => f.name));
    assert.ok(conditions.some((c) => c.kind === 'in' && categorical.has(c.feature)), 'no rule tests a categorical feature');
    for (const c of conditions) {
      if (!categorical.has(c.feature)) continue;
      assert.ok(c.kind === 'in' || c.kind === 'missing' || c.kind === 'known', `${c.feature} tested as a number (${c.kind})`);
      if (c.kind === 'in') for (const name of c.categories) assert.ok(review.model.features.find((f) => f.name === c.feature)!.categories!.includes(name));
    }
  });
}

test('the what-if editor offers the categories by name and scores a changed category as the model does', () => {
  const session = new EngineSession();
  const opened = session.open({ kind: 'project', file: PROJECT }, {});
  const field = opened.fields.find((f) => f.name === 'offense')!;
  assert.deepEqual(field.categories, OFFENSES);
  assert.equal(opened.fields.find((f) => f.name === 'age')!.categories, undefined);
  const { model, cases } = openReview(resolveSpec({ project: PROJECT }));
  assert.ok(isTreeModel(model));
  const m = model.features.length;
  for (let code = 0; code < OFFENSES.length; code++) {
    const x = cases.x.slice(0, m);
    x[1] = code;
    const result = session.whatIf(0, { offense: code });
    assert.equal(result.margin, marginOf(model, x, 0), `offense = ${OFFENSES[code]}`);
  }
});

test('cases: a name the model never saw is refused with the names it knows; codes stand where nothing names the categories', () => {
  const spec = resolveSpec({ project: PROJECT });
  assert.throws(
    () => openReview({ ...spec, dataFile: join(DIR, 'xgb-categorical', 'cases.csv') }),
    (e: unknown) => e instanceof InputError && /cases\.csv, line 2, column "offense": "2" is not one of the categories the model knows \(assault, burglary, drugs, theft, traffic, vandalism\)$/.test(e.message),
  );
  const coded = openReview(resolveSpec({ model: join(DIR, 'xgb-categorical', 'partition.json'), data: join(DIR, 'xgb-categorical', 'cases.csv'), idColumn: 'case_id' }));
  const county = coded.model.features.find((f) => f.name === 'county')!;
  assert.equal(county.codedCategories, true);
  assert.ok(county.categories!.length >= 38 && county.categories!.every((c, k) => c === String(k)));
  assert.throws(
    () => openReview(resolveSpec({ model: join(DIR, 'xgb-categorical', 'partition.json'), data: join(DIR, 'xgb-categorical', 'cases_names.csv'), idColumn: 'case_id' })),
    (e: unknown) => e instanceof InputError && /column "offense": "drugs" is not a category code \(a whole number from 0 to 65,535\): the model names no categories for "offense", so cases give its codes — or the project names them/.test(e.message),
  );
});

test('a project\'s category names: refused for a numeric feature, for too few, and where the model names them otherwise', () => {
  const spec = resolveSpec({ project: PROJECT });
  const withNames = (name: string, categories: string[]) => ({ ...spec, features: { ...spec.features, [name]: { categories } } });
  const refused = (s: typeof spec, pattern: RegExp) => assert.throws(() => openReview(s), (e: unknown) => e instanceof InputError && pattern.test(e.message), String(pattern));
  refused(withNames('age', ['young', 'old']), /partition\.riskreview\.json: "features" → "age" → "categories": the model reads "age" as a number, not as a category$/);
  refused(withNames('county', ['North', 'South']), /"features" → "county" → "categories" names 2 categories, but the model's splits use category codes up to \d+$/);
  const v31 = { ...spec, source: { kind: 'model' as const, modelFile: join(DIR, 'xgb-categorical', 'partition.v31.json') } };
  assert.doesNotThrow(() => openReview(v31), 'the same names as the model holds');
  refused({ ...v31, features: { ...spec.features, program: { categories: ['a', 'b', 'c'] } } }, /the model names the categories of "program" itself \(none, día, Zürich–North\), and the project's list differs$/);
});
