/**
 * TreeSHAP against two oracles: XGBoost's own pred_contribs / pred_interactions on the fixtures, and a
 * brute-force enumeration of the path-dependent game on the same models and on random forests (with
 * repeated features on a path, missing values, zero-cover-free covers and every table layout).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backgroundFromCases, explainCase, prepareExplainer, topInteraction } from '../../extension/engine/explain/index';
import { addTreeShap, prepareTreeShap, TreeShapScratch, treeShapInteractions } from '../../extension/engine/explain/treeshap';
import { forestMargin, marginOf } from '../../extension/engine/models/score';
import { SplitRule, type Forest } from '../../extension/engine/models/types';
import { forestOf } from '../helpers/forest';
import { bruteInteractions, bruteShapley, maxAbsDiff, ORACLE_FIXTURES, pathDependentGame, xgbFixture } from './explain-fixtures';

/** XGBoost computes in float32; its outputs are compared to this. */
const XGB_TOLERANCE = 2e-5;
/** Our double-precision values against exact enumeration, and additivity. */
const EXACT = 1e-9;

for (const { label: name, load } of ORACLE_FIXTURES) {
  test(`${name}: contributions and base value equal the library's own (pred_contribs, ≤ ${XGB_TOLERANCE}) on every case and feature`, () => {
    const { model, cases, expected } = load();
    const explainer = prepareExplainer(model, backgroundFromCases(model, cases));
    const m = model.features.length;
    let worst = 0;
    let worstBias = 0;
    for (let i = 0; i < cases.n; i++) {
      const a = explainCase(explainer, cases, i);
      assert.equal(a.scale, 'log-odds');
      assert.equal(a.method, 'treeshap-path-dependent');
      worst = Math.max(worst, maxAbsDiff(a.contributions, expected.contribs[i].slice(0, m)));
      worstBias = Math.max(worstBias, Math.abs(a.baseValue - expected.contribs[i][m]));
    }
    assert.ok(worst <= XGB_TOLERANCE, `max |φ − pred_contribs| = ${worst}`);
    assert.ok(worstBias <= XGB_TOLERANCE, `max |base − bias| = ${worstBias}`);
  });

  test(`${name}: interaction values equal the library's own (pred_interactions, ≤ ${XGB_TOLERANCE}) where it gives them`, () => {
    const { model, cases, expected } = load();
    const explainer = prepareExplainer(model, { kind: 'tree-cover' });
    const m = model.features.length;
    for (let i = 0; i < expected.interactions.length; i++) {
      const got = explainer.interactions(cases.x, i * m)!;
      const diff = maxAbsDiff(got, expected.interactions[i].flat());
      assert.ok(diff <= XGB_TOLERANCE, `case ${i}: max |Φ − pred_interactions| = ${diff}`);
    }
  });

  test(`${name}: additivity — base + Σφ equals the scorer's margin to ${EXACT}, and Σ interactions too`, () => {
    const { model, cases } = load();
    const explainer = prepareExplainer(model, { kind: 'tree-cover' });
    const m = model.features.length;
    for (let i = 0; i < cases.n; i++) {
      const a = explainCase(explainer, cases, i);
      const margin = marginOf(model, cases.x, i * m);
      assert.ok(Math.abs(a.margin - margin) === 0);
      assert.ok(Math.abs(a.baseValue + a.contributions.reduce((s, c) => s + c, 0) - margin) <= EXACT, `case ${i}`);
      if (i < 20) assert.ok(Math.abs(explainer.interactions(cases.x, i * m)!.reduce((s, c) => s + c, 0) - margin) <= EXACT);
    }
  });

  test(`${name}: equals brute-force enumeration of the path-dependent game (≤ ${EXACT})`, () => {
    const { model, cases } = load();
    const explainer = prepareExplainer(model, { kind: 'tree-cover' });
    const m = model.features.length;
    for (let i = 0; i < 12; i++) {
      const game = pathDependentGame(model.forest, cases.x, i * m);
      const a = explainCase(explainer, cases, i);
      assert.ok(maxAbsDiff(a.contributions, bruteShapley(m, game)) <= EXACT, `case ${i}`);
      assert.ok(Math.abs(a.baseValue - game(0)) <= EXACT, 'base value is v(∅)');
    }
  });
}

