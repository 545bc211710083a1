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
import { stringify } from 'csv-stringify/sync';
import { MAX_RECORD_SIZE, parseCsv, parseNumber, readCsv } from '../../extension/engine/data/csv';
import { bindCases } from '../../extension/engine/data/cases';
import { jsonSyntaxError } from '../../extension/engine/data/json-syntax';
import { loadModel, parseModel, parseModelText } from '../../extension/engine/models/load';
import { checkUtf8, decodeUtf8, firstInvalidUtf8, parseJson } from '../../extension/engine/io';
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

/** XGBoost with a categorical split, and a LightGBM dump_model JSON with a numeric and a categorical split. */
const xgboostCategorical = {
  ...xgboost,
  learner: {
    ...xgboost.learner,
    feature_types: ['q', 'c'],
    gradient_booster: {
      name: 'gbtree',
      model: {
        trees: [
          { left_children: [1, -1, -1], right_children: [2, -1, -1], split_indices: [1, 0, 0], split_conditions: [0, -0.2, 0.3], default_left: [1, 0, 0], sum_hessian: [10, 4, 6], split_type: [1, 0, 0], categories: [1, 33], categories_nodes: [0], categories_segments: [0], categories_sizes: [2] },
        ],
      },
    },
  },
};
const leaf = (k: number, value: number, count: number) => ({ leaf_index: k, leaf_value: value, leaf_count: count });
const lightgbmDump = {
  name: 'tree',
  version: 'v4',
  num_class: 1,
  num_tree_per_iteration: 1,
  objective: 'binary sigmoid:1',
  feature_names: ['a', 'b'],
  feature_infos: { a: { min_value: 0, max_value: 1, values: [] }, b: { min_value: 0, max_value: 3, values: [0, 1, 2, 3] } },
  tree_info: [
    {
      tree_index: 0,
      num_leaves: 3,
      tree_structure: {
        split_index: 0,
        split_feature: 0,
        threshold: 0.5,
        decision_type: '<=',
        default_left: true,
        missing_type: 'NaN',
        internal_count: 100,
        left_child: { split_index: 1, split_feature: 1, threshold: '1||3', decision_type: '==', default_left: false, missing_type: 'None', internal_count: 50, left_child: leaf(0, 0.1, 20), right_child: leaf(1, -0.2, 30) },
        right_child: leaf(2, 0.3, 50),
      },
    },
  ],
};

for (const [name, doc] of Object.entries({ scorecard, logistic, xgboost, xgboostCategorical, lightgbmDump })) {
  test(`model loader: mutated ${name} models load or give an InputError`, () => {
    assert.doesNotThrow(() => parseModel(doc, 'm.json'));
    fc.assert(fc.property(mutations(doc), (m) => onlyInputErrors(() => parseModel(m, 'm.json'))), RUNS);
  });
}

test('LightGBM text reader: truncated, corrupted and spliced model text gives an InputError', () => {
  const text = readFileSync(join(__dirname, '..', 'fixtures', 'lightgbm', 'zeros.txt'), 'utf8');
  assert.doesNotThrow(() => parseModelText(text, 'm.txt'));
  const junk = fc.constantFrom('', '-', 'nan', 'inf', '1e999', '=', '\n', '\n\n', 'Tree=9\n', ' 7', 'x', '-1', '99999');
  fc.assert(
    fc.property(fc.integer({ min: 0, max: text.length - 1 }), fc.integer({ min: 0, max: 40 }), junk, (at, cut, bad) => onlyInputErrors(() => parseModelText(text.slice(0, at) + bad + text.slice(at + cut), 'm.txt'))),
    RUNS,
  );
});

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

