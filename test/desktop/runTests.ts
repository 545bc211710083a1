/**
 * `npm run test:desktop`: the extension in desktop VS Code, through `@vscode/test-electron`, for
 * contributors whose machines can download VS Code (it fetches a build into .vscode-test/ on first use;
 * VSCODE_VERSION picks one, default "stable"). Machines without that download run the same extension in
 * VS Code in the browser instead: `npm run test:e2e`.
 *
 * It bundles suite.ts (run inside VS Code's extension host), opens a temporary copy of the juvenile
 * sample with only this extension enabled, and exits non-zero when a check fails.
 */
import { runTests } from '@vscode/test-electron';
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import quietSettings from '../e2e/lib/quiet-settings.json';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<number> {
  const suite = join(root, 'out', 'test-desktop', 'suite.js');
  await esbuild.build({
    entryPoints: [join(root, 'test', 'desktop', 'suite.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    outfile: suite,
    logLevel: 'warning',
  });

  const scratch = mkdtempSync(join(tmpdir(), 'risk-review-desktop-'));
  const workspace = join(scratch, 'juvenile');
  const userDataDir = join(scratch, 'user-data');
  cpSync(join(root, 'samples', 'juvenile'), workspace, { recursive: true });
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(quietSettings, null, 2));
  try {
    return await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath: suite,
      launchArgs: [
        workspace,
        '--disable-extensions', // every other extension; the one under development stays on
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${userDataDir}`,
      ],
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    console.error(`test:desktop failed: ${message}`);
    if (/download|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|getaddrinfo|fetch failed/i.test(message))
      console.error('VS Code could not be downloaded here. `npm run test:e2e` runs the packaged extension in VS Code in the browser without a download.');
    process.exit(1);
  },
);
