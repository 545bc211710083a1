// The .vsix under test: the one `npm run package` makes, exactly as a user would install it.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * Builds and packages the extension into `outDir` and returns the .vsix path. RISK_REVIEW_VSIX names an
 * already-packaged file instead (to test a release artifact, or to save the packaging step).
 */
export async function packageVsix(outDir) {
  if (process.env.RISK_REVIEW_VSIX) {
    const given = resolve(process.env.RISK_REVIEW_VSIX);
    if (!existsSync(given)) throw new Error(`RISK_REVIEW_VSIX=${given} does not exist`);
    return given;
  }
  mkdirSync(outDir, { recursive: true });
  const vsix = join(outDir, 'risk-review.vsix');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  try {
    // Arguments after `--` go to the script's last command, `vsce package`.
    await run(npm, ['run', '--silent', 'package', '--', '--out', vsix], { cwd: repoRoot, timeout: 300_000, maxBuffer: 16 << 20 });
  } catch (e) {
    throw new Error(`npm run package failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
  if (!existsSync(vsix) || statSync(vsix).size === 0) throw new Error(`npm run package made no ${vsix}`);
  return vsix;
}
