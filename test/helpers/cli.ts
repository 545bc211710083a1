/** Runs the built CLI (`dist/cli.js`) as a user would: a separate process, its exit code and both streams. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `env` adds to (or overrides) this process's environment. */
/** `timeoutMs` ends a run that hangs (the result's code is then null). */
export function runCli(args: readonly string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): CliResult {
  const env = options.env && { ...process.env, ...options.env };
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: options.cwd, input: options.input, env, maxBuffer: 256 * 1024 * 1024, timeout: options.timeoutMs, killSignal: 'SIGKILL' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The shape of every bad-input failure: exit 1, one line on stderr, no stack trace. */
export function assertCleanFailure(r: CliResult, pattern: RegExp): void {
  const lines = r.stderr.trimEnd().split('\n');
  if (r.code !== 1) throw new Error(`expected exit 1, got ${r.code}: ${r.stderr}`);
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got:\n${r.stderr}`);
  if (/\n\s+at |Error: /.test(r.stderr)) throw new Error(`stack trace on stderr:\n${r.stderr}`);
  if (!pattern.test(r.stderr)) throw new Error(`stderr does not match ${pattern}:\n${r.stderr}`);
}
