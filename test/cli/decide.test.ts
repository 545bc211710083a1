/**
 * `risk-review decide` as a process: a decision recorded as the panel records it (chained, with its band,
 * reviewer, blind and version), several processes recording at once into one log without losing or
 * mixing a line, and bad usage and bad input refused with one message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCleanFailure, CLI, runCli } from '../helpers/cli';

const PROJECT = join(__dirname, '..', '..', 'samples', 'juvenile', 'juvenile.riskreview.json');
const logIn = () => join(mkdtempSync(join(tmpdir(), 'rr-cli-decide-')), 'reviews.jsonl');
const base = (log: string) => ['decide', '--project', PROJECT, '--review-log', log];

test('a decision is appended, chained and complete; decisions and log verify read it', () => {
  const log = logIn();
  const agree = runCli([...base(log), '--case', 'J-000001', '--verdict', 'agree', '--reviewer', 'ana', '--blind']);
  assert.equal(agree.code, 0, agree.stderr);
  const disagree = runCli([...base(log), '--case', 'J-000001', '--verdict', 'disagree', '--reason', 'two referrals dismissed', '--notes', 'line one\nline two', '--assign', 'Moderate', '--reviewer', 'ben']);
  assert.equal(disagree.code, 0, disagree.stderr);
  const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  assert.deepEqual(
    [lines[0].verdict, lines[0].band, lines[0].blind, lines[0].reviewer, lines[0].prev],
    ['agree', 'High', true, 'ana', null],
  );
  assert.deepEqual([lines[1].assignedBand, lines[1].blind, lines[1].reviewer, lines[1].notes], ['Moderate', false, 'ben', 'line one\nline two']);
  assert.equal(lines[1].version, JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version, 'the version that recorded it');
  const { hash, ...printed } = lines[1];
  assert.ok(hash);
  assert.deepEqual(JSON.parse(disagree.stdout), Object.fromEntries(Object.entries(printed).filter(([k]) => k !== 'prev')), 'prints the decision recorded');
  assert.equal(runCli(['log', 'verify', log]).code, 0);
  const rows = JSON.parse(runCli(['decisions', '--project', PROJECT, '--review-log', log, '--per-case']).stdout);
  assert.deepEqual(rows.map((r: { caseId: string; direction: string; decisions: number }) => [r.caseId, r.direction, r.decisions]), [['J-000001', 'down', 2]]);
});

test('three processes recording at once: every decision there once, the chain whole', async () => {
  const log = logIn();
  const ids = ['J-000002', 'J-000003', 'J-000004', 'J-000005', 'J-000006'];
  const run = (reviewer: string) =>
    (async () => {
      for (const id of ids) {
        const code = await new Promise<number | null>((resolve) => spawn(process.execPath, [CLI, ...base(log), '--case', id, '--verdict', 'agree', '--reviewer', reviewer], { stdio: 'ignore' }).on('exit', resolve));
        assert.equal(code, 0);
      }
    })();
  await Promise.all(['ana', 'ben', 'chidi'].map(run));
  const verified = JSON.parse(runCli(['log', 'verify', log, '--format', 'json']).stdout);
  assert.deepEqual([verified.intact, verified.entries], [true, 15]);
  const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  for (const r of ['ana', 'ben', 'chidi']) assert.deepEqual(lines.filter((l) => l.reviewer === r).map((l) => l.caseId), ids);
});

test('bad usage exits 2, bad input 1, and nothing is written', () => {
  const log = logIn();
  for (const args of [['--case', 'J-000001'], ['--case', 'J-000001', '--verdict', 'maybe'], ['--case', 'J-000001', '--verdict', 'disagree'], ['--case', 'J-000001', '--verdict', 'agree', '--assign', 'Low'], ['--case', 'J-000001', '--verdict', 'agree', '--notes', 'x'.repeat(20_001)]]) {
    const r = runCli([...base(log), ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
  }
  assertCleanFailure(runCli([...base(log), '--case', 'J-000001', '--verdict', 'disagree', '--reason', 'r', '--assign', 'High']), /"High" is not another band of this review \(Low, Moderate, High\)/);
  assertCleanFailure(runCli([...base(log), '--case', 'J-999999', '--verdict', 'agree']), /has no case with id "J-999999"/);
  assert.equal(existsSync(log), false, 'no log was written');
});
