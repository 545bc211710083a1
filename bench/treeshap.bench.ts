/**
 * TreeSHAP speed against XGBoost's own `pred_contribs`, in one run, on the same model and cases, each
 * timed as a whole process (start, read the CSV, compute, write every attribution):
 *   ours:    node dist/cli.js explain --all --format jsonl --out …   (one thread, then all cores)
 *   XGBoost: /usr/bin/python3 bench/treeshap_oracle.py contribs …     (nthread = 1; pandas in, CSV out)
 * The data set (TREESHAP_BENCH_CASES cases, default 100,000, 12 features, 10% missing) and the model
 * (150 trees of depth 5, binary:logistic) are made by the oracle in a temporary folder. It also times
 * the logistic and scorecard closed forms on the same cases, and checks that our attributions agree with
 * XGBoost's on every case. Without xgboost for /usr/bin/python3 it says so, makes a random forest of
 * the same shape itself, and times ours alone. Prints figures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const PYTHON = '/usr/bin/python3';
const ORACLE = join(__dirname, 'treeshap_oracle.py');
const CLI = join(ROOT, 'dist', 'cli.js');
const N = Number(process.env.TREESHAP_BENCH_CASES ?? 100_000);
const FEATURES = Array.from({ length: 12 }, (_, j) => `x${j}`);

function run(cmd: string, args: string[]): number {
  const start = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return seconds;
}

function explain(dir: string, model: string, data: string, out: string, threads?: number): number {
  const args = [CLI, 'explain', '--model', join(dir, model), '--data', join(dir, data), '--id-column', 'case_id', '--all', '--format', 'jsonl', '--out', join(dir, out), '--force'];
  return run(process.execPath, threads ? [...args, '--threads', String(threads)] : args);
}

/** Largest difference between our JSON lines and XGBoost's CSV of contributions (bias last). */
function agreement(ours: string, theirs: string): { contributions: number; bias: number } {
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

function writeClosedFormModels(dir: string): void {
  const coefficients = Object.fromEntries(FEATURES.map((f, j) => [f, Math.round(100 * Math.sin(j + 1)) / 100]));
  writeFileSync(join(dir, 'logistic.riskmodel.json'), JSON.stringify({ kind: 'logistic', intercept: -0.4, coefficients }));
  const items = FEATURES.map((f, j) => ({ feature: f, bins: [{ below: -1, points: 0 }, { below: 0, points: 1 + (j % 3) }, { below: 1, points: 2 }, { points: 4 }], missingPoints: 1 }));
  writeFileSync(join(dir, 'scorecard.riskmodel.json'), JSON.stringify({ kind: 'scorecard', items, bands: [{ label: 'Low', below: 20 }, { label: 'High' }], probability: { method: 'logistic', intercept: -4, slope: 0.2 } }));
}

/** A seeded generator, so runs without the oracle time the same data. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Without the oracle: the same shape of data and a random 150-tree depth-5 forest in XGBoost's JSON. */
function makeWithoutOracle(dir: string): void {
  const random = rng(7);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  let csv = `case_id,${FEATURES.join(',')}\n`;
  let complete = csv;
  for (let i = 0; i < N; i++) {
    const row = FEATURES.map(() => Math.round(normal() * 1e4) / 1e4);
    complete += `c${i},${row.join(',')}\n`;
    csv += `c${i},${row.map((v) => (random() < 0.1 ? '' : v)).join(',')}\n`;
  }
  writeFileSync(join(dir, 'cases.csv'), csv);
  writeFileSync(join(dir, 'cases_complete.csv'), complete);
  const trees = Array.from({ length: 150 }, () => {
    const t = { left_children: [] as number[], right_children: [] as number[], split_indices: [] as number[], split_conditions: [] as number[], default_left: [] as number[], sum_hessian: [] as number[] };
    const grow = (depth: number, cover: number): number => {
      const k = t.left_children.length;
      t.left_children.push(-1);
      t.right_children.push(-1);
      t.split_indices.push(0);
      t.split_conditions.push(Math.round((random() - 0.5) * 1e4) / 1e5);
      t.default_left.push(random() < 0.5 ? 1 : 0);
      t.sum_hessian.push(cover);
      if (depth < 5) {
        const share = 0.2 + 0.6 * random();
        t.split_indices[k] = Math.floor(random() * FEATURES.length);
        t.split_conditions[k] = Math.round(normal() * 1e3) / 1e3;
        t.left_children[k] = grow(depth + 1, cover * share);
        t.right_children[k] = grow(depth + 1, cover * (1 - share));
      }
      return k;
    };
    grow(0, 5000);
    return t;
  });
  const learner = {
    feature_names: FEATURES,
    objective: { name: 'binary:logistic' },
    learner_model_param: { base_score: '5E-1', num_feature: String(FEATURES.length), num_class: '0' },
    gradient_booster: { name: 'gbtree', model: { trees } },
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ learner, version: [1, 7, 4] }));
}