test('CSV reader: a table written by csv-stringify (quotes, commas, line breaks, CRLF, BOM) reads back cell for cell, with its lines', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'é', ' ', ',', '"', '\n', '\r\n', '\r', '1', '.', '-', '𝔘'), maxLength: 8 });
  // Lines as editors count them: "\r\n", "\n" and a lone "\r" each end one.
  const breaks = (s: string) => s.match(/\r\n|\r|\n/g)?.length ?? 0;
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.array(text, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 6 }), fc.boolean(), fc.constantFrom('\n', '\r\n'), (cols, raw, bom, eol) => {
      // Each row starts with a plain id so that no row is empty (csv-parse skips empty lines).
      const rows = raw.map((r, i) => [`r${i}`, ...r.slice(0, cols)]);
      const header = ['id', ...Array.from({ length: cols }, (_, j) => `c${j}`)];
      const body = stringify([header, ...rows], { record_delimiter: eol === '\n' ? 'unix' : 'windows', quoted_match: /^\s|\s$/ });
      const t = parseCsv((bom ? '\uFEFF' : '') + body, 'rt.csv', header);
      assert.deepEqual(t.header, header);
      assert.equal(t.rowCount, rows.length);
      const written = (row: string[]) => stringify([row], { record_delimiter: eol === '\n' ? 'unix' : 'windows', quoted_match: /^\s|\s$/ });
      let line = 1 + breaks(written(header));
      rows.forEach((r, i) => {
        r.forEach((cell, j) => assert.equal(t.cell(i, header[j]), cell));
        line += breaks(written(r));
        assert.equal(t.lines[i], line - 1, `line of row ${i}`);
      });
    }),
    RUNS,
  );
});

test('CSV reader in parts: any table csv-stringify writes reads the same on 1 and on several threads', () => {
  const text = fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\n', '\r\n', '\r', '1', '.', '-'), maxLength: 6 });
  fc.assert(
    fc.property(
      fc.array(fc.array(text, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 30 }),
      fc.constantFrom('unix', 'windows') as fc.Arbitrary<'unix' | 'windows'>,
      fc.integer({ min: 2, max: 4 }),
      // Damage: a stray quote, comma or line break somewhere (a stray quote makes the quote count lie).
      fc.option(fc.tuple(fc.nat(), fc.constantFrom('"', ',', '\n', '\r\n'))),
      (raw, eol, threads, damage) => {
      let body = stringify([['id', 'a', 'b', 'c'], ...raw.map((r, i) => [`r${i}`, ...r])], { record_delimiter: eol });
      if (damage) {
        const at = 9 + (damage[0] % (body.length - 9));
        body = body.slice(0, at) + damage[1] + body.slice(at);
      }
      const bytes = Buffer.from(body);
      const read = (t: number) => {
        try {
          const table = parseCsv(bytes, 'p.csv', ['id'], { threads: t });
          return { lines: [...table.lines], cells: table.header.map((h) => Array.from({ length: table.rowCount }, (_, i) => table.cell(i, h))) };
        } catch (e) {
          if (e instanceof InputError) return e.message;
          throw e;
        }
      };
      assert.deepEqual(read(threads), read(1));
      },
    ),
    { ...RUNS, numRuns: 80 },
  );
});

