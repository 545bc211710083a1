/**
 * Numeric garbage and broken shapes in a model are refused at load, with the model file, tree, node and
 * field named (models/forest.ts, xgboost.ts, lightgbm.ts): never scored into NaN or a wrong band, never walked
 * into a stack overflow. A tree at the depth limit loads, scores and explains.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModel } from '../../extension/engine/models/load';
import { MAX_TREE_DEPTH } from '../../extension/engine/models/forest';
import { forestMargin } from '../../extension/engine/models/score';
import { prepareExplainer } from '../../extension/engine/explain/explainer';
import { InputError } from '../../extension/engine/errors';
import type { XGBoostModel } from '../../extension/engine/models/types';

const FIXTURE = readFileSync(join(__dirname, '..', 'fixtures', 'xgb', 'binary_d3_named.json'), 'utf8');
const FILE = '/models/m.json';

type Tree = Record<string, unknown[]>;
/** The fixture as JSON text with tree 0 changed by `edit`; `raw` replaces "RAW" placeholders with JSON text JSON.stringify cannot write. */
function modelText(edit: (tree: Tree, doc: Record<string, any>) => void, raw = ''): string {
  const doc = JSON.parse(FIXTURE);
  edit(doc.learner.gradient_booster.model.trees[0], doc);
  return JSON.stringify(doc).replace(/"RAW"/g, raw);
}
const load = (text: string) => parseModel(JSON.parse(text), FILE);

function refused(text: string, message: RegExp): void {
  assert.throws(() => load(text), (e: unknown) => {
    assert.ok(e instanceof InputError, `not an InputError: ${String(e)}`);
    assert.equal(e.place.file, FILE, 'the model file is blamed');
    assert.match(e.message, message);
    return true;
  });
}

const leaf = (tree: Tree) => (tree.left_children as number[]).findIndex((c) => c === -1);

test('non-finite and non-numeric split conditions and leaf values are refused, naming tree, node and field', () => {
  refused(modelText((t) => (t.split_conditions[0] = 'NaN')), /^\/models\/m\.json: tree 0, node 0: "split_conditions" is "NaN", not a number$/);
  refused(modelText((t) => (t.split_conditions[0] = null)), /tree 0, node 0: "split_conditions" is null, not a number$/);
  refused(modelText((t) => (t.split_conditions[2] = 'RAW'), '1e400'), /tree 0, node 2: "split_conditions" is Infinity, beyond the ±3\.4e38 a float32 holds$/);
  refused(modelText((t) => (t.split_conditions[2] = 'RAW'), '-1e400'), /tree 0, node 2: "split_conditions" is -Infinity/);
  refused(modelText((t) => (t.split_conditions[leaf(t)] = 'RAW'), '1e39'), /tree 0, node \d+: the leaf value \("split_conditions"\) is Infinity, not a finite number$/);
  refused(modelText((t) => (t.split_conditions[leaf(t)] = 'NaN')), /tree 0, node \d+: "split_conditions" is "NaN", not a number$/);
  refused(modelText((t) => (t.split_conditions[leaf(t)] = '0.5')), /"split_conditions" is "0\.5", not a number$/);
});

test('cover (sum_hessian), child indices, features and flags are checked too', () => {
  refused(modelText((t) => (t.sum_hessian[1] = 'NaN')), /tree 0, node 1: "sum_hessian" is "NaN", not a number$/);
  refused(modelText((t) => (t.sum_hessian[1] = -3)), /tree 0, node 1: "sum_hessian" is -3, not a finite number ≥ 0$/);
  refused(modelText((t) => (t.left_children[0] = 1.5)), /tree 0, node 0: child 1\.5 \("left_children"\) is not a node of the tree/);
  refused(modelText((t) => (t.right_children[0] = null)), /tree 0, node 0: "right_children" is null, not a number$/);
  refused(modelText((t) => (t.split_indices[0] = 'RAW'), '1e400'), /tree 0, node 0: "split_indices" is Infinity, but the model has 8 features/);
  refused(modelText((t) => (t.default_left[0] = 2)), /tree 0, node 0: "default_left" is 2, not 0, 1, false or true$/);
  refused(modelText((t) => t.sum_hessian.pop()), /tree 0: "sum_hessian" has \d+ entries for \d+ nodes/);
});

