import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { json, JsonArrayFrame, streamOutput, type OutputStream } from '../../extension/cli/output';

const rows = [{ a: 1, b: [1, 2], c: { d: 'x\ny' } }, { a: 2, b: [], c: {} }, 'plain'];

/** Collects what is added to a stream. */
function collector(): OutputStream & { text: string } {
  return { text: '', add(t: string) { this.text += t; }, flush: async () => {} };
}

test('JsonArrayFrame lays items out byte for byte as json([...items])', () => {
  for (const items of [rows, [], [rows[0]]]) {
    const out = collector();
    const frame = new JsonArrayFrame(out);
    for (const r of items) frame.item(JSON.stringify(r, null, 2));
    frame.end();
    assert.equal(out.text, json(items));
  }
});

test('streamOutput to --out: written in slices, renamed into place at the end, nothing left on failure', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rr-stream-'));
  const file = join(dir, 'out.jsonl');
  const many = Array.from({ length: 40_000 }, (_, i) => ({ i, pad: 'p'.repeat(50) }));
  await streamOutput({ out: file }, async (out) => {
    for (const r of many) out.add(JSON.stringify(r) + '\n');
    await out.flush();
  });
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, many.length);
  assert.deepEqual(JSON.parse(lines[39_999]), many[39_999]);
  assert.deepEqual(readdirSync(dir), ['out.jsonl']);

  const failed = join(dir, 'failed.jsonl');
  await assert.rejects(
    streamOutput({ out: failed }, async (out) => {
      for (const r of many) out.add(JSON.stringify(r) + '\n'); // more than one slice is on disk by now
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.deepEqual(readdirSync(dir), ['out.jsonl'], 'neither the file nor its temporary file is left');
});
