/**
 * Scale: 1,000,000 cases × 20 features (plus an id, an outcome and a group column of 6 groups), about
 * 115 MB of CSV made here from a seed in a temporary folder, taken through what a review does, in one
 * process:
 *   load         openReview (read, UTF-8 check, CSV parse, columns, binding to the model), and the same
 *                file through csv-parse alone for comparison;
 *   score        scoreAll with a logistic model and with an XGBoost model (100 trees, depth 5, trained
 *                by Debian's /usr/bin/python3 xgboost on 20,000 of the cases when it is there);
 *   calibration  calibrateReview by the group column (10 bins, Wilson intervals, AUC, threshold rates);
 *   attribution  explainAll: logistic on every case, XGBoost TreeSHAP on SCALE_BENCH_TREE_CASES cases
 *                (default 100,000) on all cores;
 *   memory       the process's peak resident set (resourceUsage().maxRSS) after each step;
 * then the CLI as a user runs it: `risk-review score --format csv --out …` as its own process, timed,
 * with its peak memory from /usr/bin/time when present. SCALE_BENCH_CASES changes N. Prints; does not
 * assert. The machine may be shared: each step shows its CPU time (all threads) beside its wall time.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { computedModel, openReview, scoreAll, type Review } from '../extension/engine/review';
import { resolveSpec } from '../extension/engine/project';
import { calibrateReview } from '../extension/engine/calibration/index';
import { backgroundOf, explainAll } from '../extension/engine/explain/index';
import type { CaseSet } from '../extension/engine/data/cases';
import { rng } from './random';

const ROOT = join(__dirname, '..');
const PYTHON = '/usr/bin/python3';
const N = Number(process.env.SCALE_BENCH_CASES ?? 1_000_000);
const TREE_CASES = Math.min(N, Number(process.env.SCALE_BENCH_TREE_CASES ?? 100_000));
const M = 20;
const FEATURES = Array.from({ length: M }, (_, j) => `f${String(j).padStart(2, '0')}`);
const GROUPS = ['Group A', 'Group B', 'Group C', 'Group D', 'Group E', 'Group F'];
/** Features f00…f15 are never missing. */
const COMPLETE = 16;
const COEFFICIENTS = FEATURES.map((_, j) => Math.round(100 * Math.sin(j + 1)) / 400);

/**
 * The case file: even features are counts 0–12, odd ones measurements with two decimals; f16–f19 have
 * 3% of values missing (empty); the outcome is drawn from a logistic truth; groups of unequal size.
 * The file is written as it is made, so its text is never held whole.
 */
