// The packaged extension in a real VS Code, used as a reviewer would: the .vsix that `npm run package`
// makes is installed into code-server (VS Code in the browser, with the desktop's Node extension host),
// which Debian's Chromium shows; Playwright drives it through the command palette and the panel, and
// saves a screenshot of every step in test-results/e2e/review/ (look at them). Last, the panel is looked at
// in a dark and two high-contrast colour themes, picked as a user picks them.
//
// The numbers the panel shows are checked against the `risk-review` CLI on the same project (the CLI's
// scores are checked against XGBoost in test/cli). Every request the browser makes is recorded, and the
// extension host's HTTP goes to a proxy that refuses and records it: the test fails if any would leave
// the machine.
//
//   npm run test:e2e        (runs scripts/setup-e2e.sh first, which is instant once it has run)
//   RISK_REVIEW_E2E_KEEP=1  keeps the temporary workspace and VS Code profile for a look afterwards
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { byTestId, caseView, click, errorBanner, openedPanel, reveal, text, typeInto } from './lib/panel.mjs';
import { cliJson, cliScores as cliScoresOf, showsScore } from './lib/scores.mjs';
import { startSession } from './lib/session.mjs';
import { repoRoot } from './lib/vsix.mjs';
import { luminance, parseColour, readLook, themeProblems } from './lib/theme.mjs';
import { pickColorTheme, runCommand, until } from './lib/workbench.mjs';

const PROJECT = 'juvenile.riskreview.json'; // the project Open Sample Review opens
const WHAT_IF_FEATURE = 'prior_referrals'; // the sample's strongest driver (samples/juvenile/README.md)

let session, vsix, proxy, profile, workspace, browser, page;
/** The review panel's frame, once it has shown a case. */
let panel = null;
const shot = (name) => session.shot(name);

function needPanel() {
  if (!panel) throw new Error('the review panel never showed a case (see the first failure)');
  return panel;
}

/** Scores of every case, from the CLI on the same project (and optionally another case file). */
const cliScores = (dataFile) => cliScoresOf(join(workspace, PROJECT), dataFile);

