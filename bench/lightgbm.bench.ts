/**
 * TreeSHAP on a LightGBM model (objective binary, 300 trees of 31 leaves) against LightGBM's own
 * `predict(pred_contrib=True)` and `shap.TreeExplainer`, in one run, on the same model and cases, each
 * timed as a whole process (start, read the model and the CSV, compute, write every attribution) on one
 * thread, by the clock and by CPU time:
 *   ours:     node dist/cli.js explain --all --threads 1 --format jsonl --out …
 *   LightGBM: SHAP_PYTHON bench/lightgbm_oracle.py contrib …   (num_threads = 1; pandas in, CSV out)
 *   shap:     SHAP_PYTHON bench/lightgbm_oracle.py shap …
 * on LIGHTGBM_BENCH_CASES cases (default 100,000; the synthetic cases of oracle_data.py), with where our
 * time goes and the agreement on every case. SHAP_PYTHON is a Python with lightgbm, shap and pandas
 * (default /tmp/oracle/bin/python; `python3 -m venv /tmp/oracle && /tmp/oracle/bin/pip install lightgbm
 * shap pandas` installs them from the machine image's local wheel store). Without it the benchmark says so
 * and stops. Prints figures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agreement, count, explain, phases, phasesLine, ROOT, run, timingRow } from './measure';

const PYTHON = process.env.SHAP_PYTHON ?? '/tmp/oracle/bin/python';
const ORACLE = join(__dirname, 'lightgbm_oracle.py');
const N = Number(process.env.LIGHTGBM_BENCH_CASES ?? 100_000);

function main(): void {
  if (!existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import lightgbm, shap, pandas'], { encoding: 'utf8' }).status !== 0) {
    console.log(`lightgbm, shap and pandas are not importable by ${PYTHON} (set SHAP_PYTHON): nothing to compare with.`);
    return;
  }
  run(process.execPath, [join(ROOT, 'esbuild.mjs')]);
  const dir = mkdtempSync(join(tmpdir(), 'rr-bench-lightgbm-'));
  try {
    console.log(`making ${count(N)} cases × 12 features and a LightGBM model (binary, 300 trees × 31 leaves) with the oracle…`);
    run(PYTHON, [ORACLE, 'make', dir, String(N)]);
    console.log(`\n${count(N)} cases, whole process (read the model and the CSV, explain, write every attribution), one thread each:`);
    const lightgbm = run(PYTHON, [ORACLE, 'contrib', join(dir, 'model.txt'), join(dir, 'cases.csv'), join(dir, 'lightgbm.csv')]);
    const shap = run(PYTHON, [ORACLE, 'shap', join(dir, 'model.txt'), join(dir, 'cases.csv'), join(dir, 'shap.csv')]);
    const ours = explain(dir, 'model.txt', 'cases.csv', 'ours.jsonl', 1);
    console.log(timingRow('LightGBM 4.7 predict(pred_contrib=True), 1 thread', N, lightgbm));
    console.log(timingRow('shap.TreeExplainer on the LightGBM booster', N, shap));
    console.log(timingRow('Risk Review TreeSHAP, 1 thread', N, ours));
    console.log(phasesLine(phases(join(dir, 'model.txt'), join(dir, 'cases.csv')), N, ours));
    for (const [name, file] of [
      ['LightGBM pred_contrib', 'lightgbm.csv'],
      ['shap', 'shap.csv'],
    ] as const) {
      const agree = agreement(join(dir, 'ours.jsonl'), join(dir, file));
      console.log(`  agreement with ${name} on every case: max |Δφ| = ${agree.contributions.toExponential(2)}, max |Δ expected value| = ${agree.bias.toExponential(2)}`);
    }
    console.log(`\nratio ours/LightGBM, one thread each, whole process: ${(ours.wall / lightgbm.wall).toFixed(3)} (cpu ${(ours.cpu / lightgbm.cpu).toFixed(3)});  ours/shap: ${(ours.wall / shap.wall).toFixed(3)} (cpu ${(ours.cpu / shap.cpu).toFixed(3)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
