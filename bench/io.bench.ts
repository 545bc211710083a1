/**
 * I/O at the floor (issue 17, item 3): `score` and `explain --all` on a logistic model of 100,000 cases ×
 * 12 features, each as its own process, as a user runs them, with reading and writing measured apart:
 *   read    the CLI's own final line says how long reading the case file took ("read in 0.6 s"), and
 *   write   the rate after it (scoring or explaining, formatting, writing: "then 180,000 cases/s");
 * beside `cat` of the same case file and of the output file to /dev/null (the floor for moving those
 * bytes) and Node's own start-up (`node -e 0`). Best of three runs each, since the machine is shared.
 * Prints figures and ratios; the goal is ≥ 100,000 cases/s written. IO_BENCH_CASES changes N.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rng } from './rng';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const N = Number(process.env.IO_BENCH_CASES ?? 100_000);
const M = 12;
const RUNS = 3;
const GOAL = 100_000;
const FEATURES = Array.from({ length: M }, (_, j) => `f${String(j).padStart(2, '0')}`);

/** Counts (even features) and two-decimal measurements (odd ones), as the scale bench makes them. */
function writeCases(file: string): void {
  const random = rng(20261123);
  const fd = openSync(file, 'w');
  let chunk = ['case_id', ...FEATURES].join(',') + '\n';
  for (let i = 0; i < N; i++) {
    const row = FEATURES.map((_, j) => (j % 2 === 0 ? Math.floor(random() * 13) : Math.round((random() * 40 - 10) * 100) / 100));
    chunk += `C${String(i).padStart(7, '0')},${row.join(',')}\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

/** Best wall time of `RUNS` runs of a command, in seconds, with the stderr of the best run. */
function best(command: string, args: readonly string[]): { seconds: number; stderr: string } {
  let result = { seconds: Infinity, stderr: '' };
  for (let k = 0; k < RUNS; k++) {
    const started = performance.now();
    const r = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 24 });
    const seconds = (performance.now() - started) / 1000;
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    if (seconds < result.seconds) result = { seconds, stderr: r.stderr };
  }
  return result;
}

/** The CLI's final line: "… in 1.4 s (read in 0.6 s, then 180,000 cases/s)". */
function figures(stderr: string): { read: number; rate: number } {
  const m = /\(read in ([\d.]+) s, then ([\d,]+) cases\/s\)/.exec(stderr);
  if (!m) throw new Error(`no final line of figures in: ${stderr}`);
  return { read: Number(m[1]), rate: Number(m[2].replace(/,/g, '')) };
}

const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en-US')} cases/s`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'rr-bench-io-'));
  try {
    const data = join(dir, 'cases.csv');
    const model = join(dir, 'logistic.riskmodel.json');
    writeCases(data);
    writeFileSync(model, JSON.stringify({ kind: 'logistic', name: 'io logistic', intercept: -0.5, coefficients: Object.fromEntries(FEATURES.map((f, j) => [f, Math.round(100 * Math.sin(j + 1)) / 4000])) }));
    const input = ['--model', model, '--data', data, '--id-column', 'case_id'];
    console.log(`${N.toLocaleString('en-US')} cases × ${M} features, logistic model: ${mb(statSync(data).size)} of CSV; best of ${RUNS} runs, each a process`);

    const node = best(process.execPath, ['-e', '0']).seconds;
    const catIn = best('cat', [data]).seconds;
    console.log(`  node start-up                      ${node.toFixed(3)} s`);
    console.log(`  cat cases.csv > /dev/null          ${catIn.toFixed(3)} s  (${rate(N, catIn)})`);
    console.log('');
    console.log('  run                         total    read (÷ cat)        then written     ÷ goal   cat of its output');
    for (const [name, args, out] of [
      ['score --format csv', ['score', '--format', 'csv'], 'scores.csv'],
      ['score --format jsonl', ['score', '--format', 'jsonl'], 'scores.jsonl'],
      ['explain --all (jsonl)', ['explain', '--all'], 'explained.jsonl'],
    ] as const) {
      const file = join(dir, out);
      const run = best(process.execPath, [CLI, ...args, ...input, '--out', file, '--force']);
      const { read, rate: written } = figures(run.stderr);
      const catOut = best('cat', [file]).seconds;
      const readRatio = catIn > 0 ? `${(read / catIn).toFixed(0)}×` : '–';
      console.log(
        `  ${name.padEnd(24)} ${run.seconds.toFixed(2).padStart(6)} s ${read.toFixed(2).padStart(6)} s (${readRatio.padStart(5)})  ${written.toLocaleString('en-US').padStart(9)} cases/s  ${(written / GOAL).toFixed(2).padStart(5)}×   ${catOut.toFixed(3)} s (${mb(statSync(file).size)})`,
      );
    }
    console.log(`  read: the CLI's own time to read, check and bind the case file; "then written": the rate after it, scoring or explaining, formatting and writing; goal ${GOAL.toLocaleString('en-US')} cases/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
