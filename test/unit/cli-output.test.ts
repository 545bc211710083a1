import { test } from 'node:test';
import assert from 'node:assert/strict';
import { json, jsonArray, jsonl } from '../../extension/cli/output';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const rows = [{ a: 1, b: [1, 2], c: { d: 'x\ny' } }, { a: 2, b: [], c: {} }, 'plain'];

test('jsonArray lays values out byte for byte as json([...values])', () => {
  assert.equal(text(jsonArray(rows)), json(rows));
  assert.equal(text(jsonArray([])), json([]));
  assert.equal(text(jsonArray([rows[0]])), json([rows[0]]));
});

test('jsonl writes one compact value a line, across slice boundaries too', () => {
  assert.equal(text(jsonl(rows)), rows.map((r) => JSON.stringify(r) + '\n').join(''));
  const many = Array.from({ length: 40_000 }, (_, i) => ({ i, pad: 'p'.repeat(500) }));
  const out = text(jsonl(many)).trimEnd().split('\n');
  assert.equal(out.length, many.length);
  assert.deepEqual(JSON.parse(out[39_999]), many[39_999]);
  assert.deepEqual(JSON.parse(text(jsonArray(many))), many);
});
