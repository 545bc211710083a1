import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModel, parseModelText } from '../../extension/engine/models/load';
import { parseJson, parseModelJson } from '../../extension/engine/io';
import { bandOf, marginOf, probabilityOf, scoreOf, sigmoid } from '../../extension/engine/models/score';
import { InputError } from '../../extension/engine/errors';

const F = 'm.riskmodel.json';

function throwsInput(fn: () => unknown, pattern: RegExp) {
  assert.throws(fn, (e: unknown) => e instanceof InputError && pattern.test(e.message), `expected ${pattern}`);
}

test('logistic: log-odds = intercept + Σ w·x, features in file order, labels kept', () => {
  const m = parseModel({ kind: 'logistic', name: 'L', version: '2', intercept: -1.5, coefficients: { a: 0.5, b: -2 }, labels: { a: 'Alpha' } }, F);
  assert.equal(m.kind, 'logistic');
  assert.deepEqual(m.features.map((f) => [f.name, f.label]), [['a', 'Alpha'], ['b', 'b']]);
  const margin = marginOf(m, Float64Array.of(3, 0.25));
  assert.ok(Math.abs(margin - (-1.5 + 1.5 - 0.5)) < 1e-15);
  assert.equal(probabilityOf(m, margin), sigmoid(-0.5));
  throwsInput(() => marginOf(m, Float64Array.of(NaN, 1), 0, 'C7'), /case "C7": missing value for "a"/);
});

const instrument = {
  kind: 'scorecard',
  name: 'Screen',
  items: [
    { feature: 'priors', label: 'Prior referrals', bins: [{ below: 1, points: 0 }, { below: 3, points: 2 }, { points: 4 }] },
    { feature: 'school', categories: { engaged: 0, partial: 1, disengaged: 3 }, missingPoints: 1 },
  ],
  bands: [{ label: 'Low', below: 3 }, { label: 'Moderate', below: 6 }, { label: 'High' }],
  probability: { method: 'logistic', intercept: -3, slope: 0.5 },
};

test('scorecard: bins are half-open [previous below, below), categories by index, missing points', () => {
  const m = parseModel(instrument, F);
  assert.equal(m.kind, 'scorecard');
  const total = (priors: number, school: number) => marginOf(m, Float64Array.of(priors, school));
  assert.equal(total(0, 0), 0);
  assert.equal(total(1, 0), 2);
  assert.equal(total(2.9, 1), 3);
  assert.equal(total(3, 2), 7);
  assert.equal(total(10, NaN), 5);
  assert.equal(probabilityOf(m, 4), sigmoid(-1));
  if (m.kind === 'scorecard') {
    assert.equal(bandOf(m.bands, 2.99), 'Low');
    assert.equal(bandOf(m.bands, 3), 'Moderate');
    assert.equal(bandOf(m.bands, 6), 'High');
  }
});

test('scorecard without a probability mapping scores the total; a table maps piecewise-linearly', () => {
  const noMap = parseModel({ ...instrument, probability: undefined }, F);
  assert.equal(probabilityOf(noMap, 5), null);
  assert.equal(scoreOf(noMap, 5), 5);
  const table = parseModel({ ...instrument, probability: { method: 'table', totals: [0, 4, 8], probabilities: [0.1, 0.3, 0.7] } }, F);
  assert.equal(probabilityOf(table, -1), 0.1);
  assert.ok(Math.abs(probabilityOf(table, 6)! - 0.5) < 1e-12);
  assert.equal(probabilityOf(table, 9), 0.7);
});

test('an item without missing points refuses a missing value, naming the case and item', () => {
  const m = parseModel(instrument, F);
  throwsInput(() => marginOf(m, Float64Array.of(NaN, 0), 0, 'J-1'), /case "J-1": missing value for item "priors"/);
});

