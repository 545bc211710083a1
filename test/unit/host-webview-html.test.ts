/**
 * The review panel's page (extension/host/webviewHtml.ts), parsed as a browser would (parse5): a strict
 * Content Security Policy (nothing by default, scripts only with this page's nonce, no inline styles,
 * no eval), exactly one script — the bundled dist/webview.js as a module carrying that nonce — every
 * resource from the extension's own dist/, and a fresh nonce for every page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { contentSecurityPolicy, panelHtml, panelOptions } from '../../extension/host/webviewHtml';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
interface FakeUri {
  readonly path: string;
}
const joinPath = (base: FakeUri, ...parts: string[]) => ({ path: [base.path, ...parts].join('/') });
const webview = { cspSource: CSP_SOURCE, asWebviewUri: (u: FakeUri) => `${CSP_SOURCE}${u.path}` };
const EXT = { path: '/ext/risk-review' };

function page(): string {
  return panelHtml(webview as never, EXT as never, joinPath as never);
}

function elements(node: Node, out: Element[] = []): Element[] {
  if ('tagName' in node) out.push(node);
  if ('childNodes' in node) for (const c of node.childNodes) elements(c as Node, out);
  if ('content' in node && node.content) elements(node.content as unknown as Node, out);
  return out;
}
const attr = (e: Element, name: string) => e.attrs.find((a) => a.name === name)?.value;

function policy(html: string): Map<string, string[]> {
  const meta = elements(parse(html)).filter((e) => e.tagName === 'meta' && attr(e, 'http-equiv')?.toLowerCase() === 'content-security-policy');
  assert.equal(meta.length, 1, 'one CSP meta element');
  return new Map(
    attr(meta[0], 'content')!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  );
}

test('the policy allows nothing by default and scripts only with the page nonce', () => {
  const html = page();
  const csp = policy(html);
  assert.deepEqual(csp.get('default-src'), ["'none'"]);
  const scripts = csp.get('script-src')!;
  assert.equal(scripts.length, 1);
  assert.match(scripts[0], /^'nonce-[A-Za-z0-9+/]{22}=='$/, '128 random bits in base64');
  assert.deepEqual(csp.get('style-src'), [CSP_SOURCE]);
  assert.deepEqual(csp.get('img-src'), [CSP_SOURCE, 'data:']);
  assert.deepEqual(csp.get('font-src'), [CSP_SOURCE]);
  assert.deepEqual(csp.get('base-uri'), ["'none'"]);
  for (const [, values] of csp) for (const v of values) assert.ok(!/unsafe|\*|^https?:$/.test(v), `no wildcard or unsafe source: ${v}`);
});

test('the one script is the bundled module with the nonce; every resource is the extension\'s dist/', () => {
  const html = page();
  const nonce = policy(html).get('script-src')![0].slice("'nonce-".length, -1);
  const all = elements(parse(html));
  const scripts = all.filter((e) => e.tagName === 'script');
  assert.equal(scripts.length, 1);
  assert.equal(attr(scripts[0], 'type'), 'module');
  assert.equal(attr(scripts[0], 'nonce'), nonce);
  assert.equal(attr(scripts[0], 'src'), `${CSP_SOURCE}/ext/risk-review/dist/webview.js`);
  assert.equal(scripts[0].childNodes.length, 0, 'no inline script');
  const urls = all.flatMap((e) => e.attrs.filter((a) => a.name === 'src' || a.name === 'href').map((a) => a.value));
  assert.deepEqual(urls.sort(), [`${CSP_SOURCE}/ext/risk-review/dist/webview.css`, `${CSP_SOURCE}/ext/risk-review/dist/webview.js`]);
  assert.ok(all.every((e) => e.tagName !== 'style' && attr(e, 'style') === undefined), 'no inline styles');
  assert.ok(all.every((e) => e.attrs.every((a) => !a.name.startsWith('on'))), 'no inline event handlers');
  assert.equal(all.filter((e) => attr(e, 'id') === 'app').length, 1);
});

test('every page gets a fresh nonce', () => {
  const nonces = new Set(Array.from({ length: 50 }, () => policy(page()).get('script-src')![0]));
  assert.equal(nonces.size, 50);
});

test('contentSecurityPolicy is the one place the policy is written', () => {
  assert.equal(contentSecurityPolicy('vscode-src', 'abc'), "default-src 'none'; img-src vscode-src data:; style-src vscode-src; font-src vscode-src; script-src 'nonce-abc'; base-uri 'none'; form-action 'none'");
});

test('the panel may run scripts and read only dist/ and media/, with command links off', () => {
  const o = panelOptions(EXT as never, joinPath as never);
  assert.equal(o.enableScripts, true);
  assert.equal(o.enableCommandUris, false);
  assert.deepEqual(
    (o.localResourceRoots as unknown as FakeUri[]).map((u) => u.path),
    ['/ext/risk-review/dist', '/ext/risk-review/media'],
  );
});
