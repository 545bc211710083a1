/**
 * A dev harness for the review panel, outside VS Code (not shipped, not a test): it loads
 * dist/webview.js and dist/webview.css in headless Chromium under the panel's CSP, plays the host with
 * the real engine on the juvenile sample (or the report tests' hand-built summary with `--sample`, or
 * hostile strings with `--hostile`), sets the VS Code theme variables of a light, dark or high-contrast
 * theme, drives the panel (next case, a what-if edit, a decision) and saves screenshots.
 *
 *     npm run build && node --import tsx scripts/webview-dev/harness.ts [--sample|--hostile|--project FILE] [--log FILE] [--out DIR]
 *
 * The decisions view reads the review log `--log` (default: the decisions fixture, made for the sample).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { CaseSummary, ReviewDecision } from '../../extension/engine/report/types';
import { EngineSession } from '../../extension/host/engineSession';
import { decisionsFor, readLog } from '../../extension/engine/reviewLog';
import { sampleSummary } from '../../test/unit/report-sample';
import type { FeatureField, FeatureValues, HostMessage, WebviewMessage } from '../../webview/protocol';
import { parseFromWebview } from '../../webview/protocol';
import { THEMES, type Theme } from './themes';

const args = process.argv.slice(2);
const mode = args.includes('--hostile') ? 'hostile' : args.includes('--sample') ? 'sample' : args.includes('--project') ? 'project' : 'engine';
const projectArg = args.includes('--project') ? args[args.indexOf('--project') + 1] : 'samples/juvenile/juvenile.riskreview.json';
const out = resolve(args[args.indexOf('--out') + 1] && args.includes('--out') ? args[args.indexOf('--out') + 1] : '/tmp/webview-dev');
mkdirSync(out, { recursive: true });
const root = resolve(__dirname, '../..');
const logArg = resolve(root, args.includes('--log') ? args[args.indexOf('--log') + 1] : 'test/fixtures/decisions/reviews.jsonl');
const ORIGIN = 'https://panel.test';
const NONCE = 'harness0nonce';

/** The host's side: cases, what-if answers and decisions, from the engine or from fixed summaries. */
interface FakeHost {
  caseMessage(k: number): HostMessage;
  readonly total: number;
  whatIf(k: number, seq: number, values: FeatureValues): HostMessage;
  decisions(): Promise<HostMessage>;
  history(caseId: string): Promise<HostMessage>;
}

/** The extension's own engine session (what the host's worker runs), so the harness shows what the panel would. */
function engineHost(): FakeHost {
  const session = new EngineSession();
  const opened = session.open({ kind: 'project', file: resolve(root, projectArg) }, {});
  return {
    total: opened.n,
    // Blind review, as the host does it: a case is blind until a decision on it is recorded.
    caseMessage: (k) => {
      const blind = opened.outcome !== null && !decided.has(opened.ids[k]);
      const view = session.caseView(k, {}, blind);
      return { type: 'case', summary: view.summary, index: k, total: opened.n, fields: opened.fields, values: view.values, decisions: [], bands: opened.bands, recordingBlocked: null, blind };
    },
    whatIf: (k, seq, values) => {
      const r = session.whatIf(k, values);
      const caseId = opened.ids[k];
      return r.attribution ? { type: 'whatIf', caseId, seq, score: r.score, margin: r.margin, band: r.band, attribution: r.attribution } : { type: 'whatIfError', caseId, seq, message: 'no attributions' };
    },
    decisions: async () => ({ type: 'decisions', overview: await session.decisions(logArg) }),
    history: async (caseId) => ({ type: 'history', caseId, decisions: decisionsFor((await readLog(logArg)).entries, caseId, opened.modelSha256, opened.dataSha256) }),
  };
}

function fixedHost(summaries: CaseSummary[]): FakeHost {
  const fields = (s: CaseSummary): FeatureField[] =>
    s.attribution!.rows.map((r) => ({ name: r.feature, label: r.label, description: r.description, min: 0, max: 20, ...(r.value !== null && r.valueText !== String(r.value) ? { categories: [r.valueText, 'other'] } : {}) }));
  const values = (s: CaseSummary): FeatureValues => Object.fromEntries(s.attribution!.rows.map((r) => [r.feature, r.value !== null && r.valueText !== String(r.value) ? 0 : r.value]));
  return {
    total: summaries.length,
    caseMessage: (k) => ({ type: 'case', summary: summaries[k], index: k, total: summaries.length, fields: fields(summaries[k]), values: values(summaries[k]), decisions: summaries[k].decision ? [summaries[k].decision!] : [], bands: [...new Set(summaries.map((s) => s.header.band))], recordingBlocked: null, blind: false }),
    // No model behind a hand-built summary: answer with the case's own attribution, score lowered by ten points.
    whatIf: (k, seq) => ({ type: 'whatIf', caseId: summaries[k].header.caseId, seq, score: summaries[k].header.score - 0.1, margin: summaries[k].header.margin - 0.4, band: 'Medium', attribution: summaries[k].attribution! }),
    decisions: async () => ({ type: 'decisionsError', message: 'No review log behind hand-built summaries.' }),
    history: async (caseId) => ({ type: 'history', caseId, decisions: [] }),
  };
}