function writeCases(file: string): void {
  const random = rng(20261123);
  const fd = openSync(file, 'w');
  let chunk = ['case_id', 'group', ...FEATURES, 'outcome'].join(',') + '\n';
  const row = new Array<string>(M);
  for (let i = 0; i < N; i++) {
    let eta = -0.5;
    for (let j = 0; j < M; j++) {
      const v = j % 2 === 0 ? Math.floor(random() * 13) : Math.round((random() * 40 - 10) * 100) / 100;
      eta += COEFFICIENTS[j] * (j % 2 === 0 ? v / 6 - 1 : v / 20);
      row[j] = j >= COMPLETE && random() < 0.03 ? '' : String(v);
    }
    const group = GROUPS[Math.min(5, Math.floor(-Math.log(1 - random()) * 2))];
    const outcome = random() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    chunk += `C${String(i).padStart(7, '0')},${group},${row.join(',')},${outcome}\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

/** A logistic model on the features without missing values (it has no `impute` values, so it could not score a missing one). */
function writeLogistic(file: string): void {
  const coefficients = Object.fromEntries(FEATURES.slice(0, COMPLETE).map((f, j) => [f, COEFFICIENTS[j] / (j % 2 === 0 ? 6 : 20)]));
  writeFileSync(file, JSON.stringify({ kind: 'logistic', name: 'scale logistic', intercept: -0.5, coefficients }));
}

const XGB_TRAIN = `
import sys, numpy as np, pandas as pd, xgboost as xgb
cases = pd.read_csv(sys.argv[1], nrows=20000)
features = [c for c in cases.columns if c.startswith("f")]
booster = xgb.train({"objective": "binary:logistic", "max_depth": 5, "eta": 0.1, "nthread": 1, "seed": 7},
                    xgb.DMatrix(cases[features].to_numpy(), label=cases["outcome"].to_numpy(), feature_names=features), 100)
booster.save_model(sys.argv[2])
`;

function trainXgboost(data: string, model: string): boolean {
  const r = spawnSync(PYTHON, ['-c', XGB_TRAIN, data, model], { encoding: 'utf8' });
  return r.status === 0 && existsSync(model);
}

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MB`;
const peak = () => process.resourceUsage().maxRSS * 1024;
const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en-US')} cases/s`;

/** CPU seconds of the last timed step (all threads of this process), beside its wall time. */
let lastCpu = 0;
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const cpu = cpuSeconds();
  const value = fn();
  lastCpu = cpuSeconds() - cpu;
  return [value, (performance.now() - start) / 1000];
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const cpu = cpuSeconds();
  const value = await fn();
  lastCpu = cpuSeconds() - cpu;
  return [value, (performance.now() - start) / 1000];
}

function line(what: string, seconds: number, extra = ''): void {
  console.log(`  ${what.padEnd(46)} ${seconds.toFixed(2).padStart(7)} s (cpu ${lastCpu.toFixed(2).padStart(6)} s)  ${extra.padEnd(22)} peak RSS so far ${mb(peak())}`);
}

/** The first `count` cases of a set, sharing its arrays (a view, no copy). */
function firstCases(cases: CaseSet, count: number): CaseSet {
  return { ...cases, n: count, x: cases.x.subarray(0, count * M), ids: cases.ids.slice(0, count), lines: cases.lines.subarray(0, count) };
}

/** The CLI as its own process: wall time and, with /usr/bin/time, its peak memory. */
function cliScore(dir: string, spec: string[]): { seconds: number; maxRss?: number } {
  const args = [join(ROOT, 'dist', 'cli.js'), 'score', ...spec, '--format', 'csv', '--out', join(dir, 'scores.csv'), '--force'];
  const viaTime = existsSync('/usr/bin/time');
  const start = performance.now();
  const r = viaTime ? spawnSync('/usr/bin/time', ['-f', 'maxrss=%M', process.execPath, ...args], { encoding: 'utf8' }) : spawnSync(process.execPath, args, { encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`risk-review score failed (${r.status}): ${r.stderr}`);
  const m = /maxrss=(\d+)/.exec(r.stderr);
  return { seconds, maxRss: m ? Number(m[1]) * 1024 : undefined };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rr-bench-scale-'));
  try {
    const data = join(dir, 'cases.csv');
    const logistic = join(dir, 'logistic.riskmodel.json');
    const xgbModel = join(dir, 'xgboost.json');
    const [, made] = time(() => writeCases(data));
    writeLogistic(logistic);
    const bytes = readFileSync(data).length;
    console.log(`${N.toLocaleString('en-US')} cases × ${M} features, ${GROUPS.length} groups: ${mb(bytes)} of CSV (made in ${made.toFixed(1)} s)`);
    const hasXgboost = trainXgboost(data, xgbModel);
    if (!hasXgboost) console.log(`xgboost (with pandas) is not importable by ${PYTHON}: the XGBoost steps are left out.`);
    const specOf = (model: string) => resolveSpec({ model, data, idColumn: 'case_id', outcome: 'outcome', groups: ['group'] });
    console.log(`\nIn one process (start ${mb(peak())}):`);

    const [, csvParseOnly] = time(() => {
      let rows = 0;
      parse(readFileSync(data, 'utf8'), { bom: true, on_record: () => (rows++, null) } as never);
      return rows;
    });
    line('csv-parse alone (no columns, for comparison)', csvParseOnly, rate(N, csvParseOnly));
    let review: Review | null;
    let seconds: number;
    [review, seconds] = time(() => openReview(specOf(logistic)));
    line('load: openReview (all 24 columns read)', seconds, `${Math.round(bytes / 2 ** 20 / seconds)} MB/s`);
    const [scores, scoreSeconds] = time(() => scoreAll(review!.model, review!.cases));
    line('score: logistic', scoreSeconds, rate(N, scoreSeconds));
    const [, calSeconds] = time(() => calibrateReview(review!, scores.score, { groupColumn: 'group', bins: 10 }));
    line('calibration by group (6 groups, 10 bins)', calSeconds, rate(N, calSeconds));
    const [, logisticShap] = await timeAsync(() => explainAll({ model: computedModel(review!, 'the bench'), cases: review!.cases, background: backgroundOf(review!) }));
    line('attribution: logistic closed form, every case', logisticShap, rate(N, logisticShap));
    review = null;

    if (hasXgboost) {
      const [xgbReview, xgbLoad] = time(() => openReview(specOf(xgbModel)));
      line('load: openReview with the XGBoost model', xgbLoad, `${Math.round(bytes / 2 ** 20 / xgbLoad)} MB/s`);
      const [xgbScores, xgbScore] = time(() => scoreAll(xgbReview.model, xgbReview.cases));
      line('score: XGBoost (100 trees, depth 5)', xgbScore, rate(N, xgbScore));
      const [, xgbCal] = time(() => calibrateReview(xgbReview, xgbScores.score, { groupColumn: 'group', bins: 10 }));
      line('calibration by group, XGBoost scores', xgbCal, rate(N, xgbCal));
      const some = firstCases(xgbReview.cases, TREE_CASES);
      const [, treeShap] = await timeAsync(() => explainAll({ model: computedModel(xgbReview, 'the bench'), cases: some, background: backgroundOf(xgbReview) }));
      line(`attribution: TreeSHAP, ${TREE_CASES.toLocaleString('en-US')} cases, all cores`, treeShap, rate(TREE_CASES, treeShap));
    }
    console.log(`peak resident memory of the whole run: ${mb(peak())}`);

    console.log('\nThe CLI as its own process (read, score, write CSV):');
    const cli = cliScore(dir, ['--model', logistic, '--data', data, '--id-column', 'case_id']);
    console.log(`  risk-review score --format csv, logistic      ${cli.seconds.toFixed(2).padStart(7)} s  peak RSS ${cli.maxRss === undefined ? '(no /usr/bin/time)' : mb(cli.maxRss)}`);
    if (hasXgboost) {
      const x = cliScore(dir, ['--model', xgbModel, '--data', data, '--id-column', 'case_id']);
      console.log(`  risk-review score --format csv, XGBoost       ${x.seconds.toFixed(2).padStart(7)} s  peak RSS ${x.maxRss === undefined ? '(no /usr/bin/time)' : mb(x.maxRss)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
