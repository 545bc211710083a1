/**
 * Model files nobody on the project made (test/fixtures/external/README.md: XGBoost 1.4 to 3.1 from
 * public repositories), against XGBoost itself: their own recorded margins (XGBoost 3.1.1, egordm's
 * fixtures) and XGBoost 1.7's predict, pred_contribs and pred_interactions on cases through every
 * branch (test/oracles/external_fixtures.py). Objectives Risk Review does not read are refused by name —
 * after their trees were read right: the trees of those models are checked against XGBoost too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainCase, prepareExplainer } from '../../extension/engine/explain/index';
import { prepareTreeShap, addTreeShap, TreeShapScratch, treeShapInteractions } from '../../extension/engine/explain/treeshap';
import { parseModelJson, READ_LIMITS, readText } from '../../extension/engine/io';
import { loadModel } from '../../extension/engine/models/load';
import { forestMargin, marginOf, probabilityOf, sigmoid } from '../../extension/engine/models/score';
import { isTreeModel } from '../../extension/engine/models/types';
import { readXGBoostTrees } from '../../extension/engine/models/xgboost';
import { resolveSpec } from '../../extension/engine/project';
import { openReview } from '../../extension/engine/review';
import { maxAbsDiff } from './explain-fixtures';

const DIR = join(__dirname, '..', 'fixtures', 'external');
const PROBABILITY = 1e-6;
const XGB = 2e-5;

interface Oracle {
  readonly objective: string;
  readonly baseScore: number;
  readonly margin: number[];
  readonly contribs: number[][];
  readonly interactions: number[][][];
}

const oracle = (stem: string) => JSON.parse(readFileSync(join(DIR, `${stem}.oracle.json`), 'utf8')) as Oracle;

const READ = [
  ['dmitryikh__leaves/xgagaricus', 'xgagaricus.json', '1.4.1'],
  ['egordm__boosters/gbtree_binary_logistic', 'gbtree_binary_logistic.model.json', '3.1.1'],
  ['egordm__boosters/gbtree_binary_logistic_missing', 'gbtree_binary_logistic_missing.model.json', '3.1.1'],
  ['egordm__boosters/gbtree_categorical_binary', 'gbtree_categorical_binary.model.json', '3.1.1'],
  ['Haruna-sani__Smart-Kidney-Diagnosis-Application/xgb_model', 'xgb_model.json', '2.1.4'],
  ['Aghawafaabbass__cardiopredictx-heart-disease-ml/xgb_model', 'xgb_model.json', '3.1.3'],
] as const;

for (const [stem, file, version] of READ) {
  test(`${stem} (XGBoost ${version}): scores, contributions and interactions equal XGBoost's`, () => {
    const folder = stem.split('/')[0];
    const review = openReview(resolveSpec({ model: join(DIR, folder, file), data: join(DIR, `${stem}.cases.csv`), idColumn: 'case_id' }));
    const { model, cases } = review;
    assert.ok(isTreeModel(model));
    assert.equal(model.kind === 'xgboost' && model.xgboostVersion, version);
    const expected = oracle(stem);
    const explainer = prepareExplainer(model, { kind: 'tree-cover' });
    const m = model.features.length;
    let p = 0;
    let phi = 0;
    for (let i = 0; i < cases.n; i++) {
      p = Math.max(p, Math.abs(probabilityOf(model, marginOf(model, cases.x, i * m))! - sigmoid(expected.margin[i])));
      const a = explainCase(explainer, cases, i);
      phi = Math.max(phi, maxAbsDiff([...a.contributions, a.baseValue], expected.contribs[i]));
    }
    assert.ok(p <= PROBABILITY, `max |p − predict| = ${p}`);
    assert.ok(phi <= XGB, `max |φ − pred_contribs| = ${phi}`);
    expected.interactions.forEach((matrix, i) => {
      const d = maxAbsDiff(explainer.interactions(cases.x, i * m)!, matrix.flat());
      assert.ok(d <= XGB, `case ${i}: max |Φ − pred_interactions| = ${d}`);
    });
  });
}

for (const name of ['gbtree_binary_logistic', 'gbtree_binary_logistic_missing', 'gbtree_categorical_binary']) {
  test(`egordm ${name}: margins equal the file's own XGBoost 3.1.1 predictions on its inputs`, () => {
    const { model } = loadModel(join(DIR, 'egordm__boosters', `${name}.model.json`));
    assert.ok(isTreeModel(model));
    const input = JSON.parse(readFileSync(join(DIR, 'egordm__boosters', `${name}.input.json`), 'utf8')) as { features: (number | null)[][] };
    const own = JSON.parse(readFileSync(join(DIR, 'egordm__boosters', `${name}.expected.json`), 'utf8')) as { predictions: number[]; predictions_transformed: number[] };
    input.features.forEach((row, i) => {
      const x = Float64Array.from(row, (v) => (v === null ? NaN : v));
      assert.ok(Math.abs(probabilityOf(model, marginOf(model, x, 0))! - own.predictions_transformed[i]) <= PROBABILITY, `case ${i}`);
    });
  });
}

const REFUSED = [
  ['dmlc__treelite/xgb_toy_categorical_model', 'xgb_toy_categorical_model.json', 'reg:squarederror'],
  ['egordm__boosters/dart_regression', 'dart_regression.model.json', 'reg:squarederror'],
  ['egordm__boosters/gbtree_regression', 'gbtree_regression.model.json', 'reg:squarederror'],
] as const;

for (const [stem, file, objective] of REFUSED) {
  test(`${stem}: refused, naming its objective ${objective}; its trees read as XGBoost reads them`, () => {
    const path = join(DIR, stem.split('/')[0], file);
    assert.throws(() => loadModel(path), (e: Error) => e.name === 'InputError' && e.message === `${path}: uses the objective "${objective}"; Risk Review reads binary:logistic and reg:logistic models`);
    const expected = oracle(stem);
    // A regression's margin is base_score plus the trees: read the trees alone and compare them.
    const { forest, features } = readXGBoostTrees(parseModelJson(readText(path, READ_LIMITS.model), path), path, expected.baseScore);
    const ts = prepareTreeShap(forest, features.length);
    const m = features.length;
    const rows = readFileSync(join(DIR, `${stem}.cases.csv`), 'utf8').trim().split('\n').slice(1);
    rows.forEach((line, i) => {
      const x = Float64Array.from(line.split(',').slice(1), (c) => (c === '' ? NaN : Number(c)));
      assert.ok(Math.abs(forestMargin(forest, x, 0) - expected.margin[i]) <= 1e-5, `case ${i}: margin`);
      const phi = new Float64Array(m);
      addTreeShap(ts, x, 0, phi, 0, new TreeShapScratch(ts));
      assert.ok(maxAbsDiff([...phi, ts.baseValue], expected.contribs[i]) <= XGB, `case ${i}: contributions`);
      if (i < expected.interactions.length) assert.ok(maxAbsDiff(treeShapInteractions(ts, x, 0), expected.interactions[i].flat()) <= XGB, `case ${i}: interactions`);
    });
  });
}

test('egordm gbtree_multiclass (multi:softprob, 3 classes): refused by name', () => {
  const path = join(DIR, 'egordm__boosters', 'gbtree_multiclass.model.json');
  assert.throws(() => loadModel(path), /uses the objective "multi:softprob"; Risk Review reads binary:logistic and reg:logistic models/);
});
