// One real VS Code for one end-to-end test file: the packaged .vsix installed into a fresh profile of
// code-server, a temporary copy of the sample as the workspace, the extension host's HTTP sent to a proxy
// that refuses and records it, and Debian's Chromium showing the workbench. Each test file starts its own
// (`npm run test:e2e` runs the files one after another) and saves its screenshots in its own folder.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { launchBrowser } from './browser.mjs';
import { freshProfile, installVsix, startCodeServer } from './codeServer.mjs';
import { startRefusingProxy } from './network.mjs';
import { toolchainProblem } from './toolchain.mjs';
import { packageVsix, repoRoot } from './vsix.mjs';
import { openWorkbench } from './workbench.mjs';

const keep = process.env.RISK_REVIEW_E2E_KEEP === '1';

/**
 * Starts everything and opens the workbench. `name` names the screenshot folder
 * (test-results/e2e/<name>/, emptied first); `settings` go into the user settings over the quiet ones;
 * `workspaceFiles` ({relative path: text}) are written into the workspace before VS Code opens it.
 * With `workspaceTrust`, VS Code asks whether to trust the workspace (the caller answers the dialog)
 * instead of trusting everything.
 */
export async function startSession({ name, settings = {}, workspaceFiles = {}, workspaceTrust = false }) {
  const shots = join(repoRoot, 'test-results', 'e2e', name);
  mkdirSync(shots, { recursive: true });
  for (const f of readdirSync(shots)) if (f.endsWith('.png')) rmSync(join(shots, f));
  // `npm run test:e2e` runs scripts/setup-e2e.sh before any test file starts.
  const problem = toolchainProblem();
  if (problem) throw new Error(problem);

  const s = { shots, vsix: null, proxy: null, profile: null, workspace: null, server: null, browser: null, page: null };
  let shotCount = 0;
  /** Saves a numbered screenshot of the whole page and returns its path. */
  s.shot = async (label) => {
    const file = join(shots, `${String(++shotCount).padStart(2, '0')}-${label}.png`);
    await s.page.screenshot({ path: file });
    return file;
  };
  s.close = async () => {
    await s.browser?.close();
    await s.server?.stop();
    await s.proxy?.close();
    if (keep) console.log(`kept: workspace ${s.workspace}, VS Code profile ${s.profile?.root}`);
    else for (const dir of [s.workspace, s.profile?.root]) if (dir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    s.vsix = await packageVsix(join(repoRoot, 'test-results', 'e2e'));
    s.proxy = await startRefusingProxy();
    s.profile = freshProfile({ 'http.proxy': s.proxy.url, 'http.proxySupport': 'override', 'http.proxyStrictSSL': false, ...settings });
    await installVsix(s.vsix, s.profile);
    // A copy of the sample, so whatever the test writes lands in a temporary folder.
    s.workspace = mkdtempSync(join(tmpdir(), `risk-review-e2e-${name}-`));
    cpSync(join(repoRoot, 'samples', 'juvenile'), s.workspace, { recursive: true });
    for (const [file, text] of Object.entries(workspaceFiles)) {
      mkdirSync(dirname(join(s.workspace, file)), { recursive: true });
      writeFileSync(join(s.workspace, file), text);
    }
    // VS Code routes the extension host's own http, https and fetch through `http.proxy`; worker threads
    // (the engine runs in one) and child processes escape that patch, so Node's own proxy support sends
    // theirs to the same proxy (NODE_USE_ENV_PROXY, Node 24). Both were seen catching a test extension's
    // requests from the host thread and from a worker.
    s.server = await startCodeServer({
      folder: s.workspace,
      profile: s.profile,
      workspaceTrust,
      extraEnv: { NODE_USE_ENV_PROXY: '1', HTTP_PROXY: s.proxy.url, HTTPS_PROXY: s.proxy.url, NO_PROXY: '127.0.0.1,localhost,::1' },
    });
    s.browser = await launchBrowser();
    s.page = s.browser.page;
    await openWorkbench(s.page, s.server.url);
  } catch (e) {
    if (s.page) await s.shot('failed-to-start').catch(() => {});
    await s.close();
    throw e;
  }
  return s;
}