test('model files that break the schema or the rules get one clear message', () => {
  throwsInput(() => parseModel({ kind: 'forest' }, F), /^m\.riskmodel\.json: has "kind": "forest", which Risk Review does not read; it reads "logistic" and "scorecard" models/);
  throwsInput(() => parseModel({ kind: 'logistic', intercept: 0 }, F), /needs the property "coefficients"/);
  throwsInput(() => parseModel({ kind: 'logistic', intercept: 0, coefficients: { a: 'x' } }, F), /"coefficients\.a" must be number/);
  throwsInput(() => parseModel({ ...instrument, bands: [{ label: 'Low', below: 5 }, { label: 'High', below: 9 }] }, F), /the last must have none/);
  throwsInput(() => parseModel({ ...instrument, bands: [{ label: 'Low', below: 5 }, { label: 'Mid', below: 4 }, { label: 'High' }] }, F), /must increase/);
  throwsInput(() => parseModel({ ...instrument, items: [instrument.items[0], instrument.items[0]] }, F), /item "priors" appears twice/);
  throwsInput(() => parseModel([1, 2], F), /is none of the models Risk Review reads: an XGBoost JSON model/);
});

test('XGBoost: unsupported objectives and boosters are named', () => {
  const base = { learner: { objective: { name: 'multi:softprob' }, gradient_booster: { name: 'gbtree' }, learner_model_param: { base_score: '5E-1', num_feature: '1' } } };
  throwsInput(() => parseModel(base, 'x.json'), /^x\.json: uses the objective "multi:softprob"; Risk Review reads binary:logistic and reg:logistic models/);
  const linear = { learner: { ...base.learner, objective: { name: 'binary:logistic' }, gradient_booster: { name: 'gblinear' } } };
  throwsInput(() => parseModel(linear, 'x.json'), /uses the "gblinear" booster; Risk Review reads gbtree and dart models/);
});

/** A one-split XGBoost model whose tree fields `patch` replaces, in the booster `booster`. */
function xgboost(patch: Record<string, unknown> = {}, booster: Record<string, unknown> = {}) {
  const tree = { left_children: [1, -1, -1], right_children: [2, -1, -1], split_indices: [0, 0, 0], split_conditions: [0.5, -0.2, 0.3], default_left: [1, 0, 0], sum_hessian: [10, 4, 6], ...patch };
  return {
    learner: {
      objective: { name: 'binary:logistic' },
      learner_model_param: { base_score: '5E-1', num_feature: '2' },
      gradient_booster: { name: 'gbtree', model: { trees: [tree] }, ...booster },
    },
    version: [1, 7, 4],
  };
}

test('XGBoost: numbers that are no numbers, and trees that are no trees, are named by tree, node and field', () => {
  const NAN = parseModelJson('"\\u0000NaN"', 'x'); // what a bare NaN in the file becomes
  throwsInput(() => parseModel(xgboost({ split_conditions: [0.5, NAN, 0.3] }), 'x.json'), /^x\.json: tree 0, node 1: the leaf value \("split_conditions"\) is NaN, not a finite number$/);
  throwsInput(() => parseModel(xgboost({ split_conditions: [null, -0.2, 0.3] }), 'x.json'), /^x\.json: tree 0, node 0: "split_conditions" is null, not a number$/);
  throwsInput(() => parseModel(xgboost({ split_conditions: [NAN, -0.2, 0.3] }), 'x.json'), /tree 0, node 0: the threshold \("split_conditions"\) is NaN, not a number/);
  throwsInput(() => parseModel(xgboost({ sum_hessian: [10, NAN, 6] }), 'x.json'), /tree 0, node 1: "sum_hessian" is NaN, not a finite number ≥ 0/);
  throwsInput(() => parseModel(xgboost({ left_children: [1, 0, -1] }), 'x.json'), /tree 0, node 1: child 0 \("left_children"\) is not a node of the tree/);
  throwsInput(() => parseModel(xgboost({ left_children: [1, -1, -1], right_children: [1, -1, -1] }), 'x.json'), /tree 0, node 0: its child 1 \("right_children"\) is reached twice: the nodes do not form a tree/);
  throwsInput(() => parseModel(xgboost({ split_indices: [2, 0, 0] }), 'x.json'), /tree 0, node 0: "split_indices" is 2, but the model has 2 features \(0 to 1\)/);
  throwsInput(() => parseModel(xgboost({ split_type: [1, 0, 0], categories: [], categories_nodes: [], categories_segments: [], categories_sizes: [] }), 'x.json'), /tree 0, node 0: a categorical split without categories \("categories"\)/);
  throwsInput(() => parseModel(xgboost({ split_type: [1, 0, 0], categories: [-3], categories_nodes: [0], categories_segments: [0], categories_sizes: [1] }), 'x.json'), /category -3 in "categories" is not a whole number from 0/);
  throwsInput(() => parseModel(xgboost({}, { name: 'dart', gbtree: { model: { trees: [] } } }), 'x.json'), /is a dart model without "weight_drop"/);
  const dart = { name: 'dart', gbtree: { model: xgboost().learner.gradient_booster.model }, weight_drop: [0.5, 0.5] };
  throwsInput(() => parseModel(xgboost({}, dart), 'x.json'), /is a dart model with 1 trees but 2 weights/);
});

