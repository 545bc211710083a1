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
 * Launches headless Chromium with one page. `requests` collects every request of the context (pages,
 * frames, workers, service workers, websockets) with whether a service worker answered it; `offMachine()`
 * lists those that would leave the machine.
 *
 * A webview loads its own files from `https://*.vscode-resource.vscode-cdn.net/…`: the webview's service
 * worker answers those inside the browser, from the extension's folder through VS Code. So a request a
 * service worker answered did not go out (the worker's own requests are recorded and judged too).
 */
export async function launchBrowser({ viewport = { width: 1600, height: 1000 } } = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000 });
  const context = await browser.newContext({ viewport, serviceWorkers: 'allow' });
  const requests = [];
  const byRequest = new Map();
  context.on('request', (req) => {
    const r = { kind: req.resourceType(), url: req.url(), fromServiceWorker: false, failed: null };
    byRequest.set(req, r);
    requests.push(r);
  });
  context.on('response', (res) => {
    const r = byRequest.get(res.request());
    if (r) r.fromServiceWorker = res.fromServiceWorker();
  });
  context.on('requestfailed', (req) => {
    const r = byRequest.get(req);
    if (r) r.failed = req.failure()?.errorText ?? 'failed';
  });
  const watch = (page) => page.on('websocket', (ws) => requests.push({ kind: 'websocket', url: ws.url(), fromServiceWorker: false, failed: null }));
  context.on('page', watch);
  const page = await context.newPage();
  watch(page);
  page.setDefaultTimeout(30_000);
  return {
    browser,
    context,
    page,
    requests,
    offMachine: () => requests.filter((r) => !staysOnMachine(r.url) && !r.fromServiceWorker),
    close: () => browser.close().catch(() => {}),
  };
}
