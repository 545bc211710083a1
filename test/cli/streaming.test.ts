/**
 * Long verbs as a user at a terminal and a script see them: `score`, `explain --all`, `export --all` and
 * `calibration --bootstrap` draw a progress bar (share, count, rate, time left) on standard error only
 * when it is a terminal, and always end with one line of figures; an interrupted run (Ctrl-C) leaves
 * neither its output nor its temporary file behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runCli } from '../helpers/cli';
import { finalFigures, progressLine } from '../../extension/cli/progress';

const d = mkdtempSync(join(tmpdir(), 'rr-stream-'));
const at = (f: string) => join(d, f);
const N = 150_000;
const M = 12;
const features = Array.from({ length: M }, (_, j) => `f${j}`);
let csv = `id,g,${features.join(',')},y\n`;
for (let i = 0; i < N; i++) csv += `C${i},${'ABC'[i % 3]},${features.map((_, j) => ((i * (j + 7)) % 97) / 10).join(',')},${i % 2}\n`;
writeFileSync(at('cases.csv'), csv);
writeFileSync(at('m.riskmodel.json'), JSON.stringify({ kind: 'logistic', intercept: -1, coefficients: Object.fromEntries(features.map((f, j) => [f, (j - 6) / 50])) }));
const input = ['--model', at('m.riskmodel.json'), '--data', at('cases.csv'), '--id-column', 'id'];
const FINAL = /^risk-review: (scored|explained|exported) [\d,]+ cases? in [\d.]+ (s|min \d+ s) \(read in [\d.]+ s, then [\d,]+ cases\/s\)$/m;

test('the bar and the final line say what people expect', () => {
  const words = { label: 'explain', done: 'explained', unit: 'case' };
  assert.equal(progressLine(words, 2_100_000, 5_000_000, 17.8), 'explain [██████████░░░░░░░░░░░░░░]  42%  2,100,000 of 5,000,000 cases · 117,978 cases/s · 25 s left');
  assert.equal(progressLine(words, 0, 10, 0), 'explain [░░░░░░░░░░░░░░░░░░░░░░░░]   0%  0 of 10 cases · 0 cases/s · unknown left');
  assert.equal(finalFigures(words, 5_000_000, 52, 12), '5,000,000 cases in 52 s (read in 12 s, then 125,000 cases/s)');
  assert.equal(finalFigures({ label: 'bootstrap', done: 'bootstrap ran', unit: 'replicate' }, 1, 0.5, 0.25), '1 replicate in 0.5 s (read in 0.3 s, then 4 replicates/s)');
});

test('not a terminal: no bar, no control codes, one final line of figures', () => {
  for (const args of [['score', '--format', 'csv'], ['explain', '--all']]) {
    const r = runCli([...args, ...input, '--out', at(`plain-${args[0]}.out`)]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, FINAL);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /[\r\x1b█]/);
  }
});

test('on a terminal: a bar with share, count, rate and time left, then the final line', { skip: !existsSync('/usr/bin/script') && 'needs script(1) for a pseudo-terminal' }, () => {
  const command = [process.execPath, CLI, 'explain', '--all', ...input, '--out', at('tty.jsonl')].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qfec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '120' } });
  assert.equal(r.status, 0, r.stdout);
  const bars = r.stdout.split('\r').filter((s) => s.startsWith('explain ['));
  assert.ok(bars.length >= 1, `no bar drawn: ${JSON.stringify(r.stdout.slice(0, 400))}`);
  assert.match(bars[bars.length - 1], /^explain \[[█░]{24}\] +\d+%  [\d,]+ of 150,000 cases · [\d,]+ cases\/s · .+ left\x1b\[K$/);
  assert.match(r.stdout.replace(/\r\n/g, '\n'), /\r\x1b\[Krisk-review: explained 150,000 cases in .+\n$/, 'the bar is erased before the final line');
});

test('Ctrl-C during a long run leaves no output and no temporary file', async () => {
  const dir = at('interrupt-dir');
  mkdirSync(dir);
  const file = join(dir, 'explained.jsonl');
  const child = spawn(process.execPath, [CLI, 'explain', '--all', ...input, '--format', 'json', '--out', file], { stdio: 'ignore' });
  // Wait until the output is being written (its temporary file exists), then interrupt.
  const deadline = Date.now() + 60_000;
  while (readdirSync(dir).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.ok(readdirSync(dir)[0]?.endsWith('.tmp'), `writing never started: ${readdirSync(dir)}`);
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 130);
  assert.deepEqual(readdirSync(dir), [], 'neither the output nor its temporary file is left');
});