test('model files: XGBoost\'s bare NaN / Infinity tokens are read in model files only; projects stay strict JSON', () => {
  const text = JSON.stringify(xgboost({ split_conditions: [0.5, -0.2, 0.3], split_type: [1, 0, 0], categories: [1], categories_nodes: [0], categories_segments: [0], categories_sizes: [1] })).replace('[0.5,', '[NaN,');
  assert.match(text, /"split_conditions":\[NaN,/);
  const model = parseModel(parseModelJson(text, 'x.json'), 'x.json');
  assert.equal(marginOf(model, Float64Array.of(1, 0), 0), Math.fround(0.3)); // category 1 is in the set: right
  assert.equal(marginOf(model, Float64Array.of(2, 0), 0), Math.fround(-0.2));
  throwsInput(() => parseJson(text, 'p.riskreview.json'), /^p\.riskreview\.json, line 1, column \d+: is not valid JSON: a value \(object, list, string, number, true, false or null\) was expected, not "NaN"$/);
  throwsInput(() => parseModelJson('{"a": [NaN, Infinit]}', 'x.json'), /^x\.json, line 1, column 13: is not valid JSON/);
  assert.deepEqual(parseModelJson('{"a": ["NaN", -Infinity, "x\\"NaN"]}', 'x.json'), { a: ['NaN', parseModelJson('"\\u0000-Infinity"', 'x'), 'x"NaN'] });
});

/** A LightGBM text model of one tree: a numeric split on feature 0 and a categorical split on feature 1. */
const LIGHTGBM = [
  'tree',
  'version=v4',
  'num_class=1',
  'num_tree_per_iteration=1',
  'label_index=0',
  'max_feature_idx=1',
  'objective=binary sigmoid:1',
  'feature_names=age offense',
  'feature_infos=[0:90] 0:1:2:3',
  'tree_sizes=400',
  '',
  'Tree=0',
  'num_leaves=3',
  'num_cat=1',
  'split_feature=0 1',
  'split_gain=1 1',
  'threshold=30.5 0',
  'decision_type=10 1',
  'left_child=1 -1',
  'right_child=-3 -2',
  'leaf_value=0.25 -0.5 0.75',
  'leaf_weight=1 1 1',
  'leaf_count=20 30 50',
  'internal_value=0 0',
  'internal_weight=1 1',
  'internal_count=100 50',
  'cat_boundaries=0 1',
  'cat_threshold=10',
  'is_linear=0',
  'shrinkage=1',
  '',
  '',
  'end of trees',
  '',
  'pandas_categorical:[["assault", "drugs", "theft", "traffic"]]',
  '',
].join('\n');

test('LightGBM text: splits by its rules, names from pandas_categorical', () => {
  const model = parseModelText(LIGHTGBM, 'm.txt');
  assert.equal(model.kind, 'lightgbm');
  assert.deepEqual(model.features.map((f) => f.categories), [undefined, ['assault', 'drugs', 'theft', 'traffic']]);
  // age ≤ 30.5 (or missing: default left) → offense in {1, 3} (bitset 10 = 0b1010) → 0.25, else → -0.5; age > 30.5 → 0.75
  for (const [age, offense, margin] of [[30.5, 1, 0.25], [30.5, 3, 0.25], [30.5, 0, -0.5], [NaN, 2, -0.5], [NaN, NaN, -0.5], [31, 1, 0.75]]) {
    assert.equal(marginOf(model, Float64Array.of(age, offense), 0), margin, `age ${age}, offense ${offense}`);
  }
});

test('LightGBM text: an "inf" threshold (every present value one way) reads as LightGBM reads it', () => {
  for (const [inf, present, missing] of [['inf', 'left', 'left'], ['-inf', 'right', 'left']] as const) {
    const model = parseModelText(LIGHTGBM.replace('threshold=30.5 0', `threshold=${inf} 0`), 'm.txt');
    const leaf = (age: number) => marginOf(model, Float64Array.of(age, 1), 0) === 0.75 ? 'right' : 'left';
    for (const age of [-Infinity, -1e308, 0, 30.5, 1e308, Infinity]) assert.equal(leaf(age), age === -Infinity && inf === '-inf' ? 'left' : present, `${inf}: age ${age}`);
    assert.equal(leaf(NaN), missing, `${inf}: missing (default left)`);
  }
});

test('LightGBM: what Risk Review cannot represent is refused by name, damaged text by its line', () => {
  const variant = (from: string, to: string) => parseModelText(LIGHTGBM.replace(from, to), 'm.txt');
  throwsInput(() => variant('objective=binary sigmoid:1', 'objective=regression'), /^m\.txt: uses the objective "regression"; Risk Review reads LightGBM models with the objectives binary and cross_entropy$/);
  throwsInput(() => variant('objective=binary sigmoid:1', 'objective=cross_entropy_lambda'), /uses the objective "cross_entropy_lambda"/);
  throwsInput(() => variant('num_class=1', 'num_class=3'), /has 3 classes; Risk Review reads single-output models/);
  throwsInput(() => variant('is_linear=0', 'is_linear=1'), /^m\.txt, line 29: tree 0 is a linear tree \(linear_tree=true\)/);
  throwsInput(() => variant('feature_names=age offense\n', 'feature_names=age offense\naverage_output\n'), /averages its trees \(boosting "rf", a random forest\)/);
  throwsInput(() => variant('threshold=30.5 0', 'threshold=30.5x 0'), /^m\.txt, line 17: tree 0: "threshold" value 1 is "30\.5x", not a number$/);
  throwsInput(() => variant('threshold=30.5 0', 'threshold=nan 0'), /"threshold" value 1 is "nan", not a number/);
  throwsInput(() => variant('leaf_value=0.25 -0.5 0.75', 'leaf_value=0.25 -0.5'), /^m\.txt, line 21: tree 0: "leaf_value" has 2 values, 3 were expected/);
  throwsInput(() => variant('decision_type=10 1', 'decision_type=14 1'), /tree 0, node 0: "decision_type" 14 has missing type 3/);
  throwsInput(() => variant('right_child=-3 -2', 'right_child=0 -2'), /tree 0, node 0: child 0 \("right_child"\) is not a node of the tree/);
  throwsInput(() => variant('num_leaves=3\n', ''), /^m\.txt, line 12: tree 0 has no "num_leaves=" line \(is this a LightGBM model\?\)$/);
  throwsInput(() => parseModelText('tree\nversion=v4\nobjective=binary\nfeature_names=a\n\nend of trees\n', 'm.txt'), /^m\.txt: is a LightGBM model without trees/);
});