function rate(seconds: number): string {
  return `${Math.round(N / seconds).toLocaleString('en-US')} cases/s`;
}

function main(): void {
  run(process.execPath, [join(ROOT, 'esbuild.mjs')]);
  const hasXgboost = spawnSync(PYTHON, ['-c', 'import xgboost, pandas'], { encoding: 'utf8' }).status === 0;
  const dir = mkdtempSync(join(tmpdir(), 'rr-bench-treeshap-'));
  try {
    if (hasXgboost) {
      console.log(`making ${N.toLocaleString('en-US')} cases × ${FEATURES.length} features and a 150-tree depth-5 XGBoost model with the oracle…`);
      run(PYTHON, [ORACLE, 'make', dir, String(N)]);
    } else {
      console.log(`xgboost (with pandas) is not importable by ${PYTHON}: XGBoost's pred_contribs is not timed; a random 150-tree depth-5 forest made here stands in for the model.`);
      makeWithoutOracle(dir);
    }
    writeClosedFormModels(dir);

    const xgb = hasXgboost ? run(PYTHON, [ORACLE, 'contribs', join(dir, 'model.json'), join(dir, 'cases.csv'), join(dir, 'xgb.csv')]) : null;
    const ours1 = explain(dir, 'model.json', 'cases.csv', 'ours.jsonl', 1);
    const oursAll = explain(dir, 'model.json', 'cases.csv', 'ours-threads.jsonl');
    const logistic = explain(dir, 'logistic.riskmodel.json', 'cases_complete.csv', 'logistic.jsonl', 1);
    const scorecard = explain(dir, 'scorecard.riskmodel.json', 'cases.csv', 'scorecard.jsonl', 1);
    const same = readFileSync(join(dir, 'ours.jsonl')).equals(readFileSync(join(dir, 'ours-threads.jsonl')));

    const row = (what: string, s: number) => console.log(`  ${what.padEnd(52)} ${s.toFixed(2).padStart(7)} s   ${rate(s).padStart(18)}`);
    console.log(`\nWhole process, ${N.toLocaleString('en-US')} cases (read CSV, explain, write every attribution):`);
    if (xgb !== null) row('XGBoost 1.7 pred_contribs (C++, nthread=1)', xgb);
    row('Risk Review TreeSHAP, 1 thread', ours1);
    row('Risk Review TreeSHAP, all cores (worker threads)', oursAll);
    row('Risk Review logistic closed form, 1 thread', logistic);
    row('Risk Review scorecard closed form, 1 thread', scorecard);
    if (xgb !== null) {
      const agree = agreement(join(dir, 'ours.jsonl'), join(dir, 'xgb.csv'));
      console.log(`\nratio ours/XGBoost, one thread each: ${(ours1 / xgb).toFixed(3)}   (all cores: ${(oursAll / xgb).toFixed(3)})`);
      console.log(`agreement with pred_contribs on every case: max |Δφ| = ${agree.contributions.toExponential(2)}, max |Δbias| = ${agree.bias.toExponential(2)}`);
    }
    console.log(`one thread and all cores wrote identical files: ${same ? 'yes' : 'NO'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
