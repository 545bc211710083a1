/**
 * Property-based and mutation tests: whatever bytes arrive as a case file, a model or a project, the
 * loaders either succeed or throw our own `InputError` — never a TypeError, RangeError or a csv-parse
 * error escaping with a stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../extension/engine/data/csv';
import { bindCases } from '../../extension/engine/data/cases';
import { parseModel } from '../../extension/engine/models/load';
import { parseJson } from '../../extension/engine/io';
import { readProject } from '../../extension/engine/project';
import { InputError } from '../../extension/engine/errors';

const RUNS = { numRuns: 300, seed: 20261123 };

function onlyInputErrors(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (e instanceof InputError) return true;
    throw e;
  }
}

const cell = fc.oneof(fc.constantFrom('', 'NA', 'NaN', '1', '-2.5', '1e3', 'abc', '"q"', 'a,b', '\r', ' 7 '), fc.string({ maxLength: 6 }));
const csvText = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.array(fc.array(cell, { minLength: 0, maxLength: 6 }), { maxLength: 8 }), fc.boolean(), fc.constantFrom('\n', '\r\n'))
  .map(([cols, rows, bom, eol]) => {
    const header = Array.from({ length: cols }, (_, j) => `c${j}`).join(',');
    return (bom ? '\uFEFF' : '') + [header, ...rows.map((r) => r.join(','))].join(eol);
  });

test('CSV reader and case binding: any text gives a table or an InputError', () => {
  fc.assert(
    fc.property(fc.oneof(csvText, fc.string({ maxLength: 200 })), (text) =>
      onlyInputErrors(() => {
        const t = parseCsv(text, 'fuzz.csv', ['c0']);
        bindCases(t, [{ name: 'c1', label: 'c1' }], { idColumn: 'c0', outcomeColumn: t.header.includes('c2') ? 'c2' : undefined, groupColumns: t.header.includes('c3') ? ['c3'] : [] });
      }),
    ),
    RUNS,
  );
});

/** Random JSON edits of a valid document: drop, retype or replace a value anywhere in it. */
function mutations(doc: unknown): fc.Arbitrary<unknown> {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, p: (string | number)[]) => {
    paths.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
  };
  walk(doc, []);
  const replacement = fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer(), fc.double(), fc.string({ maxLength: 5 }), fc.constant([]), fc.constant({}), fc.boolean(), fc.constant('[5E-1]'), fc.constant(-1));
  return fc.tuple(fc.constantFrom(...paths), replacement).map(([path, value]) => {
    const copy = structuredClone(doc) as Record<string | number, unknown>;
    if (path.length === 0) return value;
    let node: Record<string | number, unknown> = copy;
    for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
    const last = path[path.length - 1];
    if (value === undefined) delete node[last];
    else node[last] = value;
    return copy;
  });
}

const scorecard = {
  kind: 'scorecard',
  items: [
    { feature: 'a', bins: [{ below: 1, points: 0 }, { points: 2 }] },
    { feature: 'b', categories: { x: 1, y: 2 }, missingPoints: 0 },
  ],
  bands: [{ label: 'Low', below: 2 }, { label: 'High' }],
  probability: { method: 'table', totals: [0, 4], probabilities: [0.1, 0.6] },
};
const logistic = { kind: 'logistic', intercept: 0.5, coefficients: { a: 1, b: -1 }, labels: { a: 'A' } };
const xgboost = {
  learner: {
    feature_names: ['a', 'b'],
    feature_types: ['float', 'float'],
    objective: { name: 'binary:logistic' },
    learner_model_param: { base_score: '5E-1', num_class: '0', num_feature: '2' },
    gradient_booster: {
      name: 'gbtree',
      model: {
        trees: [
          { left_children: [1, -1, -1], right_children: [2, -1, -1], split_indices: [0, 0, 0], split_conditions: [0.5, -0.2, 0.3], default_left: [1, 0, 0], sum_hessian: [10, 4, 6], split_type: [0, 0, 0] },
        ],
      },
    },
  },
  version: [1, 7, 4],
};

for (const [name, doc] of Object.entries({ scorecard, logistic, xgboost })) {
  test(`model loader: mutated ${name} models load or give an InputError`, () => {
    assert.doesNotThrow(() => parseModel(doc, 'm.json'));
    fc.assert(fc.property(mutations(doc), (m) => onlyInputErrors(() => parseModel(m, 'm.json'))), RUNS);
  });
}

test('JSON reader: truncated and corrupted model text gives an InputError with a place', () => {
  const text = JSON.stringify(xgboost);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: text.length - 1 }), fc.string({ maxLength: 3 }), (cut, junk) =>
      onlyInputErrors(() => parseModel(parseJson(text.slice(0, cut) + junk, 'm.json'), 'm.json')),
    ),
    RUNS,
  );
});

test('project loader: mutated project files load or give an InputError', () => {
  const d = mkdtempSync(join(tmpdir(), 'rr-fuzz-'));
  const project = { name: 'p', model: 'm.json', data: 'c.csv', idColumn: 'id', outcomeColumn: 'y', groupColumns: ['g'], threshold: 0.5, bands: [{ label: 'Low', below: 0.3 }, { label: 'High' }], features: { a: { label: 'A' } } };
  const file = join(d, 'p.riskreview.json');
  fc.assert(
    fc.property(mutations(project), (p) => {
      writeFileSync(file, JSON.stringify(p) ?? '');
      return onlyInputErrors(() => readProject(file));
    }),
    RUNS,
  );
  assert.ok(readFileSync(file, 'utf8').length >= 0);
});