/** parseNumber as it was first written (trim, missing words, a regular expression), less infinities: the oracle for the fast path. */
function parseNumberOracle(s: string): number | undefined {
  const t = s.trim();
  if (['', 'NA', 'NaN', 'nan', 'N/A', 'null', 'NULL'].includes(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

test('parseNumber: the character-code fast path agrees with the regular expression on any short text', () => {
  const numberish = fc.string({ unit: fc.constantFrom('0', '1', '9', '.', '-', '+', 'e', 'E', ' ', '\t', 'x', 'N', 'A', 'a', 'n', '/'), maxLength: 10 });
  fc.assert(
    fc.property(fc.oneof(numberish, fc.string({ maxLength: 6 }), fc.double().map(String), fc.constantFrom('1e999', '-1e400', ' 7 ', 'NA ', '.5', '5.', '+.5e-3', '0x10', 'Infinity', '1_000')), (s) => {
      assert.deepEqual(parseNumber(s), parseNumberOracle(s), JSON.stringify(s));
    }),
    { ...RUNS, numRuns: 3000 },
  );
});

test('CSV reader: a field longer than the limit is an InputError with its line; one just under it is read', () => {
  const under = 'x'.repeat(MAX_RECORD_SIZE - 10);
  assert.equal(parseCsv(`id,note\nA,${under}\n`, 'big.csv', ['id']).cell(0, 'note').length, under.length);
  assert.throws(
    () => parseCsv(`id,note\nA,ok\nB,${'x'.repeat(2 * MAX_RECORD_SIZE)}\n`, 'big.csv', ['id']),
    (e: unknown) => e instanceof InputError && /^big\.csv, line 3: has a row longer than Risk Review reads/.test(e.message),
  );
});

test('UTF-8: the first invalid byte agrees with the WHATWG decoder, and its line and column are named', () => {
  // Bytes from ASCII, line breaks, lead and continuation bytes, and the bytes UTF-8 never uses.
  const bytes = fc.uint8Array({ maxLength: 40 }).chain((b) => fc.constant(b)).map((b) => b.map((x) => [0x41, 0x0a, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0xc0, 0xff, 0x80][x % 16]));
  const fatal = new TextDecoder('utf-8', { fatal: true });
  const lossy = new TextDecoder('utf-8');
  fc.assert(
    fc.property(fc.oneof(bytes, fc.uint8Array({ maxLength: 40 })), (b) => {
      const bad = firstInvalidUtf8(b);
      let valid = true;
      try {
        fatal.decode(b);
      } catch {
        valid = false;
      }
      assert.equal(bad === -1, valid);
      if (valid) {
        assert.equal(checkUtf8(b, 'u.csv'), b);
        return;
      }
      // Everything before the bad byte decodes; the decoder puts its first replacement right there.
      const before = fatal.decode(b.subarray(0, bad));
      assert.ok(lossy.decode(b).startsWith(before + '\uFFFD'));
      const lines = before.split('\n');
      const place = new RegExp(`^u\\.csv, line ${lines.length}, column ${[...lines[lines.length - 1].replace(/^\uFEFF/, '')].length + 1}: is not UTF-8 text`);
      for (const check of [() => checkUtf8(b, 'u.csv'), () => decodeUtf8(b, 'u.csv')]) {
        assert.throws(check, (e: unknown) => e instanceof InputError && place.test(e.message));
      }
    }),
    { ...RUNS, numRuns: 1000 },
  );
});

test('CSV files that are not UTF-8 give an InputError, whatever their bytes', () => {
  const d = mkdtempSync(join(tmpdir(), 'rr-fuzz-bytes-'));
  const file = join(d, 'cases.csv');
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      writeFileSync(file, Buffer.concat([Buffer.from('id,a\n'), b]));
      return onlyInputErrors(() => bindCases(readCsv(file, ['id']), [{ name: 'a', label: 'a' }], { idColumn: 'id' }));
    }),
    RUNS,
  );
});

test('JSON syntax: the located error agrees with JSON.parse on valid and damaged JSON', () => {
  const damaged = fc.tuple(fc.json(), fc.nat(), fc.nat({ max: 3 }), fc.constantFrom('', ',', '"', '}', ']', '\n', 'x', '0', '-', '\\', '\u0001', ' ')).map(([text, at, cut, insert]) => {
    const k = at % (text.length + 1);
    return text.slice(0, k) + insert + text.slice(k + cut);
  });
  fc.assert(
    fc.property(fc.oneof(fc.json(), damaged, fc.string({ maxLength: 20 })), (text) => {
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      const error = jsonSyntaxError(text);
      assert.equal(error === null, parses, JSON.stringify(text));
      if (error) {
        assert.ok(error.offset >= 0 && error.offset <= text.length);
        // The text up to the error is still a prefix of some JSON: appending cannot repair what precedes it.
        assert.equal(error.atEnd, error.offset === text.length);
      }
    }),
    { ...RUNS, numRuns: 2000 },
  );
});

test('deep JSON (100,000 levels) gives an InputError from every loader, not a stack overflow', () => {
  const d = mkdtempSync(join(tmpdir(), 'rr-fuzz-deep-'));
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const inKind = `{"kind": "logistic", "intercept": 0, "coefficients": {"a": ${deep}}}`;
  for (const [name, text] of Object.entries({ 'deep.json': deep, 'kind.json': inKind, 'open.json': '['.repeat(100_000) })) {
    writeFileSync(join(d, name), text);
    assert.throws(() => loadModel(join(d, name)), (e: unknown) => e instanceof InputError, name);
    assert.throws(() => readProject(join(d, name)), (e: unknown) => e instanceof InputError, name);
  }
});