/** A seeded generator, so a failing random forest can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A random forest over m features, small enough to enumerate: few features so that paths repeat them,
 * uneven depths, covers that split the parent's cover, random default directions.
 */
function randomForest(random: () => number, m: number): Forest {
  const nodes: { left: number; right: number; feature: number; rule: SplitRule; threshold: number; defaultLeft: number; categories: number[]; value: number; cover: number }[] = [];
  const rules = Object.values(SplitRule);
  const treeStart: number[] = [];
  const nTrees = 1 + Math.floor(random() * 4);
  const grow = (depth: number, cover: number): number => {
    const k = nodes.length;
    nodes.push({ left: -1, right: -1, feature: 0, rule: SplitRule.XGBoostLess, threshold: 0, defaultLeft: 0, categories: [], value: Math.fround(random() * 2 - 1), cover });
    if (depth < 6 && random() < 0.8 - depth * 0.08) {
      const share = 0.05 + 0.9 * random();
      const node = nodes[k];
      node.feature = Math.floor(random() * m);
      node.rule = rules[Math.floor(random() * rules.length)];
      if (node.rule === SplitRule.XGBoostCategory || node.rule === SplitRule.LightGBMCategory) {
        node.categories = [0, 1, 2, 3, 33].filter(() => random() < 0.5);
        if (node.categories.length === 0) node.categories = [2];
      } else node.threshold = node.rule === SplitRule.XGBoostLess ? Math.fround(random() * 2 - 1) : random() * 2 - 1;
      node.defaultLeft = random() < 0.5 ? 1 : 0;
      node.value = 0;
      node.left = grow(depth + 1, cover * share);
      node.right = grow(depth + 1, cover * (1 - share));
    }
    return k;
  };
  for (let t = 0; t < nTrees; t++) {
    treeStart.push(nodes.length);
    grow(0, 10 + random() * 100);
  }
  treeStart.push(nodes.length);
  return forestOf(nodes.map((n) => ({ ...n, categories: [...n.categories] })), treeStart, random() - 0.5);
}

function randomCase(random: () => number, m: number, forest: Forest): Float64Array {
  const thresholds = forest.threshold.filter((_, k) => forest.left[k] >= 0);
  return Float64Array.from({ length: m }, () => {
    const u = random();
    if (u < 0.2) return NaN;
    if (u < 0.4 && thresholds.length) return thresholds[Math.floor(random() * thresholds.length)];
    if (u < 0.6) return [0, 1, 2, 3, 5, 33, -0, 1e-36][Math.floor(random() * 8)]; // category codes, and zeros as LightGBM reads them
    return random() * 2 - 1;
  });
}

test('random forests with every split rule: every table layout, leaf tables and the direct product game equal brute-force Shapley and interaction values', () => {
  const random = rng(20240601);
  const layouts = [
    { subtreeHeight: 0 },
    { subtreeHeight: 1 },
    { subtreeHeight: 2 },
    { subtreeHeight: 3 },
    { tableBudgetBytes: 0 }, // every leaf's game evaluated directly
    { tableBudgetBytes: 4096 }, // some subtrees tabulated, some leaf tables, the rest direct
    { subtreeHeight: 3, tableBudgetBytes: 1024 },
  ];
  const used = { subtreeTables: 0, leafTables: 0, direct: 0 };
  for (let round = 0; round < 150; round++) {
    const m = 2 + Math.floor(random() * 5);
    const forest = randomForest(random, m);
    const x = randomCase(random, m, forest);
    const game = pathDependentGame(forest, x, 0);
    const phi = bruteShapley(m, game);
    for (const layout of layouts) {
      const ts = prepareTreeShap(forest, m, layout);
      used.subtreeTables += ts.subRoot.length;
      used.leafTables += ts.leafTable.filter((at) => at >= 0).length;
      used.direct += ts.directLeaf.filter((l) => ts.leafTable[l] < 0).length;
      const got = new Float64Array(m);
      const margin = addTreeShap(ts, x, 0, got, 0, new TreeShapScratch(ts));
      assert.ok(maxAbsDiff(got, phi) <= EXACT, `round ${round}, layout ${JSON.stringify(layout)}: ${got} vs ${phi}`);
      assert.equal(margin, forestMargin(forest, x, 0), `round ${round}, layout ${JSON.stringify(layout)}: the margin, to the bit`);
      assert.ok(Math.abs(ts.baseValue - game(0)) <= EXACT, `round ${round}: base value`);
    }
    const ts = prepareTreeShap(forest, m);
    const interactions = treeShapInteractions(ts, x, 0);
    const brute = bruteInteractions(m, game);
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) {
        assert.ok(Math.abs(interactions[a * (m + 1) + b] - brute[a * m + b]) <= EXACT, `round ${round}: Φ[${a}][${b}]`);
      }
    }
  }
  assert.ok(used.subtreeTables > 100 && used.leafTables > 100 && used.direct > 100, `every way to a leaf's share was tried: ${JSON.stringify(used)}`);
});

