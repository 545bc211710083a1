// The real VS Code's set-up (scripts/setup-e2e.sh) on a machine that has never seen the project: an empty
// home folder, an empty cache folder, and the environment `npm test` / `npm run demo` hand to scripts (an
// npm_config_user_agent naming the outer Node, which once made code-server's install refuse). Only npm's
// download cache is reused, so no new download is needed; the install itself (native modules) runs for
// real, which takes a few minutes. It must succeed the first time and write nothing into the home folder.
//
//   npm run test:fresh-setup
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readyLine } from '../e2e/lib/toolchain.mjs';
import { repoRoot } from '../e2e/lib/vsix.mjs';

/** Every path under `dir`, relative to it. */
function listAll(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const rel = join(prefix, d.name);
    return d.isDirectory() ? [rel, ...listAll(join(dir, d.name), rel)] : [rel];
  });
}

test('setup-e2e.sh succeeds the first time with an empty home and cache, under npm\'s environment', { timeout: 20 * 60_000 }, () => {
  // npm's download cache, as the outer npm resolved it (an empty HOME would otherwise mean an empty one).
  const npmCache = process.env.npm_config_cache || execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
  const home = mkdtempSync(join(tmpdir(), 'risk-review-fresh-home-'));
  const cache = mkdtempSync(join(tmpdir(), 'risk-review-fresh-cache-'));
  try {
    const env = {
      PATH: process.env.PATH,
      LANG: process.env.LANG ?? 'C.UTF-8',
      HOME: home,
      RISK_REVIEW_E2E_CACHE: cache,
      npm_config_cache: npmCache,
      // What `npm run` hands to a script: the outer npm's user agent and friends.
      npm_config_user_agent: `npm/11.0.0 node/${process.version} linux x64 workspaces/false`,
      npm_lifecycle_event: 'test',
      npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
      npm_node_execpath: process.execPath,
      INIT_CWD: repoRoot,
    };
    for (const k of ['SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS', 'npm_config_registry', 'npm_config_cafile']) {
      if (process.env[k]) env[k] = process.env[k];
    }
    const run = spawnSync('bash', [join(repoRoot, 'scripts', 'setup-e2e.sh')], { cwd: repoRoot, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const said = `${run.stdout}\n${run.stderr}`;
    assert.equal(run.status, 0, `setup-e2e.sh failed on a fresh home and cache:\n${said}`);
    assert.match(said, /code-server \d+\.\d+\.\d+ on Node \d+\.\d+\.\d+ ready in /);
    assert.equal(readFileSync(join(cache, 'ready'), 'utf8').trim(), readyLine);
    // Nothing under HOME: no ~/.config/code-server, no ~/.local/share/code-server, no ~/.cache.
    assert.deepEqual(listAll(home), [], 'the set-up wrote into the home folder');
    // A second run finds everything in place and returns at once.
    const again = spawnSync('bash', [join(repoRoot, 'scripts', 'setup-e2e.sh')], { cwd: repoRoot, env, encoding: 'utf8' });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /ready in /);
    assert.doesNotMatch(again.stdout, /installing/);
    assert.deepEqual(listAll(home), []);
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
  assert.ok(!existsSync(cache));
});

test('a failing set-up says what failed and how to retry, in one message', { timeout: 60_000 }, () => {
  const home = mkdtempSync(join(tmpdir(), 'risk-review-fresh-home-'));
  try {
    // A cache folder that cannot be made (a file is in the way) fails at the first install step.
    const blocked = join(home, 'not-a-folder');
    execFileSync('bash', ['-c', `printf x > '${blocked}'`]);
    const run = spawnSync('bash', [join(repoRoot, 'scripts', 'setup-e2e.sh')], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: home, RISK_REVIEW_E2E_CACHE: join(blocked, 'cache') },
      encoding: 'utf8',
    });
    assert.notEqual(run.status, 0);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('setup-e2e: FAILED'));
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0], /run `bash scripts\/setup-e2e\.sh` again/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