/** What an `<svg>` chart inside `testid` draws: its shapes and its size on screen. */
async function chart(frame, testid) {
  return frame.evaluate((sel) => {
    const svg = document.querySelector(`${sel} svg`);
    if (!svg) return null;
    const box = svg.getBoundingClientRect();
    return { shapes: svg.querySelectorAll('rect, path, line, circle, polyline, polygon').length, width: box.width, height: box.height };
  }, byTestId(testid));
}

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('the packaged extension in a real VS Code (code-server + Chromium)', { timeout: 15 * 60_000 }, () => {
  before(async () => {
    session = await startSession({ name: 'review' });
    ({ vsix, proxy, profile, workspace, browser, page } = session);
  }, { timeout: 20 * 60_000 });

  after(async () => {
    if (page && !panel) await shot('no-panel').catch(() => {});
    await session?.close();
  });

  test('Risk Review: Open Sample Review shows a scored case with its charts, blind: no outcome, no calibration yet', { timeout: 180_000 }, async () => {
    await runCommand(page, 'View: Close Primary Side Bar', { timeoutMs: 10_000 }); // more room for the panel
    await runCommand(page, 'Risk Review: Open Sample Review');
    const frame = await openedPanel(page);
    const shown = await until(() => caseView(frame), (v) => v.caseId && v.score && v.band, { what: 'the case header', timeoutMs: 60_000 });
    await until(() => chart(frame, 'attribution-chart'), (c) => c && c.shapes > 0, { what: 'the attribution chart' });
    panel = frame;
    await shot('case-with-charts');

    assert.equal(await errorBanner(frame), null);
    const scores = await cliScores();
    const expected = scores.find((s) => s.caseId === shown.caseId);
    assert.ok(expected, `the panel shows case ${shown.caseId}, which the CLI does not list`);
    assert.ok(showsScore(shown.score, expected.score), `panel score ${shown.score}, CLI ${expected.score}`);
    assert.equal(shown.band, expected.band);

    const waterfall = await chart(frame, 'attribution-chart');
    assert.ok(waterfall.shapes >= 5 && waterfall.width > 100 && waterfall.height > 50, `attribution chart ${JSON.stringify(waterfall)}`);
    const c = await until(() => chart(frame, 'surrogate-chart'), (v) => v !== null, { what: 'surrogate-chart', timeoutMs: 60_000 });
    assert.ok(c.shapes > 0 && c.width > 50, `surrogate-chart ${JSON.stringify(c)}`);
    const rows = await frame.locator(`${byTestId('attribution-table')} tbody tr`).count();
    assert.ok(rows >= 10, `attribution table has ${rows} rows`); // one per feature of the sample's ten items
    // Blind review is on by default: nothing of the outcome shows before the reviewer has decided.
    assert.equal(await text(frame, 'outcome'), 'hidden until you record your decision (blind review)');
    assert.match(await text(frame, 'blind-note'), /^Blind review: the known outcome/);
    assert.equal(await chart(frame, 'calibration-chart'), null, 'no calibration chart before the decision');
    const calibration = await frame.locator('#section-calibration').innerText();
    assert.match(calibration, /Not available: hidden until you record your decision \(blind review\)/);
    assert.doesNotMatch(await frame.locator('#case').innerText(), /reoffended_2y = [01]|Outcome rate|happened for/);
    await frame.evaluate(() => window.scrollTo(0, 0));
    await shot('blind-case');
    await reveal(frame, 'surrogate-chart');
    await shot('surrogate');
  });

  test('Next goes to the next case in the panel\'s order', { timeout: 60_000 }, async () => {
    const frame = needPanel();
    const before = await caseView(frame);
    const position = await text(frame, 'case-position'); // "Case 1 of 3,500 cases"
    const k = Number(/^Case ([\d,]+) of/.exec(position)?.[1].replace(/,/g, '')) - 1;
    // The case list's orders the panel may walk (extension/host/caseQuery.ts): file order, or by score.
    const scores = await cliScores();
    const orders = {
      file: scores,
      'score-desc': scores.map((s, i) => ({ ...s, i })).sort((a, b) => b.score - a.score || a.i - b.i),
      'score-asc': scores.map((s, i) => ({ ...s, i })).sort((a, b) => a.score - b.score || a.i - b.i),
    };
    const walking = Object.entries(orders).filter(([, o]) => o[k]?.caseId === before.caseId);
    assert.ok(walking.length > 0, `case ${before.caseId} at position ${k + 1} fits no order`);
    await click(frame, 'next-case');
    const after = await until(() => caseView(frame), (v) => v.caseId && v.caseId !== before.caseId && v.score, { what: 'another case' });
    await frame.evaluate(() => window.scrollTo(0, 0));
    await shot('next-case');
    assert.ok(walking.some(([, o]) => o[k + 1].caseId === after.caseId), `after ${before.caseId} came ${after.caseId}, next in no order (${walking.map(([n]) => n)})`);
    assert.match(await text(frame, 'case-position'), new RegExp(`^Case ${(k + 2).toLocaleString('en-US')} of`));
    const expected = scores.find((s) => s.caseId === after.caseId);
    assert.ok(showsScore(after.score, expected.score), `panel score ${after.score}, CLI ${expected.score}`);
    assert.equal(after.band, expected.band);
  });

  test('What-if: changing a value changes the score, as the engine scores the edited case', { timeout: 60_000 }, async () => {
    const frame = needPanel();
    const { caseId, score } = await caseView(frame);
    const input = frame.locator(`${byTestId(`whatif-input-${WHAT_IF_FEATURE}`)} input`);
    await input.scrollIntoViewIfNeeded();
    const original = Number(await input.inputValue());
    const changed = original >= 6 ? 0 : 12; // the far end of the 0–12 seen in the cases
    // The engine on the edited case: the case file with that one value changed.
    const lines = readFileSync(join(workspace, 'cases.csv'), 'utf8').trim().split(/\r?\n/);
    const header = lines[0].split(',');
    const row = lines.find((l) => l.startsWith(`${caseId},`)).split(',');
    row[header.indexOf(WHAT_IF_FEATURE)] = String(changed);
    const dir = mkdtempSync(join(tmpdir(), 'risk-review-e2e-whatif-'));
    const edited = join(dir, 'case.csv');
    writeFileSync(edited, `${lines[0]}\n${row.join(',')}\n`);
    const [engine] = await cliScores(edited);
    rmSync(dir, { recursive: true, force: true });

    // Typing "12" sends a what-if for "1" first; the panel shows each answer as it comes, so wait for
    // the one for the whole value rather than taking the first change.
    await typeInto(frame, `whatif-input-${WHAT_IF_FEATURE}`, String(changed));
    const whatIf = await until(() => text(frame, 'whatif-score'), (s) => !!s && s !== score && showsScore(s, engine.score), { what: `the what-if score to become the engine's ${engine.score} for the edited case` });
    await until(() => text(frame, 'whatif-delta'), (s) => !!s, { what: 'the what-if change' });
    await reveal(frame, 'whatif-score');
    await shot('what-if');
    assert.ok(showsScore(whatIf, engine.score), `what-if score ${whatIf}, engine on the edited case ${engine.score}`);
    assert.equal(await text(frame, 'whatif-band'), engine.band);
  });

  test('What the score is sensitive to: a curve per feature read with the keyboard, and the smallest change to a lower band loaded into the what-if editor, as the CLI says', { timeout: 90_000 }, async () => {
    const frame = needPanel();
    const caseId = 'J-000001'; // High in the sample's XGBoost model, with options that change two needs
    await typeInto(frame, 'goto-case', caseId);
    await frame.locator(`${byTestId('goto-case')} input`).press('Enter');
    await until(() => caseView(frame), (v) => v.caseId === caseId, { what: `case ${caseId}` });
    const project = join(workspace, PROJECT);
    const explained = await cliJson(project, 'explain', ['--case', caseId, '--curves']);
    const recourse = await cliJson(project, 'recourse', ['--case', caseId]);

    // One small chart per feature, the dynamic ones marked; ← on Substance use reads the value below the case's.
    const figures = frame.locator(`${byTestId('curves')} figure.curve`);
    assert.equal(await figures.count(), explained.curves.length);
    assert.equal(await frame.locator(`${byTestId('curves')} figure.curve.dynamic`).count(), explained.curves.filter((c) => c.riskFactor === 'dynamic').length);
    const curve = explained.curves.find((c) => c.feature === 'substance_use');
    const at = curve.points.findIndex((p) => p.value === curve.caseValue);
    await frame.locator(byTestId('curve-substance_use')).focus();
    await frame.locator(byTestId('curve-substance_use')).press('ArrowLeft'); // the cursor starts at the case's value
    await frame.locator(byTestId('curve-substance_use')).press('ArrowLeft');
    const reading = await until(() => text(frame, 'curve-reading'), (r) => r?.startsWith('Substance use '), { what: 'the curve reading' });
    const point = curve.points[at - 1];
    const m = /^Substance use (\S+): (\S+) \((\w+)\)\.$/.exec(reading);
    assert.ok(m, `reading "${reading}"`);
    assert.equal(Number(m[1]), point.value);
    assert.ok(showsScore(m[2], point.score), `curve reading ${m[2]}, CLI ${point.score}`);
    await reveal(frame, 'curves');
    await shot('curves');

    // The options beside the what-if editor are the CLI's, in its order; the first loads with one click.
    assert.equal(recourse.status, 'found');
    assert.equal(await frame.locator(`${byTestId('recourse-options')} > li`).count(), recourse.options.length);
    const first = recourse.options[0];
    assert.equal(await frame.locator(`${byTestId('recourse-option-0')} .changes`).textContent(), first.changes.map((c) => `${c.label} ${c.fromText} → ${c.toText}`).join('; '));
    const before = await text(frame, 'whatif-score');
    await click(frame, 'recourse-load-0');
    const loaded = await until(() => text(frame, 'whatif-score'), (s) => !!s && s !== before && showsScore(s, first.score), { what: `the what-if score to become the option's ${first.score}` });
    assert.ok(showsScore(loaded, first.score));
    assert.equal(await text(frame, 'whatif-band'), first.band);
    for (const c of first.changes) assert.equal(Number(await frame.locator(`${byTestId(`whatif-input-${c.feature}`)} input`).inputValue()), c.to, c.feature);
    await reveal(frame, 'recourse');
    await shot('recourse-loaded');
    await click(frame, 'whatif-reset');
  });

  test('A recorded decision, with the band the reviewer would assign, is listed in the panel and appended to the review log', { timeout: 60_000 }, async () => {
    const frame = needPanel();
    const { caseId, band } = await caseView(frame);
    const reason = `E2E check ${Date.now().toString(36)}: <b>not markup</b>`;
    await frame.locator(byTestId('decision-disagree')).scrollIntoViewIfNeeded();
    await click(frame, 'decision-disagree');
    // Disagreeing offers the review's other bands (the sample's: Low, Moderate, High).
    const assigned = band === 'Moderate' ? 'Low' : 'Moderate';
    await click(frame, 'decision-band');
    await click(frame, `decision-band-${assigned}`);
    assert.equal(await frame.locator(byTestId(`decision-band-${band}`)).count(), 0, `the case's own band ${band} is not offered`);
    await typeInto(frame, 'decision-reason', reason);
    await typeInto(frame, 'decision-notes', 'Written by the end-to-end test.');
    await click(frame, 'decision-submit');
    await until(() => text(frame, 'decision-status'), (s) => s === 'Decision recorded.', { what: '"Decision recorded."' });
    const listed = await until(() => text(frame, 'decision-list'), (s) => s?.includes(reason), { what: 'the decision in the list' });
    assert.match(listed, new RegExp(`would place the case in the band ${assigned}`));
    await reveal(frame, 'decision-list');
    await shot('decision-recorded');

    // Decided blind: the outcome and the calibration show now, and the form still says it was recorded.
    const csv = readFileSync(join(workspace, 'cases.csv'), 'utf8').trim().split(/\r?\n/);
    const column = csv[0].split(',').indexOf('reoffended_2y');
    const known = csv.find((l) => l.startsWith(`${caseId},`)).split(',')[column];
    const outcome = await until(() => text(frame, 'outcome'), (t) => t && !t.startsWith('hidden'), { what: 'the outcome to show' });
    assert.equal(outcome, known === '1' ? 'happened (reoffended_2y = 1)' : 'did not happen (reoffended_2y = 0)');
    assert.equal(await text(frame, 'decision-status'), 'Decision recorded.');
    const cal = await until(() => chart(frame, 'calibration-chart'), (v) => v !== null, { what: 'the calibration chart after the decision' });
    assert.ok(cal.shapes > 0 && cal.width > 50, `calibration-chart ${JSON.stringify(cal)}`);
    assert.equal(await frame.locator(byTestId('blind-note')).isVisible(), false);
    await reveal(frame, 'calibration-chart');
    await shot('revealed-calibration');

    // The log is where the riskReview.reviewLog setting says by default: .riskreview/reviews.jsonl in the
    // first workspace folder. This workspace is fresh, so the log holds this one decision.
    const log = join(workspace, '.riskreview', 'reviews.jsonl');
    assert.ok(existsSync(log), `no review log at ${log}`);
    const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 1, `the log has ${lines.length} lines`);
    const entry = JSON.parse(lines[0]);
    assert.equal(entry.reason, reason);
    assert.equal(entry.caseId, caseId);
    assert.equal(entry.verdict, 'disagree');
    assert.equal(entry.assignedBand, assigned);
    assert.equal(entry.notes, 'Written by the end-to-end test.');
    assert.equal(entry.modelSha256, sha256(join(workspace, 'xgboost.json')));
    assert.equal(entry.dataSha256, sha256(join(workspace, 'cases.csv')));
    assert.ok(!Number.isNaN(Date.parse(entry.time)));
    assert.equal(entry.blind, true, 'the log says the decision was made blind');
    assert.equal(entry.band, band);
    assert.equal(entry.version, JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
    assert.equal(entry.prev, null, 'the first line of the log names no predecessor');
    assert.match(entry.hash, /^[0-9a-f]{64}$/);
    const verify = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'log', 'verify', log], { encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /is intact: its 1 decision form an unbroken chain/);
  });

  test('Risk Review: Show Decisions lists the decision, sorts and filters, shows its history and opens its case', { timeout: 90_000 }, async () => {
    const frame = needPanel();
    const { caseId } = await caseView(frame);
    await runCommand(page, 'Risk Review: Show Decisions');
    await until(() => text(frame, 'decisions-log'), (t) => t?.includes('is intact'), { what: 'the decisions view', timeoutMs: 30_000 });
    assert.match(await text(frame, 'decisions-log'), /The review log reviews\.jsonl is intact: its 1 decision form an unbroken chain/);
    assert.equal(await text(frame, 'decisions-count'), '1 case with a decision.');
    const rows = frame.locator(byTestId('decisions-row'));
    assert.equal(await rows.count(), 1);
    const cells = (await rows.first().locator('th, td').allInnerTexts()).map((t) => t.trim());
    assert.equal(cells[0], caseId);
    assert.match(cells[3], /^Moved to a (higher|lower) band$/);
    assert.equal(cells[8], 'yes', 'decided blind');
    assert.match(await text(frame, 'view-decisions'), /^Decisions \(1\)$/);
    // The groups: everyone and each group of the sample's columns and their intersection.
    const groups = await text(frame, 'decisions-groups');
    assert.match(groups, /Reviewers recorded a decision on 1 case of this review/);
    assert.match(groups, /sex × race_ethnicity/);
    assert.match(groups, /only 1 reviewed case \(fewer than 50\): every figure here is very uncertain/);
    // Filters: agreements only hides it; the sort button says its order.
    await click(frame, 'decisions-filter-direction');
    await click(frame, 'decisions-filter-agree');
    await until(() => text(frame, 'decisions-count'), (t) => t === 'Showing 0 of 1 case with a decision.', { what: 'the filter to apply' });
    await click(frame, 'decisions-filter-direction');
    await click(frame, 'decisions-filter-all');
    await until(() => rows.count(), (n) => n === 1, { what: 'the row back' });
    await click(frame, 'decisions-sort-score');
    assert.equal(await frame.locator(byTestId('decisions-sort-score')).evaluate((b) => b.closest('th').getAttribute('aria-sort')), 'ascending');
    await click(frame, 'decisions-history');
    const history = await until(() => text(frame, 'decisions-history-list'), (t) => !!t, { what: 'the history' });
    assert.match(history, /Decided blind: yes/);
    await frame.evaluate(() => window.scrollTo(0, 0));
    await shot('decisions-view');
    await reveal(frame, 'decisions-groups');
    await shot('decisions-by-group');
    // A row opens its case in the case view.
    await click(frame, 'decisions-open-case');
    await until(() => frame.locator('#case').isVisible(), Boolean, { what: 'the case view' });
    assert.equal(await text(frame, 'case-id'), caseId);
    assert.equal(await frame.locator(byTestId('decisions-view')).isVisible(), false);
  });

  test('The panel runs only its own nonce-carrying script (CSP)', { timeout: 30_000 }, async () => {
    const frame = needPanel();
    const seen = await frame.evaluate(async () => {
      const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
      const scripts = [...document.scripts].map((s) => ({ nonce: s.nonce, src: s.src, inline: !s.src }));
      // An injected inline script without the nonce must be refused, and reported as a violation.
      const violations = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const s = document.createElement('script');
      s.textContent = 'window.__riskReviewInjected = true;';
      document.body.appendChild(s);
      await new Promise((r) => setTimeout(r, 300));
      return { csp, scripts, ran: window.__riskReviewInjected === true, violations };
    });
    const directives = Object.fromEntries(seen.csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]));
    assert.deepEqual(directives['default-src'], ["'none'"]);
    const scriptSrc = directives['script-src'];
    assert.ok(scriptSrc, `no script-src in ${seen.csp}`);
    const nonces = scriptSrc.filter((v) => /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(v));
    assert.equal(nonces.length, 1, `script-src ${scriptSrc.join(' ')}`);
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'", '*', 'http:', 'https:', 'data:'])
      assert.ok(!scriptSrc.includes(bad), `script-src allows ${bad}`);
    const nonce = nonces[0].slice("'nonce-".length, -1);
    const own = seen.scripts.filter((s) => s.src); // the injected one is the only inline script
    assert.ok(own.length >= 1);
    for (const s of own) assert.equal(s.nonce, nonce, `script ${s.src} without the nonce`);
    assert.equal(seen.ran, false, 'an inline script without the nonce ran');
    assert.ok(seen.violations.includes('script-src-elem') || seen.violations.includes('script-src'), `violations: ${seen.violations}`);
  });

  // The panel in other colour themes, each picked with "Preferences: Color Theme" as a user picks it. In
  // each, the page and every chart mark must wear the theme's colours and stay readable (lib/theme.mjs).
  let light = null; // how the panel looked in the theme VS Code started with
  const lookIn = (kind, name) => until(() => readLook(needPanel()), (l) => l.kind === kind && l.name === name, { what: `the panel to wear ${name}` });
  const isDark = (look) => luminance(parseColour(look.background)) < luminance(parseColour(look.foreground));
  /** Screenshots of the case view (header and attribution chart), the rule tree and the calibration chart. */
  async function shootSections(frame, slug) {
    await frame.evaluate(() => window.scrollTo(0, 0));
    await shot(`${slug}-case`);
    await reveal(frame, 'surrogate-chart');
    await shot(`${slug}-surrogate`);
    await reveal(frame, 'calibration-chart');
    await shot(`${slug}-calibration`);
  }

  test('In the light theme VS Code starts with, the panel wears its colours and every chart mark is readable', { timeout: 60_000 }, async () => {
    light = await readLook(needPanel());
    assert.equal(light.kind, 'vscode-light', `VS Code started in ${light.name} (${light.kind})`);
    assert.ok(!isDark(light));
    assert.deepEqual(themeProblems(light), []);
  });

  const THEMES = [
    { label: 'Dark Modern', workbench: 'vs-dark', webview: 'vscode-dark', slug: 'dark-modern' },
    { label: 'Dark High Contrast', workbench: 'hc-black', webview: 'vscode-high-contrast', slug: 'dark-high-contrast' },
    { label: 'Light High Contrast', workbench: 'hc-light', webview: 'vscode-high-contrast-light', slug: 'light-high-contrast' },
  ];
  for (const theme of THEMES) {
    test(`In ${theme.label} the panel follows the theme and every chart mark stays readable`, { timeout: 90_000 }, async () => {
      const frame = needPanel();
      assert.ok(light, 'the light theme was not looked at (see its failure)');
      await pickColorTheme(page, theme.label, theme.workbench);
      const look = await lookIn(theme.webview, theme.label);
      await shootSections(frame, theme.slug);
      assert.deepEqual(themeProblems(look), []);
      assert.equal(look.highContrast, theme.webview.startsWith('vscode-high-contrast'));
      const dark = theme.webview === 'vscode-dark' || theme.webview === 'vscode-high-contrast';
      assert.equal(isDark(look), dark, `${theme.label}: page ${look.background}, text ${look.foreground}`);
      if (dark) {
        assert.notEqual(look.background, light.background);
        assert.notEqual(look.foreground, light.foreground);
      }
      // The charts changed colour with the theme: the same marks, other paint.
      assert.equal(look.charts.length, light.charts.length);
      assert.ok(look.charts.some((m, k) => m.fill !== light.charts[k].fill), 'no chart mark changed colour');
    });
  }

  test('Back in the theme VS Code started with, the panel looks as it did', { timeout: 60_000 }, async () => {
    assert.ok(light, 'the light theme was not looked at (see its failure)');
    await pickColorTheme(page, light.name, 'vs');
    const look = await lookIn(light.kind, light.name);
    assert.equal(look.background, light.background);
    assert.equal(look.foreground, light.foreground);
    assert.deepEqual(look.charts.map((m) => [m.fill, m.stroke]), light.charts.map((m) => [m.fill, m.stroke]));
  });

  test('No request left the machine, from the browser or the extension host', { timeout: 30_000 }, async () => {
    const off = browser.offMachine();
    assert.deepEqual(off, [], `requests off the machine: ${off.map((r) => `${r.kind} ${r.url}`).join(', ')}`);
    // The recorder saw the panel load its own script, answered inside the browser by the webview's worker.
    assert.ok(browser.requests.some((r) => r.url.endsWith('/dist/webview.js') && r.fromServiceWorker), 'the recorder did not see the panel load dist/webview.js');
    assert.deepEqual(proxy.attempts, [], `the extension host tried to reach: ${proxy.attempts.map((a) => `${a.method} ${a.url}`).join(', ')}`);
  });

  test('The package holds what the extension runs, and no sources, maps or tests', async () => {
    const size = statSync(vsix).size;
    assert.ok(size < 5 * 1024 * 1024, `the .vsix is ${(size / 1024 / 1024).toFixed(1)} MB`);
    const installed = join(profile.extensionsDir, readdirSync(profile.extensionsDir).find((d) => d.startsWith('risk-review.')));
    const files = readdirSync(installed, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(installed, join(e.parentPath ?? e.path, e.name)).split(sep).join('/'));
    for (const needed of ['package.json', 'dist/extension.js', 'dist/worker.js', 'dist/webview.js', 'dist/webview.css', 'samples/juvenile/juvenile.riskreview.json', 'schemas/project.schema.json', 'media/icon.png', 'dist/fonts/DejaVuSansCondensed.ttf', 'dist/fonts/DejaVuSansCondensed-Bold.ttf', 'dist/fonts/LICENSE'])
      assert.ok(files.includes(needed), `${needed} is not in the package`);
    assert.ok(files.some((f) => /^license/i.test(f)) && files.some((f) => /^readme\.md$/i.test(f)), 'no LICENSE or README');
    const unwanted = files.filter((f) => /\.(ts|map|py)$/.test(f) || /^(extension|webview|test|bench|scripts|docs|node_modules|out)\//.test(f));
    assert.deepEqual(unwanted, []);
  });

  test('The installed bundles use no network API', async () => {
    // What the proxy cannot see (a raw socket, a DNS lookup) shows in the code: no bundle of the installed
    // extension loads a network module or calls a browser network API.
    const installed = join(profile.extensionsDir, readdirSync(profile.extensionsDir).find((d) => d.startsWith('risk-review.')), 'dist');
    const bundles = readdirSync(installed).filter((f) => f.endsWith('.js'));
    assert.ok(bundles.includes('extension.js') && bundles.includes('webview.js'), `bundles: ${bundles}`);
    const network = /require\(["'](?:node:)?(?:http|https|http2|net|tls|dns|dgram)["']\)|from ["'](?:node:)?(?:http|https|http2|net|tls|dns|dgram)["']|\bfetch\(|XMLHttpRequest|WebSocket|sendBeacon|EventSource|RTCPeerConnection/g;
    for (const b of bundles) {
      const found = readFileSync(join(installed, b), 'utf8').match(network);
      assert.equal(found, null, `${b} uses ${found}`);
    }
  });
});