test('the top interaction is the pair with the largest joint effect Φ_ab + Φ_ba, named in model order', () => {
  const { model, cases } = xgbFixture('binary_d4_named');
  const explainer = prepareExplainer(model, { kind: 'tree-cover' });
  const m = model.features.length;
  for (let i = 0; i < 10; i++) {
    const matrix = explainer.interactions(cases.x, i * m)!;
    const top = topInteraction(explainer, cases.x, i * m)!;
    const [a, b] = top.indices;
    assert.ok(a < b);
    assert.deepEqual(top.features, [model.features[a].name, model.features[b].name]);
    assert.equal(top.value, matrix[a * (m + 1) + b] + matrix[b * (m + 1) + a]);
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) assert.ok(Math.abs(matrix[p * (m + 1) + q] * 2) <= Math.abs(top.value) + 1e-15);
    }
  }
});

test('a path through more distinct features than an int32 mask holds is refused with an InputError', () => {
  const depth = 31;
  const n = 2 * depth + 1;
  const left = new Int32Array(n).fill(-1);
  const right = new Int32Array(n).fill(-1);
  for (let d = 0; d < depth; d++) {
    left[2 * d] = 2 * d + 1;
    right[2 * d] = 2 * d + 2;
  }
  const forest: Forest = {
    nTrees: 1,
    treeStart: Int32Array.from([0, n]),
    left,
    right,
    feature: Int32Array.from({ length: n }, (_, k) => (k % 2 === 0 ? k / 2 : 0)),
    split: new Uint8Array(n),
    threshold: new Float64Array(n),
    defaultLeft: new Uint8Array(n),
    categoryStart: new Int32Array(n + 1),
    categories: new Int32Array(0),
    value: new Float64Array(n),
    cover: new Float64Array(n).fill(1),
    baseMargin: 0,
  };
  assert.throws(() => prepareTreeShap(forest, depth + 1), (e: Error) => e.name === 'InputError' && /more than 30 distinct features/.test(e.message));
  // With 30 distinct features the deep leaves are computed directly (no table that large); still additive.
  const deep: Forest = { ...forest, feature: forest.feature.map((f) => Math.min(f, 29)), value: Float64Array.from({ length: n }, (_, k) => (left[k] < 0 ? Math.fround(Math.sin(k)) : 0)), threshold: Float64Array.from({ length: n }, (_, k) => Math.fround(Math.cos(k))) };
  const ts = prepareTreeShap(deep, depth + 1);
  assert.ok(ts.directLeaf.length > 0 && ts.table.length > 0, 'shallow leaves tabulated, deep ones computed directly');
  const random = rng(7);
  for (let round = 0; round < 20; round++) {
    const x = Float64Array.from({ length: depth + 1 }, () => (random() < 0.1 ? NaN : random() * 2 - 1));
    const phi = new Float64Array(depth + 1);
    addTreeShap(ts, x, 0, phi, 0, new TreeShapScratch(ts));
    const margin = forestMargin(deep, x, 0);
    assert.ok(Math.abs(ts.baseValue + phi.reduce((a, b) => a + b, 0) - margin) <= EXACT, `round ${round}`);
  }
});
