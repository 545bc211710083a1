/**
 * Surrogate fit time and fidelity against scikit-learn's greedy tree, in one run, on the same cases and
 * the same model scores:
 *   ours:          fitSurrogate in this process (best of three), and `node dist/cli.js surrogate` timed as a
 *                  whole process (start, read the model and CSV, score, fit, write the JSON)
 *   scikit-learn:  DecisionTreeRegressor(max_leaf_nodes=k) on the very scores ours fitted
 *                  (/usr/bin/python3 bench/surrogate_oracle.py fit …, best of three per k)
 * The data (SURROGATE_BENCH_CASES cases, default 100,000; 12 continuous features, 10% missing) and the
 * model (XGBoost, 150 trees of depth 5) are made by the oracle in a temporary folder; the first 18,000
 * cases are timed too. Needs /usr/bin/python3 with xgboost and scikit-learn. Prints figures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openReview, scoreAll } from '../extension/engine/review';
import { resolveSpec } from '../extension/engine/project';
import { fitReviewSurrogate, FRONTIER_BUDGETS, type Surrogate } from '../extension/engine/surrogate/index';

const ROOT = join(__dirname, '..');
const PYTHON = '/usr/bin/python3';
const ORACLE = join(__dirname, 'surrogate_oracle.py');
const CLI = join(ROOT, 'dist', 'cli.js');
const N = Number(process.env.SURROGATE_BENCH_CASES ?? 100_000);
const SIZES = [...new Set([18_000, N])].filter((n) => n <= N);

function run(cmd: string, args: string[]): { seconds: number; stdout: string } {
  const start = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return { seconds, stdout: r.stdout };
}

interface SklearnFit {
  leaves: number;
  depth: number;
  r2: number;
  seconds: number;
}

function bench(dir: string, n: number): void {
  const csv = readFileSync(join(dir, 'cases.csv'), 'utf8').split('\n');
  const data = join(dir, `cases-${n}.csv`);
  writeFileSync(data, csv.slice(0, n + 1).join('\n') + '\n');
  const review = openReview(resolveSpec({ model: join(dir, 'model.json'), data, idColumn: 'case_id' }));
  const { score } = scoreAll(review.model, review.cases);

  /** Best of 3 wall and CPU seconds of a fit, and the surrogate it made. */
  const timed = (heldOut: boolean) => {
    let best = Infinity;
    let bestCpu = Infinity;
    let surrogate: Surrogate | undefined;
    for (let r = 0; r < 3; r++) {
      const start = performance.now();
      const cpu = process.cpuUsage();
      surrogate = fitReviewSurrogate(review, { maxLeaves: 8, heldOut }, score);
      const used = process.cpuUsage(cpu);
      best = Math.min(best, (performance.now() - start) / 1000);
      bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
    }
    return { best, bestCpu, surrogate: surrogate! };
  };
  const fit = timed(false);
  const { best: withCheck, surrogate } = timed(true);
  const cli = [CLI, 'surrogate', '--model', join(dir, 'model.json'), '--data', data, '--id-column', 'case_id', '--out', join(dir, 'out.json'), '--force'];
  const whole = Math.min(...[0, 1, 2].map(() => run(process.execPath, cli).seconds));

  const m = review.model.features.length;
  writeFileSync(join(dir, 'x.f64'), new Uint8Array(review.cases.x.buffer, review.cases.x.byteOffset, review.cases.x.byteLength));
  writeFileSync(join(dir, 'score.f64'), new Uint8Array(score.buffer, score.byteOffset, score.byteLength));
  const sklearn = JSON.parse(run(PYTHON, [ORACLE, 'fit', join(dir, 'x.f64'), join(dir, 'score.f64'), String(m)]).stdout) as Record<string, SklearnFit>;

  console.log(`\n${n.toLocaleString('en')} cases × ${m} features (${review.model.name}), model score = probability`);
  console.log(`  fit, in process (budget 8, the frontier at ${FRONTIER_BUDGETS.join('/')} included): ${fit.best.toFixed(3)} s (best of 3; CPU ${fit.bestCpu.toFixed(3)} s, GC threads included)`);
  console.log(`  the same with the held-out check (a second tree on four fifths): ${withCheck.toFixed(3)} s (best of 3; what the panel and the CLI run)`);
  console.log(`  risk-review surrogate, whole process:                              ${whole.toFixed(3)} s (best of 3)`);
  console.log(`  scikit-learn greedy tree, fit only: ${FRONTIER_BUDGETS.map((k) => `${k} leaves ${sklearn[k].seconds.toFixed(3)} s`).join(', ')}`);
  console.log('  leaves │ ours: leaves depth R²      band agr. │ scikit-learn: leaves depth R²      │ R² ours − sklearn');
  for (const p of surrogate.frontier) {
    const s = sklearn[p.budget];
    if (!s) continue;
    const ours = `${String(p.leaves).padStart(6)} ${'     '} ${p.r2.toFixed(4)}  ${p.bandAgreement.toFixed(4)}   `;
    console.log(`  ${String(p.budget).padStart(6)} │ ${ours}│ ${String(s.leaves).padStart(18)} ${String(s.depth).padStart(5)} ${s.r2.toFixed(4)}  │ ${(p.r2 - s.r2 >= 0 ? '+' : '') + (p.r2 - s.r2).toFixed(4)}`);
  }
  console.log(`  the budget-8 surrogate: ${surrogate.leaves} leaves, depth ${surrogate.depth}, R² ${surrogate.fidelity.r2.toFixed(4)}, band agreement ${surrogate.fidelity.bandAgreement.toFixed(4)}; on the held-out fifth R² ${surrogate.heldOut?.r2.toFixed(4) ?? '–'}, band agreement ${surrogate.heldOut?.bandAgreement.toFixed(4) ?? '–'}`);
}

function main(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import xgboost, sklearn'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log(`skipped: ${PYTHON} lacks xgboost or scikit-learn (apt-get install python3-xgboost python3-sklearn)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'rr-bench-surrogate-'));
  try {
    const made = run(PYTHON, [ORACLE, 'make', dir, String(N)]);
    console.log(`data and model made by the oracle in ${made.seconds.toFixed(1)} s; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores (wall times stretch when others share them)`);
    for (const n of SIZES) bench(dir, n);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
