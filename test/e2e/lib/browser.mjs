// Debian's Chromium driven by playwright-core (never a downloaded browser), with every request it makes
// recorded so a test can prove nothing leaves the machine.
import { chromium } from 'playwright-core';
import { CHROMIUM } from './toolchain.mjs';

// Without the background-networking flags Chromium phones Google at start (and, offline, logs failures).
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-domain-reliability',
];

/** Addresses that stay on this machine: loopback, and the schemes a webview uses for its own content. */
export function staysOnMachine(url) {
  let u;
  try { u = new URL(url); } catch { return false; }
  if (['data:', 'blob:', 'vscode-resource:', 'vscode-webview:', 'vscode-file:', 'about:', 'chrome-error:'].includes(u.protocol)) return true;
  if (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'ws:' && u.protocol !== 'wss:') return false;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || /^127\./.test(host) || host.endsWith('.localhost');
}

/**
 * Launches headless Chromium with one page. `requests` collects every URL the context asks for (pages,
 * frames, workers, websockets); `offMachine()` lists those that would leave the machine.
 */
export async function launchBrowser({ viewport = { width: 1600, height: 1000 } } = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000 });
  const context = await browser.newContext({ viewport, serviceWorkers: 'allow' });
  const requests = [];
  const record = (kind) => (url) => requests.push({ kind, url });
  context.on('request', (req) => record(req.resourceType())(req.url()));
  const watch = (page) => {
    page.on('websocket', (ws) => record('websocket')(ws.url()));
    page.on('worker', (w) => record('worker')(w.url()));
  };
  context.on('page', watch);
  const page = await context.newPage();
  watch(page);
  page.setDefaultTimeout(30_000);
  return {
    browser,
    context,
    page,
    requests,
    offMachine: () => requests.filter((r) => !staysOnMachine(r.url)),
    close: () => browser.close().catch(() => {}),
  };
}
