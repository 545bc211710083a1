/**
 * TreeSHAP speed against XGBoost's own `pred_contribs` and `shap.TreeExplainer`, in one run, on the same
 * models and cases, each timed as a whole process (start, read the CSV, compute, write every attribution):
 *   ours:    node dist/cli.js explain --all --format jsonl --out …   (one thread; and all cores at depth 5)
 *   XGBoost: /usr/bin/python3 bench/treeshap_oracle.py contribs …     (nthread = 1; pandas in, CSV out)
 *   shap:    SHAP_PYTHON bench/treeshap_oracle.py shap …              (shap.TreeExplainer, path-dependent)
 * for models of 150 trees of depth 3, 5 and 8 (binary:logistic) on TREESHAP_BENCH_CASES cases (default
 * 100,000; 12 features, 10% missing), made by the oracle in a temporary folder. XGBoost and shap take
 * about 6 ms a case at depth 8, so that depth runs on TREESHAP_BENCH_DEEP_CASES (default 20,000) unless
 * told otherwise. Each process is timed by the clock and by its CPU time (user + system, from
 * /usr/bin/time): the machine has 2 cores that others may share, and CPU time is what a busy neighbour
 * disturbs least. Where our time goes is measured in this process too: reading the case file, TreeSHAP
 * itself (CPU time, one thread), and the rest. It also times the logistic and scorecard closed forms, and
 * checks that our attributions agree with XGBoost's and shap's on every case.
 *
 * SHAP_PYTHON is a Python with shap (default /tmp/oracle/bin/python: `python3 -m venv /tmp/oracle &&
 * /tmp/oracle/bin/pip install shap pandas` installs it from the machine image's local wheel store).
 * Without xgboost for /usr/bin/python3 it says so, makes a random forest of the same shape itself, and
 * times ours alone. Prints figures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agreement, count, explain, phases, phasesLine, ROOT, run, timingRow, type Timing } from './measure';

const PYTHON = '/usr/bin/python3';
const SHAP_PYTHON = process.env.SHAP_PYTHON ?? '/tmp/oracle/bin/python';
const ORACLE = join(__dirname, 'treeshap_oracle.py');
const N = Number(process.env.TREESHAP_BENCH_CASES ?? 100_000);
const N_DEEP = Math.min(N, Number(process.env.TREESHAP_BENCH_DEEP_CASES ?? 20_000));
const DEPTHS = [3, 5, 8];
const FEATURES = Array.from({ length: 12 }, (_, j) => `x${j}`);

/** The first n lines (after the header) of a CSV file, into another. */
function head(from: string, to: string, n: number): void {
  const lines = readFileSync(from, 'utf8').split('\n');
  writeFileSync(to, lines.slice(0, n + 1).join('\n') + '\n');
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

/** Without the oracle: the same shape of data and random 150-tree forests of each depth in XGBoost's JSON. */
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
  for (const depth of DEPTHS) {
    const trees = Array.from({ length: 150 }, () => {
      const t = { left_children: [] as number[], right_children: [] as number[], split_indices: [] as number[], split_conditions: [] as number[], default_left: [] as number[], sum_hessian: [] as number[] };
      const grow = (d: number, cover: number): number => {
        const k = t.left_children.length;
        t.left_children.push(-1);
        t.right_children.push(-1);
        t.split_indices.push(0);
        t.split_conditions.push(Math.round((random() - 0.5) * 1e4) / 1e5);
        t.default_left.push(random() < 0.5 ? 1 : 0);
        t.sum_hessian.push(cover);
        if (d < depth) {
          const share = 0.2 + 0.6 * random();
          t.split_indices[k] = Math.floor(random() * FEATURES.length);
          t.split_conditions[k] = Math.round(normal() * 1e3) / 1e3;
          t.left_children[k] = grow(d + 1, cover * share);
          t.right_children[k] = grow(d + 1, cover * (1 - share));
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
    writeFileSync(join(dir, modelFile(depth)), JSON.stringify({ learner, version: [1, 7, 4] }));
  }
}

const modelFile = (depth: number) => (depth === 5 ? 'model.json' : `model_d${depth}.json`);

function main(): void {
  run(process.execPath, [join(ROOT, 'esbuild.mjs')]);
  const hasXgboost = spawnSync(PYTHON, ['-c', 'import xgboost, pandas'], { encoding: 'utf8' }).status === 0;
  const hasShap = existsSync(SHAP_PYTHON) && spawnSync(SHAP_PYTHON, ['-c', 'import shap, pandas'], { encoding: 'utf8' }).status === 0;
  const dir = mkdtempSync(join(tmpdir(), 'rr-bench-treeshap-'));
  try {
    if (hasXgboost) {
      console.log(`making ${count(N)} cases × ${FEATURES.length} features and 150-tree XGBoost models of depth ${DEPTHS.join(', ')} with the oracle…`);
      run(PYTHON, [ORACLE, 'make', dir, String(N), DEPTHS.join(',')]);
    } else {
      console.log(`xgboost (with pandas) is not importable by ${PYTHON}: XGBoost's pred_contribs is not timed; random 150-tree forests made here stand in for the models.`);
      makeWithoutOracle(dir);
    }
    if (!hasShap) console.log(`shap (with pandas) is not importable by ${SHAP_PYTHON}: shap.TreeExplainer is not timed (set SHAP_PYTHON).`);
    writeClosedFormModels(dir);
    if (N_DEEP < N) head(join(dir, 'cases.csv'), join(dir, 'cases_deep.csv'), N_DEEP);

    const row = (what: string, n: number, t: Timing) => console.log(timingRow(what, n, t));
    const ratios: string[] = [];
    for (const depth of DEPTHS) {
      const n = depth === 8 ? N_DEEP : N;
      const data = n < N ? 'cases_deep.csv' : 'cases.csv';
      const model = modelFile(depth);
      console.log(`\nDepth ${depth}, 150 trees, ${count(n)} cases, whole process (read CSV, explain, write every attribution):`);
      const xgb = hasXgboost ? run(PYTHON, [ORACLE, 'contribs', join(dir, model), join(dir, data), join(dir, 'xgb.csv')]) : null;
      const shap = hasShap ? run(SHAP_PYTHON, [ORACLE, 'shap', join(dir, model), join(dir, data), join(dir, 'shap.csv')]) : null;
      const ours = explain(dir, model, data, 'ours.jsonl', 1);
      const all = depth === 5 ? explain(dir, model, data, 'ours-threads.jsonl') : null;
      if (xgb) row('XGBoost 1.7 pred_contribs (C++, nthread=1)', n, xgb);
      if (shap) row('shap.TreeExplainer (C++, one thread)', n, shap);
      row('Risk Review TreeSHAP, 1 thread', n, ours);
      if (all) row('Risk Review TreeSHAP, all cores (worker threads)', n, all);
      const p = phases(join(dir, model), join(dir, data));
      console.log(phasesLine(p, n, ours));
      if (xgb) {
        const agree = agreement(join(dir, 'ours.jsonl'), join(dir, 'xgb.csv'));
        console.log(`  agreement with pred_contribs on every case: max |Δφ| = ${agree.contributions.toExponential(2)}, max |Δbias| = ${agree.bias.toExponential(2)}`);
        ratios.push(`depth ${depth}: ours/XGBoost ${(ours.wall / xgb.wall).toFixed(3)} (cpu ${(ours.cpu / xgb.cpu).toFixed(3)}; TreeSHAP alone ${(p.explain / xgb.cpu).toFixed(3)})` + (shap ? `, ours/shap ${(ours.wall / shap.wall).toFixed(3)} (cpu ${(ours.cpu / shap.cpu).toFixed(3)})` : ''));
      }
      if (shap) {
        const agree = agreement(join(dir, 'ours.jsonl'), join(dir, 'shap.csv'));
        console.log(`  agreement with shap on every case: max |Δφ| = ${agree.contributions.toExponential(2)}, max |Δbase| = ${agree.bias.toExponential(2)}`);
      }
      if (all) console.log(`  one thread and all cores wrote identical files: ${readFileSync(join(dir, 'ours.jsonl')).equals(readFileSync(join(dir, 'ours-threads.jsonl'))) ? 'yes' : 'NO'}`);
    }
    console.log(`\nClosed forms, ${count(N)} cases, whole process:`);
    row('Risk Review logistic closed form, 1 thread', N, explain(dir, 'logistic.riskmodel.json', 'cases_complete.csv', 'logistic.jsonl', 1));
    row('Risk Review scorecard closed form, 1 thread', N, explain(dir, 'scorecard.riskmodel.json', 'cases.csv', 'scorecard.jsonl', 1));
    if (ratios.length) console.log(`\nratios, one thread each, whole process (wall clock; CPU time in brackets):\n  ${ratios.join('\n  ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
