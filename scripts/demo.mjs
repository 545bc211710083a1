// `npm run demo`: build and package Risk Review, then open the sample review in VS Code.
// - With `code` on the PATH: install the .vsix into your desktop VS Code and open the sample folder there.
// - Otherwise: set up VS Code in the browser (code-server, scripts/setup-e2e.sh), install the .vsix into a
//   profile of its own, serve it on 127.0.0.1 and print the address. Ctrl+C stops it.
// Either way the sample is a copy in .rr-e2e/demo/juvenile (ignored by git), so the decisions you record
// in the demo (its .riskreview/reviews.jsonl) stay out of the repository and are kept between demos.
//
//   npm run demo                 RISK_REVIEW_DEMO_PORT=8080 (the default) picks the browser port
//   npm run demo -- --browser    use the browser VS Code even when `code` is on the PATH
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { freePort, freshProfile, installVsix, startCodeServer } from '../test/e2e/lib/codeServer.mjs';
import { toolchainProblem } from '../test/e2e/lib/toolchain.mjs';
import { packageVsix, repoRoot } from '../test/e2e/lib/vsix.mjs';

const say = (line) => console.log(`demo: ${line}`);
const demoDir = join(repoRoot, '.rr-e2e', 'demo');
const workspace = join(demoDir, 'juvenile');
const HOW = 'the sample review opens by itself; to open it again, run "Risk Review: Open Sample Review" from the command palette (Ctrl+Shift+P), or open juvenile.riskreview.json and press "Open Review…" in its title bar';

function onPath(command) {
  return spawnSync(process.platform === 'win32' ? 'where' : 'which', [command], { stdio: 'ignore' }).status === 0;
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

say('building and packaging (npm run package)…');
const vsix = await packageVsix(demoDir);
say(`packaged ${vsix}`);
// Fresh sample files each time; the review log beside them (.riskreview/) is kept.
mkdirSync(workspace, { recursive: true });
cpSync(join(repoRoot, 'samples', 'juvenile'), workspace, { recursive: true });
// The review opens by itself when the window starts (riskReview.openOnStartup).
mkdirSync(join(workspace, '.vscode'), { recursive: true });
writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'riskReview.openOnStartup': 'juvenile.riskreview.json' }, null, 2) + '\n');

if (onPath('code') && !process.argv.includes('--browser')) {
  say('installing into desktop VS Code (code --install-extension)…');
  execFileSync('code', ['--install-extension', vsix, '--force'], { stdio: 'inherit', shell: process.platform === 'win32' });
  execFileSync('code', [workspace, join(workspace, 'juvenile.riskreview.json')], { stdio: 'inherit', shell: process.platform === 'win32' });
  say(`VS Code is opening ${workspace}: ${HOW}.`);
} else {
  if (toolchainProblem()) {
    say('no `code` on the PATH: setting up VS Code in the browser (scripts/setup-e2e.sh; the first time takes a few minutes)…');
    execFileSync('bash', [join(repoRoot, 'scripts', 'setup-e2e.sh')], { stdio: 'inherit' });
  }
  const profile = freshProfile({ 'workbench.colorTheme': 'Default Dark Modern' }, join(demoDir, 'vscode'));
  await installVsix(vsix, profile);
  const wanted = Number(process.env.RISK_REVIEW_DEMO_PORT || 8080);
  const port = (await portIsFree(wanted)) ? wanted : await freePort();
  const server = await startCodeServer({ folder: workspace, profile, port });
  const stopped = (code) => {
    console.error(`demo: code-server stopped (exit ${code}):\n${server.output()}`);
    process.exit(1);
  };
  const stop = async () => {
    server.child.off('exit', stopped);
    say('stopping VS Code…');
    await server.stop();
    rmSync(join(profile.root, 'extensions'), { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.child.once('exit', stopped);
  say(`VS Code is serving the sample on this machine only. Open ${server.url} in your browser: ${HOW}.`);
  say('Ctrl+C stops it.');
}
