/**
 * Reviewers' decisions at scale: 200,000 cases (a logistic model on two features, groups of two columns)
 * and a chained review log of 250,000 decisions (some cases decided twice, the latest counting), made here
 * from a seed in a temporary folder; then
 *   verify      verifyLog: read, parse every entry, check every entry's hash and every link of the chain;
 *   overview    decisionsOverview: the latest decision per case, the figures for everyone, each column and
 *               their intersection (Wilson intervals, Newcombe gaps, accuracies);
 *   cli         `risk-review decisions --format json` as its own process (open, score, read, verify, count);
 *   pandas      the same figures in pandas + statsmodels from the same log (Debian's /usr/bin/python3),
 *               reading the JSON Lines and computing, timed in the same run, with the largest difference;
 *   appends     1,000 appendEntry calls in a row (each under the lock, with fsync), and 4 writer processes
 *               of 250 each at once.
 * DECISIONS_BENCH_CASES changes the number of cases (decisions: 1.25 × that). Prints; does not assert.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decisionsOverview } from '../extension/engine/decisions/overview';
import type { DecisionsOverview } from '../extension/engine/decisions/types';
import { sha256 } from '../extension/engine/io';
import { sealLine, sha256Hex } from '../extension/engine/logChain';
import { readProject } from '../extension/engine/project';
import { openReview, scoreAll, scoringSha256 } from '../extension/engine/review';
import { appendEntry, verifyLog } from '../extension/engine/reviewLog';
import { rng } from './rng';

const ROOT = join(__dirname, '..');
const N = Number(process.env.DECISIONS_BENCH_CASES ?? 200_000);
const DECISIONS = Math.round(N * 1.25);
const SEXES = ['Female', 'Male'];
const RACES = ['Asian', 'Black', 'Hispanic', 'Native', 'Other', 'White'];

function writeInputs(dir: string): string {
  const random = rng(13);
  let csv = 'case_id,sex,race,a,b,outcome\n';
  for (let i = 0; i < N; i++) {
    const a = Math.floor(random() * 10);
    // The half-thousandth keeps every score off the band edges, so that summation order cannot move a band.
    const b = Math.round(random() * 1000) / 100 + 0.005;
    const eta = -2 + 0.3 * a + 0.1 * b;
    csv += `C${i},${SEXES[random() < 0.3 ? 0 : 1]},${RACES[Math.min(5, Math.floor(-Math.log(1 - random()) * 2))]},${a},${b},${random() < 1 / (1 + Math.exp(-eta)) ? 1 : 0}\n`;
  }
  writeFileSync(join(dir, 'cases.csv'), csv);
  writeFileSync(join(dir, 'model.riskmodel.json'), JSON.stringify({ kind: 'logistic', name: 'bench', intercept: -2, coefficients: { a: 0.3, b: 0.1 } }));
  const project = join(dir, 'bench.riskreview.json');
  writeFileSync(
    project,
    JSON.stringify({
      model: 'model.riskmodel.json',
      data: 'cases.csv',
      idColumn: 'case_id',
      outcomeColumn: 'outcome',
      groupColumns: ['sex', 'race'],
      referenceGroups: { sex: 'Male', race: 'White' },
      threshold: 0.5,
      bands: [{ label: 'Low', below: 0.25 }, { label: 'Moderate', below: 0.5 }, { label: 'High' }],
    }),
  );
  return project;
}

/** The log, chained as appendEntry chains it, written in one go. */
function writeLog(file: string, modelSha256: string, dataSha256: string, bandOf: (i: number) => number): void {
  const random = rng(7);
  const bands = ['Low', 'Moderate', 'High'];
  const fd = openSync(file, 'w');
  let prev: string | null = null;
  let chunk = '';
  for (let k = 0; k < DECISIONS; k++) {
    const i = k < N ? k : Math.floor(random() * N);
    const band = bandOf(i);
    const u = random();
    const up = u < 0.06 && band < 2;
    const down = !up && u < 0.12 && band > 0;
    const line = sealLine({
      caseId: `C${i}`,
      verdict: up || down || (u > 0.12 && u < 0.15) ? 'disagree' : 'agree',
      reason: up || down ? 'as the file shows' : '',
      notes: '',
      ...(up ? { assignedBand: bands[band + 1] } : down ? { assignedBand: bands[band - 1] } : {}),
      band: bands[band],
      blind: random() < 0.8,
      reviewer: `r${Math.floor(random() * 5)}`,
      modelSha256,
      dataSha256,
      model: 'bench',
      time: new Date(Date.UTC(2026, 0, 1) + k * 1000).toISOString(),
      version: 'bench',
      prev,
    });
    prev = sha256Hex(line);
    chunk += line + '\n';
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

const PYTHON = `
import json, sys, time
import numpy as np, pandas as pd
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint
d = sys.argv[1]
t0 = time.perf_counter()
log = pd.read_json(d + "/reviews.jsonl", lines=True, dtype={"caseId": str})
t1 = time.perf_counter()
cases = pd.read_csv(d + "/cases.csv", dtype={"case_id": str})
score = 1 / (1 + np.exp(-(-2 + 0.3 * cases.a + 0.1 * cases.b)))
cases["band"] = np.searchsorted([0.25, 0.5], score, side="right")
latest = log.groupby("caseId", sort=False).tail(1).set_index("caseId")
c = cases.set_index("case_id").loc[latest.index]
assigned = latest.assignedBand.map({"Low": 0, "Moderate": 1, "High": 2}).fillna(-1).to_numpy()
c["dir"] = np.where(latest.verdict == "agree", "agree", np.where(assigned < 0, "unnamed", np.where(assigned > c.band, "up", "down")))
c["sex_race"] = c.sex + " x " + c.race
out = {}
for col, ref in (("sex", "Male"), ("race", "White"), ("sex_race", "Male x White")):
    counts = pd.crosstab(c[col], c.dir)
    n = counts.sum(axis=1)
    rows = {}
    for g in counts.index:
        r = {}
        for k in ("agree", "up", "down"):
            lo, hi = proportion_confint(counts.loc[g, k], n[g], method="wilson")
            r[k] = [int(counts.loc[g, k]), float(lo), float(hi)]
            if g != ref:
                glo, ghi = confint_proportions_2indep(counts.loc[g, k], n[g], counts.loc[ref, k], n[ref], method="newcomb", compare="diff")
                r[k + "Gap"] = [float(glo), float(ghi)]
        rows[g] = r
    out[col] = rows
t2 = time.perf_counter()
print(json.dumps({"read": t1 - t0, "figures": t2 - t1, "cpu": time.process_time(), "out": out}))
`;

/** The largest difference between pandas' figures and ours (counts must agree exactly). */
function deviation(o: DecisionsOverview, py: Record<string, Record<string, Record<string, number[]>>>): number {
  let max = 0;
  const key = { agree: 'agreed', up: 'overrideUp', down: 'overrideDown' } as const;
  for (const [column, table] of [['sex', o.byGroup[0]], ['race', o.byGroup[1]], ['sex_race', o.byGroup[2]]] as const) {
    for (const row of table.rows) {
      const want = py[column][row.group.replace(' × ', ' x ')];
      if (!want) continue;
      for (const [k, name] of Object.entries(key)) {
        const r = row[name];
        if (r.count !== want[k][0]) return Infinity;
        max = Math.max(max, Math.abs(r.ciLow! - want[k][1]), Math.abs(r.ciHigh! - want[k][2]));
        const g = row.gaps?.[name];
        if (g && want[`${k}Gap`]) max = Math.max(max, Math.abs(g.ciLow - want[`${k}Gap`][0]), Math.abs(g.ciHigh - want[`${k}Gap`][1]));
      }
    }
  }
  return max;
}

const seconds = (start: number) => (performance.now() - start) / 1000;
/** CPU seconds of this process so far (the machine may be shared: CPU time says what the work cost). */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function writers(file: string, count: number, each: number): Promise<number> {
  const start = performance.now();
  await Promise.all(
    Array.from({ length: count }, (_, k) => new Promise((resolve) => spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'log-writer.ts'), 'append', file, `W${k}`, String(each)], { stdio: 'ignore' }).on('exit', resolve))),
  );
  return seconds(start);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rr-bench-decisions-'));
  try {
    const project = writeInputs(dir);
    const review = openReview(readProject(project));
    const { score } = scoreAll(review.model, review.cases);
    const log = join(dir, 'reviews.jsonl');
    writeLog(log, scoringSha256(review), review.dataSha256, (i) => (score[i] < 0.25 ? 0 : score[i] < 0.5 ? 1 : 2));
    const bytes = readFileSync(log).length;
    console.log(`${N.toLocaleString('en-US')} cases, ${DECISIONS.toLocaleString('en-US')} decisions (${Math.round(bytes / 2 ** 20)} MB of log); log sha ${sha256(readFileSync(log)).slice(0, 12)}`);

    let start = performance.now();
    let c0 = cpu();
    const verified = await verifyLog(log);
    const verify = seconds(start);
    const verifyCpu = cpu() - c0;
    console.log(`  verify: read, parse and check the chain     ${verify.toFixed(2).padStart(6)} s  (cpu ${verifyCpu.toFixed(2)} s, ${Math.round(DECISIONS / verifyCpu).toLocaleString('en-US')} entries per cpu-second, intact: ${verified.verification.intact})`);
    start = performance.now();
    c0 = cpu();
    const o = decisionsOverview(review, score, verified, log);
    const overview = seconds(start);
    const overviewCpu = cpu() - c0;
    console.log(`  overview: latest per case, 3 groupings       ${overview.toFixed(2).padStart(6)} s  (cpu ${overviewCpu.toFixed(2)} s; ${o.rows.length.toLocaleString('en-US')} cases reviewed)`);
    start = performance.now();
    const cli = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'decisions', '--project', project, '--review-log', log, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    console.log(`  risk-review decisions --format json          ${seconds(start).toFixed(2).padStart(6)} s  (exit ${cli.status}; open, score, verify, count, print)`);

    const py = spawnSync('/usr/bin/python3', ['-c', PYTHON, dir], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (py.status !== 0) console.log(`  pandas + statsmodels: not run (${py.stderr.trim().split('\n').pop()})`);
    else {
      const r = JSON.parse(py.stdout) as { read: number; figures: number; cpu: number; out: Record<string, Record<string, Record<string, number[]>>> };
      console.log(
        `  pandas + statsmodels: read ${r.read.toFixed(2)} s, figures ${r.figures.toFixed(2)} s (cpu ${r.cpu.toFixed(2)} s with imports)  ours, read + check + figures: ${((verify + overview) / (r.read + r.figures)).toFixed(2)}× their wall time, ${((verifyCpu + overviewCpu) / r.cpu).toFixed(2)}× their cpu; largest difference ${deviation(o, r.out).toExponential(1)}`,
      );
    }

    const appendLog = join(dir, 'appends.jsonl');
    const entry = { caseId: 'C1', verdict: 'agree' as const, reason: '', notes: '', reviewer: 'r', modelSha256: 'a'.repeat(64), dataSha256: 'b'.repeat(64), model: 'm', time: new Date().toISOString() };
    start = performance.now();
    for (let k = 0; k < 1000; k++) await appendEntry(appendLog, entry);
    const one = seconds(start);
    console.log(`  1,000 appends in a row (lock, write, fsync)  ${one.toFixed(2).padStart(6)} s  (${one.toFixed(2)} ms each)`);
    const many = await writers(join(dir, 'concurrent.jsonl'), 4, 250);
    const check = await verifyLog(join(dir, 'concurrent.jsonl'));
    console.log(`  4 processes × 250 appends at once            ${many.toFixed(2).padStart(6)} s  (${check.entries.length} entries, intact: ${check.verification.intact}; includes 4 process starts)`);
  } finally {
    if (process.env.DECISIONS_BENCH_KEEP) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
