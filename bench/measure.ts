/**
 * What the TreeSHAP benchmarks share: timing a whole process by the clock and by its CPU time, comparing
 * our attributions with another implementation's, and where our own time goes inside one process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv } from '../extension/engine/data/csv';
import { bindCases } from '../extension/engine/data/cases';
import { explainAllSync, prepareExplainer } from '../extension/engine/explain/index';
import { loadModel } from '../extension/engine/models/load';

export const ROOT = join(__dirname, '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

export interface Timing {
  /** Wall-clock seconds. */
  readonly wall: number;
  /** CPU seconds, user + system, of the process and its threads. */
  readonly cpu: number;
}

/** Runs a command to its end, timed by /usr/bin/time: the clock, and CPU time (what a busy neighbour disturbs least). */
export function run(cmd: string, args: string[]): Timing {
  const dir = mkdtempSync(join(tmpdir(), 'rr-time-'));
  try {
    const times = join(dir, 'time');
    const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', '-o', times, cmd, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
    const [wall, user, system] = readFileSync(times, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return { wall, cpu: user + system };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `risk-review explain --all` on a model and case file in `dir`, as JSON lines into `dir/out`. */
export function explain(dir: string, model: string, data: string, out: string, threads?: number): Timing {
  const args = [CLI, 'explain', '--model', join(dir, model), '--data', join(dir, data), '--id-column', 'case_id', '--all', '--format', 'jsonl', '--out', join(dir, out), '--force'];
  return run(process.execPath, threads ? [...args, '--threads', String(threads)] : args);
}

/** Largest difference between our JSON lines and a CSV of contributions (case_id first, base value last). */
export function agreement(ours: string, theirs: string): { contributions: number; bias: number } {
  const lines = readFileSync(ours, 'utf8').trimEnd().split('\n');
  const rows = readFileSync(theirs, 'utf8').trimEnd().split('\n').slice(1);
  let contributions = 0;
  let bias = 0;
  lines.forEach((line, i) => {
    const o = JSON.parse(line) as { caseId: string; baseValue: number; attributions: { contribution: number }[] };
    const cells = rows[i].split(',');
    if (cells[0] !== o.caseId) throw new Error(`row ${i}: ${cells[0]} vs ${o.caseId}`);
    o.attributions.forEach((a, j) => (contributions = Math.max(contributions, Math.abs(a.contribution - Number(cells[j + 1])))));
    bias = Math.max(bias, Math.abs(o.baseValue - Number(cells[cells.length - 1])));
  });
  return { contributions, bias };
}

/** Where our time goes, in this process (CPU seconds): read and bind the cases, prepare, TreeSHAP on one thread. */
export function phases(model: string, data: string): { read: number; prepare: number; explain: number } {
  const loaded = loadModel(model).model;
  const c0 = process.cpuUsage();
  const cases = bindCases(readCsv(data, ['case_id']), loaded.features, { idColumn: 'case_id' });
  const c1 = process.cpuUsage();
  const explainer = prepareExplainer(loaded, { kind: 'tree-cover' });
  const c2 = process.cpuUsage();
  explainAllSync(explainer, cases);
  const c3 = process.cpuUsage();
  const seconds = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => (b.user + b.system - a.user - a.system) / 1e6;
  return { read: seconds(c0, c1), prepare: seconds(c1, c2), explain: seconds(c2, c3) };
}

/** One line of a timing table. */
export function timingRow(what: string, n: number, t: Timing): string {
  return `  ${what.padEnd(50)} ${t.wall.toFixed(2).padStart(7)} s  cpu ${t.cpu.toFixed(2).padStart(7)} s   ${`${count(Math.round(n / t.wall))} cases/s`.padStart(16)}`;
}

/** The phases line: our CPU time by part, and the rest of the whole process. */
export function phasesLine(p: { read: number; prepare: number; explain: number }, n: number, whole: Timing): string {
  const rest = Math.max(0, whole.cpu - p.read - p.prepare - p.explain);
  return `  ours, in this process (CPU): read the cases ${p.read.toFixed(2)} s, prepare ${p.prepare.toFixed(2)} s, TreeSHAP ${p.explain.toFixed(2)} s (${((p.explain / n) * 1e6).toFixed(1)} µs a case); the whole process's other ${rest.toFixed(2)} s: start, scores, writing`;
}

export const count = (n: number) => n.toLocaleString('en-US');
