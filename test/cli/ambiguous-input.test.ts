/**
 * What Risk Review decides for inputs that are legal but ambiguous, as README.md and
 * docs/file-formats.md state it:
 *   - ids equal after Unicode NFC normalisation are one id: two of them in a case file are a duplicate,
 *     and `--case` finds an id typed in either form (the id is shown as the file has it);
 *   - two bands with one label, or a band edge outside [0, 1] on a probability score, are refused;
 *   - `--out` onto one of the run's own inputs is refused, `--force` or not (exit 2, the input intact).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCleanFailure, runCli } from '../helpers/cli';
import { confineToProjectFolder, readProject } from '../../extension/engine/project';

const d = mkdtempSync(join(tmpdir(), 'rr-ambiguous-'));
const at = (f: string) => join(d, f);
const NFC = 'Jos\u00e9';
const NFD = 'Jose\u0301';
writeFileSync(at('m.riskmodel.json'), JSON.stringify({ kind: 'logistic', intercept: -1, coefficients: { x: 0.5 } }));
writeFileSync(at('twice.csv'), `id,x\n${NFD},1\nB,2\n${NFC},3\n`);
writeFileSync(at('once.csv'), `id,x\n${NFD},1\nB,2\n`);
const files = (data: string) => ['--model', at('m.riskmodel.json'), '--data', at(data), '--id-column', 'id'];

test('ids equal after NFC are one id: a second is a duplicate, named with both lines', () => {
  assertCleanFailure(runCli(['score', ...files('twice.csv')]), new RegExp(`twice\\.csv, line 4, column "id": case id "${NFC}" appears twice \\(also on line 2 as "${NFD}", which differs only in how its accents are encoded \\(Unicode NFC\\), so it is the same id\\)`));
});

test('--case finds an id typed in the other Unicode form; the output keeps the file\'s form', () => {
  const r = runCli(['explain', ...files('once.csv'), '--case', NFC]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).caseId, NFD);
});

test('duplicate band labels and probability bands outside [0, 1] are refused; an instrument\'s point bands are not', () => {
  const project = (name: string, bands: unknown) => {
    writeFileSync(at(name), JSON.stringify({ model: 'm.riskmodel.json', data: 'once.csv', idColumn: 'id', bands }));
    return ['--project', at(name)];
  };
  assertCleanFailure(runCli(['score', ...project('dup.riskreview.json', [{ label: 'High', below: 0.3 }, { label: 'High' }])]), /dup\.riskreview\.json: "bands": two bands are labelled "High"; each band needs its own label$/m);
  assertCleanFailure(runCli(['score', ...project('wide.riskreview.json', [{ label: 'Low', below: 0.3 }, { label: 'Mid', below: 1.5 }, { label: 'High' }])]), /wide\.riskreview\.json: "bands": band "Mid" ends below 1\.5, but the score is a probability: band edges must be between 0 and 1$/m);
  assertCleanFailure(runCli(['score', ...project('negative.riskreview.json', [{ label: 'Low', below: -0.1 }, { label: 'High' }])]), /band "Low" ends below -0\.1/);
  writeFileSync(at('card.riskmodel.json'), JSON.stringify({ kind: 'scorecard', items: [{ feature: 'x', bins: [{ below: 2, points: 0 }, { points: 10 }] }], bands: [{ label: 'Low', below: 5 }, { label: 'High' }] }));
  writeFileSync(at('card.riskreview.json'), JSON.stringify({ model: 'card.riskmodel.json', data: 'once.csv', idColumn: 'id', bands: [{ label: 'Low', below: 5 }, { label: 'High', below: 8 }, { label: 'Very high' }] }));
  assert.equal(runCli(['score', '--project', at('card.riskreview.json')]).code, 0);
});

test('--out onto an input of the same run is refused even with --force, by name, link or symbolic link', () => {
  const before = readFileSync(at('once.csv'), 'utf8');
  linkSync(at('once.csv'), at('hard.csv'));
  symlinkSync(at('once.csv'), at('soft.csv'));
  for (const out of [at('once.csv'), at('hard.csv'), at('soft.csv')]) {
    const r = runCli(['score', ...files('once.csv'), '--format', 'csv', '--out', out, '--force']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /is the case file this run reads; Risk Review does not write its output over its own input \(choose another file\)/);
  }
  const model = runCli(['explain', ...files('once.csv'), '--all', '--out', at('m.riskmodel.json'), '--force']);
  assert.equal(model.code, 2);
  assert.match(model.stderr, /is the model this run reads/);
  writeFileSync(at('log.jsonl'), '');
  const log = runCli(['export', ...files('once.csv'), '--case', 'B', '--review-log', at('log.jsonl'), '--out', at('log.jsonl'), '--force']);
  assert.equal(log.code, 2);
  assert.match(log.stderr, /is the review log this run reads/);
  assert.equal(readFileSync(at('once.csv'), 'utf8'), before, 'the case file is intact');
});

test('in an untrusted workspace a project may name only files in its own folder (symbolic links followed)', () => {
  const inner = mkdtempSync(join(tmpdir(), 'rr-confined-'));
  writeFileSync(join(inner, 'm.riskmodel.json'), readFileSync(at('m.riskmodel.json')));
  writeFileSync(join(inner, 'cases.csv'), 'id,x\nA,1\n');
  symlinkSync(at('once.csv'), join(inner, 'linked.csv'));
  const write = (name: string, fields: Record<string, string>) => {
    writeFileSync(join(inner, name), JSON.stringify({ model: 'm.riskmodel.json', data: 'cases.csv', idColumn: 'id', ...fields }));
    return readProject(join(inner, name));
  };
  confineToProjectFolder(write('ok.riskreview.json', {}));
  assert.throws(() => confineToProjectFolder(write('up.riskreview.json', { data: '../' + d.split('/').pop() + '/once.csv' })), /names a case file outside the project's folder .*; in a workspace VS Code does not trust, a project may only name files in its own folder/);
  assert.throws(() => confineToProjectFolder(write('abs.riskreview.json', { model: at('m.riskmodel.json') })), /names a model outside the project's folder/);
  assert.throws(() => confineToProjectFolder(write('link.riskreview.json', { data: 'linked.csv' })), /names a case file outside/);
  assert.throws(() => confineToProjectFolder(write('bg.riskreview.json', { background: '/etc/passwd' })), /names a background file outside/);
});