/** Cases decided in this run (blind review shows their outcome). */
const decided = new Set<string>();

const HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1">';
const fake: FakeHost =
  mode === 'engine' || mode === 'project'
    ? engineHost()
    : fixedHost(
        mode === 'hostile'
          ? [sampleSummary({ caseId: `J-1${HOSTILE}`, featureLabel: `Prior <b>referrals</b>${HOSTILE}`, group: `F${HOSTILE}`, notes: `note ${HOSTILE}` }), sampleSummary({ caseId: 'J-2' })]
          : [sampleSummary(), sampleSummary({ caseId: 'J-0043' })],
      );

function page(theme: Theme): string {
  const csp = `default-src 'none'; img-src ${ORIGIN} data:; style-src ${ORIGIN} 'nonce-${NONCE}'; font-src ${ORIGIN}; script-src 'nonce-${NONCE}';`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><meta property="csp-nonce" content="${NONCE}">
<link rel="stylesheet" href="${ORIGIN}/dist/webview.css"><link rel="stylesheet" href="${ORIGIN}/theme.css"><title>Risk Review</title></head>
<body class="${theme.bodyClass}"><div id="app"></div>
<script nonce="${NONCE}" src="${ORIGIN}/fake-vscode.js"></script>
<script type="module" nonce="${NONCE}" src="${ORIGIN}/dist/webview.js"></script></body></html>`;
}

// The fake acquireVsCodeApi: messages go to the harness through an exposed binding; state lives in sessionStorage.
const FAKE_VSCODE = `window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__toHost(m),
  getState: () => JSON.parse(sessionStorage.getItem('state') || 'null'),
  setState: (s) => sessionStorage.setItem('state', JSON.stringify(s)),
});`;

async function open(p: Page, theme: Theme, log: WebviewMessage[], decisions: ReviewDecision[]): Promise<void> {
  let k = 0;
  const send = (msg: HostMessage) => p.evaluate((m) => window.postMessage(m, '*'), msg as unknown);
  await p.exposeFunction('__toHost', async (raw: unknown) => {
    const msg = parseFromWebview(raw);
    if (!msg) throw new Error(`the panel sent a message the host would refuse: ${JSON.stringify(raw)}`);
    log.push(msg);
    switch (msg.type) {
      case 'ready':
        return send(fake.caseMessage(k));
      case 'navigate':
        k = Math.max(0, Math.min(fake.total - 1, k + (msg.to === 'next' ? 1 : -1)));
        return send(fake.caseMessage(k));
      case 'whatIf':
        return send(fake.whatIf(k, msg.seq, msg.values));
      case 'decide': {
        const wasBlind = (fake.caseMessage(k) as { blind: boolean }).blind;
        const d: ReviewDecision = { verdict: msg.verdict, reason: msg.reason, notes: msg.notes, reviewer: 'dev', time: new Date().toISOString(), blind: wasBlind };
        decisions.push(d);
        decided.add(msg.caseId);
        await send({ type: 'decisionSaved', caseId: msg.caseId, decision: d });
        return wasBlind ? send(fake.caseMessage(k)) : undefined;
      }
      case 'decisionsView':
        return send(await fake.decisions());
      case 'history':
        return send(await fake.history(msg.caseId));
      default:
        return;
    }
  });
  await p.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    const types: Record<string, string> = { js: 'text/javascript', css: 'text/css', html: 'text/html' };
    const body =
      path === '/' ? page(theme) : path === '/fake-vscode.js' ? FAKE_VSCODE : path === '/theme.css' ? theme.css : path.startsWith('/dist/') ? readFileSync(join(root, path)) : null;
    if (body === null) return route.fulfill({ status: 404 });
    return route.fulfill({ status: 200, contentType: types[path.split('.').pop() ?? 'html'] ?? 'text/html', body });
  });
  await p.goto(`${ORIGIN}/`);
  await p.getByTestId('case-id').waitFor();
}

const text = (p: Page, id: string) => p.getByTestId(id).first().innerText();

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const problems: string[] = [];
  try {
    for (const theme of THEMES) {
      const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      const p = await ctx.newPage();
      p.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(`${theme.name} console: ${m.text()}`));
      p.on('pageerror', (e) => problems.push(`${theme.name} page error: ${e.message}`));
      const log: WebviewMessage[] = [];
      decided.clear();
      await open(p, theme, log, []);
      await p.waitForTimeout(300);
      await p.screenshot({ path: join(out, `${mode}-${theme.name}-full.png`), fullPage: true });
      await p.screenshot({ path: join(out, `${mode}-${theme.name}-top.png`) });
      console.log(`${theme.name}: case ${await text(p, 'case-id')}, score ${await text(p, 'score')}, band ${await text(p, 'band')}`);
      // The curves (a value read with the keyboard) and the smallest changes beside the what-if editor.
      const curves = p.getByTestId('curves').locator('figure.curve');
      if ((await curves.count()) > 0) {
        await curves.last().focus();
        await p.keyboard.press('ArrowLeft');
        await p.keyboard.press('ArrowLeft');
        console.log(`${theme.name}: curve reading "${await text(p, 'curve-reading')}"`);
        await p.locator('#section-sensitivity').screenshot({ path: join(out, `${mode}-${theme.name}-curves.png`) });
      }
      if ((await p.getByTestId('recourse-load-0').count()) > 0) {
        const shown = await text(p, 'whatif-score');
        await p.getByTestId('recourse-load-0').click();
        await p.waitForFunction((b) => document.querySelector('[data-testid=whatif-score]')?.textContent !== b, shown);
        console.log(`${theme.name}: option 1 loaded: ${await text(p, 'whatif-score')} (${await text(p, 'whatif-band')}); ${await text(p, 'recourse-option-0')}`);
        await p.locator('#section-whatif').screenshot({ path: join(out, `${mode}-${theme.name}-recourse.png`) });
        await p.getByTestId('whatif-reset').click();
        await p.waitForFunction((b) => document.querySelector('[data-testid=whatif-score]')?.textContent === b, shown);
      }
      // The decisions view: the log's check, the table (sorted by score, one history open), the groups.
      await p.getByTestId('view-decisions').click();
      await p.getByTestId('decisions-log').or(p.getByTestId('decisions-error')).first().waitFor();
      if (await p.getByTestId('decisions-table').count()) {
        await p.getByTestId('decisions-sort-score').click();
        await p.getByTestId('decisions-history').first().click();
        await p.getByTestId('decisions-history-list').first().waitFor();
        console.log(`decisions: ${await text(p, 'decisions-count')} ${await text(p, 'decisions-log')}`);
      }
      await p.screenshot({ path: join(out, `${mode}-${theme.name}-decisions.png`) });
      if (await p.getByTestId('decisions-groups').count()) {
        await p.getByTestId('decisions-groups').scrollIntoViewIfNeeded();
        await p.screenshot({ path: join(out, `${mode}-${theme.name}-decisions-groups.png`) });
      }
      await p.getByTestId('view-case').click();
      if (theme.name !== 'dark') {
        await ctx.close();
        continue;
      }
      // Keyboard: j for the next case, k back (Alt+↓ / Alt+↑ are VS Code keybindings of the host's, not the page's).
      await p.locator("body").click({ position: { x: 5, y: 300 } });
      const first = await text(p, 'case-id');
      await p.keyboard.press('j');
      await p.waitForFunction((id) => document.querySelector('[data-testid=case-id]')?.textContent !== id, first);
      console.log(`after j: case ${await text(p, 'case-id')}, score ${await text(p, 'score')}`);
      await p.keyboard.press('k');
      await p.waitForFunction((id) => document.querySelector('[data-testid=case-id]')?.textContent === id, first);
      console.log(`after k: case ${await text(p, 'case-id')}`);

      // What-if: change the first numeric field; wait for the score to change; time the round trip.
      const field = p.locator('vscode-text-field[data-testid^=whatif-input-]').first();
      const name = (await field.getAttribute('data-testid'))!;
      const before = await text(p, 'whatif-score');
      await field.locator('input').fill('9');
      await p.waitForFunction((b) => document.querySelector('[data-testid=whatif-score]')?.textContent !== b, before);
      const rt = await p.getByTestId('whatif-score').getAttribute('data-round-trip-ms');
      console.log(`what-if ${name}=9: ${before} → ${await text(p, 'whatif-score')} (${await text(p, 'whatif-band')}), round trip ${rt} ms; ${await text(p, 'whatif-delta')}`);
      await p.locator('#section-whatif').scrollIntoViewIfNeeded();
      await p.screenshot({ path: join(out, `${mode}-${theme.name}-whatif.png`), fullPage: true });

      // Keep it, then reset.
      await p.getByTestId('whatif-keep').click();
      await p.getByTestId('whatif-reset').click();
      await p.waitForFunction((b) => document.querySelector('[data-testid=whatif-score]')?.textContent === b, before);
      console.log(`after reset: ${await text(p, 'whatif-score')}; kept: ${await text(p, 'whatif-kept')}`);

      // Decision.
      await p.getByTestId('decision-disagree').click();
      await p.getByTestId('decision-reason').locator('input').fill('One incident counted twice');
      await p.getByTestId('decision-notes').locator('textarea').fill('Line one\nLine <two>');
      await p.getByTestId('decision-submit').click();
      await p.getByText('Decision recorded.').waitFor();
      await p.waitForFunction(() => !document.querySelector('[data-testid=outcome]')?.textContent?.includes('hidden'));
      console.log(`after the decision: outcome ${await text(p, 'outcome')}; blind note ${await p.getByTestId('blind-note').isVisible()}; calibration chart ${await p.getByTestId('calibration-chart').count()}`);
      console.log(`decision list: ${(await text(p, 'decision-list')).replace(/\n/g, ' | ')}`);
      await p.locator('#section-decision').scrollIntoViewIfNeeded();
      await p.screenshot({ path: join(out, `${mode}-${theme.name}-decision.png`) });

      // Hidden and shown again (a reload): state brings the case and the scroll back.
      // Unsent work survives too: a chosen verdict, notes and a what-if edit.
      await p.getByTestId('decision-agree').click();
      await p.getByTestId('decision-notes').locator('textarea').fill('draft, not sent');
      await field.locator('input').fill('7');
      await p.waitForFunction((b) => document.querySelector('[data-testid=whatif-score]')?.textContent !== b, before);
      const draftScore = await text(p, 'whatif-score');
      await p.locator('#section-surrogate > summary').click();
      await p.waitForTimeout(100); // 'toggle' is dispatched a task later
      const y = await p.evaluate(() => window.scrollY);
      console.log('stored before reload', await p.evaluate(() => JSON.parse(sessionStorage.getItem('state') ?? '{}').scrollY));
      await p.reload();
      await p.getByTestId('case-id').waitFor();
      await p.waitForTimeout(300);
      await p.waitForFunction((b) => document.querySelector('[data-testid=whatif-score]')?.textContent === b, draftScore);
      const restored = await p.evaluate(() => ({
        notes: (document.querySelector('[data-testid=decision-notes]') as HTMLElement & { value: string }).value,
        agree: (document.querySelector('[data-testid=decision-agree]') as HTMLElement & { checked: boolean }).checked,
        submitDisabled: (document.querySelector('[data-testid=decision-submit]') as HTMLElement & { disabled: boolean }).disabled,
      }));
      console.log(`draft after reload: what-if ${await text(p, 'whatif-score')} (was ${draftScore}), ${JSON.stringify(restored)}`);
      console.log(`reload: ready sent ${JSON.stringify(log.filter((m) => m.type === 'ready').pop())}, scroll ${y} → ${await p.evaluate(() => window.scrollY)}, surrogate section open: ${await p.evaluate(() => (document.getElementById('section-surrogate') as HTMLDetailsElement).open)}`);
      if (mode === 'hostile') {
        const pwned = await p.evaluate(() => document.body.dataset.pwned ?? null);
        const imgs = await p.evaluate(() => document.querySelectorAll('img').length);
        console.log(`hostile strings: injected img elements ${imgs}, handler ran: ${pwned !== null}; case id shown as text: ${await text(p, 'case-id')}`);
        if (imgs || pwned !== null) problems.push('hostile strings became markup');
      }
      await p.setViewportSize({ width: 520, height: 900 });
      await p.evaluate(() => window.scrollTo(0, 0));
      await p.waitForTimeout(200);
      await p.screenshot({ path: join(out, `${mode}-${theme.name}-narrow.png`) });
      console.log('messages sent:', log.map((m) => m.type).join(' '));
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
  if (problems.length) {
    console.log(problems.join('\n'));
    process.exitCode = 1;
  }
  console.log(`screenshots in ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
