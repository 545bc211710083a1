// The engine's own answer to hold the panel to: the `risk-review` CLI (dist/cli.js, whose scores
// test/cli checks against XGBoost) run on the same project.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './vsix.mjs';

/** Scores of every case of `project`, from the CLI (on `dataFile` instead of the project's cases if given). */
export async function cliScores(project, dataFile) {
  const args = [join(repoRoot, 'dist', 'cli.js'), 'score', '--project', project, '--format', 'csv'];
  if (dataFile) args.push('--data', dataFile);
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 64 << 20 });
  const [head, ...lines] = stdout.trim().split('\n');
  assert.equal(head, 'caseId,score,band,flagged');
  return lines.map((l) => {
    const [caseId, score, band] = l.split(',');
    return { caseId, score: Number(score), band };
  });
}

/** Whether the panel's score text ("82.0%" or "3.5 points") shows `score` to its printed precision. */
export function showsScore(shown, score) {
  const m = /^(-?\d+(?:\.(\d+))?)(%| points)$/.exec(shown ?? '');
  if (!m) return false;
  const value = m[3] === '%' ? score * 100 : score;
  const halfUnit = 0.5 * 10 ** -(m[2]?.length ?? 0);
  return Math.abs(Number(m[1]) - value) <= halfUnit + 1e-9;
}

/** The CLI's JSON for a verb on `project` (e.g. `recourse --case ID`, `explain --case ID --curves`). */
export async function cliJson(project, verb, args) {
  const { stdout } = await promisify(execFile)(process.execPath, [join(repoRoot, 'dist', 'cli.js'), verb, '--project', project, ...args], { maxBuffer: 64 << 20 });
  return JSON.parse(stdout);
}
