// code-server, the real VS Code the end-to-end tests and the demo drive: install a .vsix into a private
// extensions folder, write the user settings a robot needs, and start the server on loopback only.
import { spawn, execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { cacheDir, codeServerEntry, nodeBinDir } from './toolchain.mjs';

const run = promisify(execFile);

/**
 * Settings that keep the workbench quiet and offline (quiet-settings.json, shared with the desktop suite):
 * no trust dialog, welcome page or secondary side bar taking the keyboard, no AI or chat panels, no
 * gallery, update, schema download or telemetry traffic.
 */
export const QUIET_SETTINGS = JSON.parse(readFileSync(new URL('./quiet-settings.json', import.meta.url), 'utf8'));

/** Fresh private folders for one VS Code: user data (settings, state) and extensions. */
export function freshProfile(settings = {}, root = mkdtempSync(join(tmpdir(), 'risk-review-vscode-'))) {
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  writeFileSync(join(root, 'code-server.yaml'), '');
  return { root, userDataDir, extensionsDir };
}

function env(extra = {}) {
  return {
    ...process.env,
    // Node 24 first on PATH: code-server's own child processes (extension host, file watcher) start with it.
    PATH: `${nodeBinDir}${delimiter}${process.env.PATH}`,
    // No extension gallery: otherwise the workbench asks open-vsx.org about installed extensions.
    EXTENSIONS_GALLERY: '{}',
    // Whatever code-server keeps outside the profile it is given stays in the cache, not under HOME.
    XDG_CONFIG_HOME: join(cacheDir, 'xdg', 'config'),
    XDG_DATA_HOME: join(cacheDir, 'xdg', 'data'),
    ...extra,
  };
}

const node24 = () => join(nodeBinDir, 'node');

/** Installs a packaged extension the way a user does (`--install-extension`), into `profile`. */
export async function installVsix(vsix, profile) {
  const { stdout, stderr } = await run(
    node24(),
    [codeServerEntry, '--config', join(profile.root, 'code-server.yaml'), '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, '--install-extension', vsix, '--force'],
    { env: env(), timeout: 120_000 },
  );
  const said = `${stdout}\n${stderr}`;
  if (!/successfully installed/i.test(said)) throw new Error(`code-server did not install ${vsix}:\n${said}`);
  return said.trim();
}

/** A TCP port free on 127.0.0.1 at the moment of asking. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server on 127.0.0.1 with no password, opening `folder`. Resolves once it answers HTTP, with
 * its URL, its output so far, and `stop()`, which ends the whole process group. Workspace trust is off
 * (every folder trusted) unless `workspaceTrust`; then the profile's settings must enable it too.
 */
export async function startCodeServer({ folder, profile, port, timeoutMs = 60_000, extraEnv = {}, workspaceTrust = false }) {
  port ??= await freePort();
  const args = [
    codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--config', join(profile.root, 'code-server.yaml'), // its own empty config, not ~/.config/code-server
    folder,
  ];
  const child = spawn(node24(), args, {
    env: env(extraEnv),
    detached: true, // its own process group, so stop() also ends the extension host and watchers
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // Should this process end without stop() (an uncaught error), take the server's process group along.
  const killGroup = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ } };
  process.once('exit', killGroup);
  child.once('exit', () => process.off('exit', killGroup));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    const timer = setTimeout(killGroup, 5_000);
    await exited;
    clearTimeout(timer);
  };

  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}) before serving:\n${output}`);
    try {
      const res = await fetch(`${url}healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, child, stop, output: () => output };
}
