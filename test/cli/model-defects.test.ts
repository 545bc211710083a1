/**
 * A defective model through the CLI: refused with exit 1 and one line that names the model file and
 * the tree, node and field — never exit 0 with NaN or null scores, never an internal error (exit 70),
 * never a message that blames the case file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCleanFailure, runCli } from '../helpers/cli';

const d = mkdtempSync(join(tmpdir(), 'rr-model-defects-'));
const at = (f: string) => join(d, f);
const fixtures = join(__dirname, '..', 'fixtures', 'xgb');
const data = join(fixtures, 'binary_d3_named.csv');
const original = readFileSync(join(fixtures, 'binary_d3_named.json'), 'utf8');

function model(name: string, edit: (tree: Record<string, unknown[]>) => void): string {
  const doc = JSON.parse(original);
  edit(doc.learner.gradient_booster.model.trees[0]);
  writeFileSync(at(name), JSON.stringify(doc).replace(/"RAW"/g, '1e400'));
  return at(name);
}
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const DEFECTS: readonly { what: string; file: string; says: string }[] = [
  { what: 'a "NaN" split condition', file: model('nan-split.json', (t) => (t.split_conditions[0] = 'NaN')), says: 'tree 0, node 0: "split_conditions" is "NaN", not a number' },
  { what: 'a null split condition', file: model('null-split.json', (t) => (t.split_conditions[1] = null)), says: 'tree 0, node 1: "split_conditions" is null, not a number' },
  { what: 'an infinite leaf (1e400)', file: model('inf-leaf.json', (t) => (t.split_conditions[7] = 'RAW')), says: 'tree 0, node 7: the leaf value ("split_conditions") is Infinity, not a finite number' },
  { what: 'a NaN cover', file: model('nan-hessian.json', (t) => (t.sum_hessian[2] = 'NaN')), says: 'tree 0, node 2: "sum_hessian" is "NaN", not a number' },
  { what: 'a cycle', file: model('cycle.json', (t) => (t.left_children[3] = 1)), says: 'tree 0, node 3: its child 1 ("left_children") is reached twice: the nodes do not form a tree' },
];

for (const defect of DEFECTS) {
  for (const verb of [['score'], ['explain', '--all'], ['export', '--case', 'C0001']]) {
    test(`${verb[0]}: ${defect.what} → exit 1 naming the model file, tree, node and field`, () => {
      const r = runCli([...verb, '--model', defect.file, '--data', data, '--id-column', 'case_id']);
      assertCleanFailure(r, new RegExp(`^risk-review: ${esc(defect.file)}: ${esc(defect.says)}`, 'm'));
      assert.ok(!r.stderr.includes('binary_d3_named.csv'), 'the case file is not blamed');
    });
  }
}

test('an unknown model kind is named', () => {
  writeFileSync(at('quantum.riskmodel.json'), JSON.stringify({ kind: 'quantum-forest', qubits: 7 }));
  assertCleanFailure(runCli(['score', '--model', at('quantum.riskmodel.json'), '--data', data, '--id-column', 'case_id']), /has "kind": "quantum-forest", which Risk Review does not read/);
});

test('a logistic model whose terms overflow gives exit 1 for the case, not a NaN score', () => {
  writeFileSync(at('overflow.csv'), 'id,a,b\nA,1,2\nB,1e300,-1e300\n');
  writeFileSync(at('overflow.riskmodel.json'), JSON.stringify({ kind: 'logistic', intercept: 0, coefficients: { a: 1e10, b: 1e10 } }));
  assertCleanFailure(runCli(['score', '--model', at('overflow.riskmodel.json'), '--data', at('overflow.csv'), '--id-column', 'id']), /overflow\.csv, line 3, case "B": the model gives this case no score: its terms overflow/);
});
