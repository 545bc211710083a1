/**
 * Inputs must be regular files of a stated size (engine/io.ts READ_LIMITS): a device that never ends
 * (/dev/zero, /dev/urandom), a named pipe nobody writes to, or a file over its ceiling is refused at
 * once with one line naming it — for the case file, the model, the project, the background file and
 * the review log — and nothing is read first. Each run has a time limit, so a hang fails the test
 * instead of stalling it. An --out that is a device is refused too, never renamed over.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCleanFailure, runCli } from '../helpers/cli';

const d = mkdtempSync(join(tmpdir(), 'rr-special-'));
const at = (name: string) => join(d, name);
writeFileSync(at('m.riskmodel.json'), JSON.stringify({ kind: 'logistic', intercept: -1, coefficients: { priors: 0.5, age: -0.05 } }));
writeFileSync(at('ok.csv'), 'id,priors,age\nA,0,16\nB,4,14\n');
execFileSync('mkfifo', [at('pipe')]);

/** A sparse file of `bytes` bytes: no disk used, but its size is what a reader sees. */
function sparse(name: string, bytes: number): string {
  const fd = openSync(at(name), 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return at(name);
}
const bigCases = sparse('big.csv', 2 ** 31 + 1);
const bigModel = sparse('big.json', 256 * 2 ** 20 + 1);
const bigProject = sparse('big.riskreview.json', 16 * 2 ** 20 + 1);

const project = (fields: Record<string, string>) => {
  const file = at(`p${Object.keys(fields).join('-')}-${Math.random().toString(36).slice(2)}.riskreview.json`);
  writeFileSync(file, JSON.stringify({ model: at('m.riskmodel.json'), data: at('ok.csv'), idColumn: 'id', ...fields }));
  return file;
};
const files = (model: string, data: string) => ['--model', model, '--data', data, '--id-column', 'id'];
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const CASES: readonly { what: string; args: string[]; pattern: RegExp }[] = [
  { what: '/dev/zero as the case file', args: files(at('m.riskmodel.json'), '/dev/zero'), pattern: /^risk-review: \/dev\/zero: is a character device, not a file; Risk Review reads regular files only$/m },
  { what: '/dev/urandom as the case file', args: files(at('m.riskmodel.json'), '/dev/urandom'), pattern: /^risk-review: \/dev\/urandom: is a character device, not a file/ },
  { what: '/dev/zero as the model', args: files('/dev/zero', at('ok.csv')), pattern: /^risk-review: \/dev\/zero: is a character device, not a file/ },
  { what: '/dev/zero as the project', args: ['--project', '/dev/zero'], pattern: /^risk-review: \/dev\/zero: is a character device, not a file/ },
  { what: 'a named pipe as the case file', args: files(at('m.riskmodel.json'), at('pipe')), pattern: new RegExp(`^risk-review: ${esc(at('pipe'))}: is a named pipe \\(FIFO\\), not a file; Risk Review reads regular files only$`, 'm') },
  { what: 'a named pipe as the model', args: files(at('pipe'), at('ok.csv')), pattern: /is a named pipe \(FIFO\), not a file/ },
  { what: 'a named pipe as the project', args: ['--project', at('pipe')], pattern: /is a named pipe \(FIFO\), not a file/ },
  { what: 'a named pipe as the background file', args: ['--project', project({ background: at('pipe') })], pattern: /pipe: is a named pipe \(FIFO\), not a file/ },
  { what: '/dev/zero as the background file', args: ['--project', project({ background: '/dev/zero' })], pattern: /\/dev\/zero: is a character device, not a file/ },
  { what: 'a case file over 2 GiB', args: files(at('m.riskmodel.json'), bigCases), pattern: /big\.csv: is 2,147,483,649 bytes, more than Risk Review reads as a case file \(at most 2 GiB\)$/m },
  { what: 'a model over 256 MiB', args: files(bigModel, at('ok.csv')), pattern: /big\.json: is 268,435,457 bytes, more than Risk Review reads as a model file \(at most 256 MiB\)$/m },
  { what: 'a project over 16 MiB', args: ['--project', bigProject], pattern: /big\.riskreview\.json: is 16,777,217 bytes, more than Risk Review reads as a project file \(at most 16 MiB\)$/m },
];

for (const c of CASES) {
  test(`score: ${c.what} → refused at once with one line`, () => {
    const started = Date.now();
    const r = runCli(['score', ...c.args], { timeoutMs: 20_000 });
    assert.notEqual(r.code, null, `${c.what}: still running after 20 s (killed)`);
    assertCleanFailure(r, c.pattern);
    assert.ok(Date.now() - started < 10_000, `${c.what}: took ${Date.now() - started} ms`);
  });
}

test('export --review-log: a named pipe or a device as the review log is refused, not waited on', () => {
  for (const log of [at('pipe'), '/dev/zero']) {
    const out = at(`summary-${log.length}.md`);
    const r = runCli(['export', ...files(at('m.riskmodel.json'), at('ok.csv')), '--case', 'A', '--review-log', log, '--out', out], { timeoutMs: 20_000 });
    assert.notEqual(r.code, null, `${log}: still running after 20 s (killed)`);
    assertCleanFailure(r, /(is a named pipe \(FIFO\)|is a character device), not a file/);
  }
});

test('--out that is a device or a folder is refused even with --force, and nothing is renamed over it', () => {
  for (const out of ['/dev/null', d]) {
    const r = runCli(['score', ...files(at('m.riskmodel.json'), at('ok.csv')), '--out', out, '--force']);
    assertCleanFailure(r, /(is a character device|is a folder), not a file; Risk Review writes only regular files/);
  }
  assert.ok(readdirSync('/dev').includes('null'));
});
