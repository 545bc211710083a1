/**
 * Recourse per case on the sample, for each of its three models: our exact search (recourseFor, the five
 * smallest options) and the per-feature curves, timed in this process; beside them, in the same run,
 * brute force with the model's own library (bench/recourse_oracle.py: XGBoost's predict on one thread, or
 * numpy, scoring every combination of the dynamic items at once and taking the smallest), which also
 * checks that our first option is as small. Then a harder search: a continuous XGBoost model
 * (test/fixtures/xgb/binary_d4_named, 20 trees of depth 4) with all eight features dynamic on a grid of
 * the case file's precision, to the lowest band. Needs /usr/bin/python3 with xgboost. Prints; asserts nothing.
 *
 * The targets (issue 16): under 100 ms a case for the instrument and the logistic model, under 1 s for XGBoost.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSpec } from '../extension/engine/project';
import { openReview, scoreAll } from '../extension/engine/review';
import { changeRules, featureCurves, recourseFor } from '../extension/engine/recourse/index';

const ROOT = join(__dirname, '..');
const SAMPLE = join(ROOT, 'samples', 'juvenile');
const CASES = Number(process.env.RECOURSE_BENCH_CASES ?? 400);

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function summary(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `median ${quantile(s, 0.5).toFixed(2)} ms, 95th percentile ${quantile(s, 0.95).toFixed(2)} ms, slowest ${s[s.length - 1].toFixed(2)} ms`;
}

function benchProject(name: string, file: string): void {
  const project = join(SAMPLE, file);
  const review = openReview(resolveSpec({ project }));
  const rules = changeRules(review);
  const { score } = scoreAll(review.model, review.cases);
  const lowest = review.bands[0].below!;
  const cases = Array.from({ length: review.cases.n }, (_, i) => i).filter((i) => score[i] >= lowest).slice(0, CASES);
  for (const i of cases.slice(0, 20)) recourseFor(review, rules, i); // warm up
  const ours: number[] = [];
  const curves: number[] = [];
  const first: ([number, number] | null)[] = [];
  let evaluated = 0;
  for (const i of cases) {
    let t = performance.now();
    const r = recourseFor(review, rules, i);
    ours.push(performance.now() - t);
    evaluated += r.search.evaluated;
    first.push(r.options.length ? [r.options[0].changes.length, r.options[0].size] : null);
    t = performance.now();
    featureCurves(review, rules, i);
    curves.push(performance.now() - t);
  }
  const dir = mkdtempSync(join(tmpdir(), 'rr-recourse-bench-'));
  try {
    writeFileSync(join(dir, 'ids.txt'), cases.map((i) => review.cases.ids[i]).join('\n'));
    const r = spawnSync('/usr/bin/python3', [join(__dirname, 'recourse_oracle.py'), project, join(dir, 'ids.txt')], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`recourse_oracle.py failed:\n${r.stderr}`);
    const oracle = JSON.parse(r.stdout) as { seconds: number[]; smallest: ([number, number] | null)[] };
    const agree = first.filter((f, k) => JSON.stringify(f) === JSON.stringify(oracle.smallest[k])).length;
    const brute = oracle.seconds.map((s) => s * 1000);
    const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
    console.log(`\n${name} (${review.model.kind}), ${cases.length} cases above the lowest band, ${rules.filter((x) => x.riskFactor === 'dynamic').length} dynamic items:`);
    console.log(`  recourse, ours (exact search, 5 options):   ${summary(ours)}; ${(evaluated / cases.length).toFixed(0)} sets of changes scored a case on average`);
    console.log(`  brute force, ${review.model.kind === 'xgboost' ? "XGBoost's predict" : 'numpy'} (the smallest only): ${summary(brute)}`);
    console.log(`  ratio of medians, ours / brute force: ${(median(ours) / median(brute)).toFixed(2)}; the smallest option agrees in ${agree} of ${cases.length} cases`);
    console.log(`  curves, every feature:                       ${summary(curves)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function benchContinuous(): void {
  const dir = join(ROOT, 'test', 'fixtures', 'xgb');
  const spec = resolveSpec({ model: join(dir, 'binary_d4_named.json'), data: join(dir, 'binary_d4_named.csv'), idColumn: 'case_id' });
  const features = Object.fromEntries(['age', 'prior_arrests', 'school_days_missed', 'months_supervised', 'peer_score', 'family_support', 'substance_score', 'housing_moves'].map((f) => [f, { riskFactor: 'dynamic' as const }]));
  const review = openReview({ ...spec, features, bands: [{ label: 'Low', below: 0.3 }, { label: 'Moderate', below: 0.6 }, { label: 'High' }] });
  const rules = changeRules(review);
  const { score } = scoreAll(review.model, review.cases);
  const cases = Array.from({ length: review.cases.n }, (_, i) => i).filter((i) => score[i] >= 0.6).slice(0, 60);
  const ms: number[] = [];
  const statuses: Record<string, number> = {};
  let complete = 0;
  for (const i of cases) {
    const t = performance.now();
    const r = recourseFor(review, rules, i, { targetBand: 'Low' });
    ms.push(performance.now() - t);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.search.complete) complete++;
  }
  console.log(`\ncontinuous XGBoost (binary_d4_named: 20 trees of depth 4, 8 dynamic features, grids of up to 10,000 values), ${cases.length} High cases to Low:`);
  console.log(`  ${summary(ms)}; ${JSON.stringify(statuses)}; ${complete} searches ran to the end, the others stopped at the budget with a bound`);
}

benchProject('Instrument', 'juvenile-instrument.riskreview.json');
benchProject('Logistic regression', 'juvenile-logistic.riskreview.json');
benchProject('XGBoost', 'juvenile.riskreview.json');
benchContinuous();