test('a cycle, a shared child or a half leaf is refused at load, blaming the model, not the case file', () => {
  refused(modelText((t) => (t.left_children[1] = 0)), /tree 0, node 1: child 0 \("left_children"\) is not a node of the tree/);
  // Node 2 points back to node 1 (its sibling's subtree): a cycle through 1 → 3 … or a shared child.
  refused(modelText((t) => (t.left_children[2] = t.left_children[1])), /tree 0, node \d+: its child \d+ \("left_children"\) is reached twice: the nodes do not form a tree/);
  refused(modelText((t) => {
    // 1 → 3 → 1: node 3's left child is its own parent.
    t.left_children[3] = 1;
  }), /the nodes do not form a tree/);
  refused(modelText((t) => (t.right_children[0] = -1)), /tree 0, node 0: child -1 \("right_children"\) is not a node of the tree/);
});

/** A one-tree model whose tree is a chain `depth` levels deep: node 2k splits on feature k mod 8, its left child a leaf. */
function chain(depth: number): string {
  return modelText((t, doc) => {
    const n = 2 * depth + 1;
    const fill = (v: number) => new Array<number>(n).fill(v);
    const tree: Tree = { left_children: fill(-1), right_children: fill(-1), split_indices: fill(0), split_conditions: fill(0), default_left: fill(0), sum_hessian: fill(1), base_weights: fill(0), loss_changes: fill(0), parents: fill(0), split_type: fill(0) };
    for (let k = 0; k < depth; k++) {
      const i = 2 * k;
      tree.left_children[i] = i + 1;
      tree.right_children[i] = i + 2;
      tree.split_indices[i] = k % 8;
      tree.split_conditions[i] = (k % 7) - 3;
      tree.sum_hessian[i] = 2 * (depth - k) + 1;
      tree.split_conditions[i + 1] = ((k % 5) - 2) / 100;
    }
    Object.assign(t, tree);
    doc.learner.gradient_booster.model.trees = [t];
    doc.learner.gradient_booster.model.tree_info = [0];
  });
}

test(`a tree deeper than ${MAX_TREE_DEPTH} levels is refused at load; one at the limit scores and explains without overflowing the stack`, () => {
  refused(chain(MAX_TREE_DEPTH + 1), new RegExp(`tree 0, node \\d+: the tree is deeper than ${MAX_TREE_DEPTH} levels, more than Risk Review reads$`));
  refused(chain(5000), /deeper than/);
  const model = load(chain(MAX_TREE_DEPTH)) as XGBoostModel;
  const x = Float64Array.from([0.5, -1, 2, NaN, 0, 3, -2, 1]);
  const margin = forestMargin(model.forest, x, 0);
  assert.ok(Number.isFinite(margin));
  const explainer = prepareExplainer(model, { kind: 'none' } as never, { file: FILE });
  const phi = new Float64Array(8);
  const explained = explainer.explainInto(x, 0, phi, 0);
  assert.equal(explained, margin);
  // Efficiency: the attributions add up to the margin from the base value.
  assert.ok(Math.abs(explainer.baseValue + phi.reduce((a, b) => a + b, 0) - margin) < 1e-9);
});

test('an unknown model kind is named in the message', () => {
  assert.throws(() => parseModel({ kind: 'quantum-forest', qubits: 7 }, FILE), /: \/models\/m\.json: has "kind": "quantum-forest", which Risk Review does not read; it reads "logistic" and "scorecard" models \(\*\.riskmodel\.json\), XGBoost JSON models and LightGBM models$/);
  assert.throws(() => parseModel({ kind: 42 }, FILE), /has "kind": 42, which Risk Review does not read/);
});
