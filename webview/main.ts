/**
 * The review panel's browser code: builds the page, follows the host's messages, and sends the
 * reviewer's actions back. The host sets a strict Content-Security-Policy (a nonce for this script, no
 * inline styles), so styles come from dist/webview.css and the charts' colours from a constructable
 * stylesheet made from the report's CHART_CSS.
 */
import { integer } from '../extension/engine/report/format';
import './styles.css';
import { CHART_CSS } from '../extension/engine/report/charts';
import type { CaseSummary, SectionName } from '../extension/engine/report/types';
import { fill, h } from './dom';
import { isTypingTarget, navigationKey } from './keys';
import { parseFromHost, type HostMessage, type PanelView } from './protocol';
import { connect } from './state';
import { button, progressRing, registerToolkit, setAppearance, textField } from './toolkit';
import { attributionView, type WhatIfResult } from './views/attributions';
import { calibrationView } from './views/calibration';
import { DecisionForm } from './views/decision';
import { DecisionsView } from './views/decisions';
import { headerView } from './views/header';
import { SECTIONS, section, type SectionId } from './views/section';
import { surrogateView } from './views/surrogate';
import { curvesView } from './views/curves';
import { recourseView } from './views/recourse';
import { WhatIfEditor } from './views/whatIf';

type CaseMessage = Extract<HostMessage, { type: 'case' }>;

registerToolkit();
const chartSheet = new CSSStyleSheet();
chartSheet.replaceSync(CHART_CSS);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, chartSheet];

const host = connect();
const open = new Set<string>(host.initial.caseId === null ? SECTIONS : host.initial.open);
let firstCase = host.initial.caseId !== null;
let current: CaseMessage | null = null;

const errorBanner = h('div', { class: 'banner error', testid: 'error', attrs: { role: 'alert', hidden: true } });
const loadingBanner = h('div', { class: 'banner loading', testid: 'loading', attrs: { role: 'status', hidden: true } });
const position = h('span', { class: 'position muted', testid: 'position' });
const previous = button('‹ Previous', { testid: 'previous-case', attrs: { title: 'Previous case (k, or Alt+↑)', 'aria-keyshortcuts': 'k' }, onClick: () => navigate('previous') });
const next = button('Next ›', { testid: 'next-case', attrs: { title: 'Next case (j, or Alt+↓)', 'aria-keyshortcuts': 'j' }, onClick: () => navigate('next') });
const goTo = textField({
  label: 'Go to case',
  testid: 'goto-case',
  placeholder: 'case id',
  on: {
    keydown: (e) => {
      const id = goTo.value.trim();
      if (e.key === 'Enter' && id) host.post({ type: 'openCase', caseId: id });
    },
  },
});
const caseTab = button('Case', { testid: 'view-case', attrs: { 'aria-pressed': 'true' }, onClick: () => setView('case') });
const decisionsTab = button('Decisions', { testid: 'view-decisions', attrs: { 'aria-pressed': 'false', title: "The latest decision on each case, and the reviewers' decisions by group" }, onClick: () => setView('decisions') });
const caseNav = h('span', { class: 'case-nav' });
const exportButton = button('Export summary…', { testid: 'export', onClick: () => current && host.post({ type: 'export', caseId: current.summary.header.caseId }) });
const content = h('main', { id: 'case', attrs: { 'aria-live': 'off' } }, h('p', { class: 'muted' }, 'Waiting for a case…'));
const attributionBody = h('div');

/** A scroll position to restore once the page has its final height (after a restored what-if's answer). */
let pendingScroll: number | null = null;

function restoreScroll(): void {
  const y = pendingScroll;
  pendingScroll = null;
  // The toolkit's components lay themselves out a frame later; scroll once they have.
  if (y !== null) requestAnimationFrame(() => requestAnimationFrame(() => window.scrollTo(0, y)));
}

const whatIf = new WhatIfEditor(
  host.post,
  (r) => {
    if (current) renderAttribution(current, r);
    restoreScroll();
  },
  saveDraft,
);
const decision = new DecisionForm(host.post, saveDraft);
const decisionsView = new DecisionsView(host.post, (caseId) => {
  setView('case');
  host.post({ type: 'openCase', caseId });
});
const blindNote = h('p', { class: 'warning', testid: 'blind-note', attrs: { role: 'note', hidden: true } }, 'Blind review: the known outcome, and the calibration figures computed from the outcomes, are hidden until you record your decision on this case.');

/** Shows the case or the decisions; the decisions are asked for (again) each time they are shown. */
function setView(v: PanelView): void {
  content.hidden = v !== 'case';
  caseNav.hidden = v !== 'case';
  decisionsView.root.hidden = v !== 'decisions';
  setAppearance(caseTab, v === 'case' ? 'primary' : 'secondary');
  setAppearance(decisionsTab, v === 'decisions' ? 'primary' : 'secondary');
  caseTab.setAttribute('aria-pressed', String(v === 'case'));
  decisionsTab.setAttribute('aria-pressed', String(v === 'decisions'));
  host.save({ view: v });
  if (v === 'decisions') host.post({ type: 'decisionsView' });
}

/** Keeps what the reviewer typed and has not sent, for this case, in the panel's state. */
function saveDraft(): void {
  if (current) host.save({ draft: { caseId: current.summary.header.caseId, ...decision.draft(), values: whatIf.draftValues() } });
}

fill(
  document.getElementById('app') ?? document.body,
  h('nav', { class: 'toolbar', attrs: { 'aria-label': 'Cases' } }, caseTab, decisionsTab, fillNav(), h('span', { class: 'spacer' })),
  errorBanner,
  loadingBanner,
  content,
  decisionsView.root,
);
setNavigation(null);
setView(host.initial.view ?? 'case');

function fillNav(): HTMLElement {
  fill(caseNav, previous, position, next, goTo, exportButton);
  return caseNav;
}

function navigate(to: 'next' | 'previous'): void {
  if (!current) return;
  if (to === 'next' ? current.index + 1 >= current.total : current.index <= 0) return;
  host.post({ type: 'navigate', to });
}

function setNavigation(m: CaseMessage | null): void {
  previous.disabled = !m || m.index <= 0;
  next.disabled = !m || m.index + 1 >= m.total;
  exportButton.disabled = !m;
  position.textContent = m ? `${integer(m.index + 1)} / ${integer(m.total)}` : '';
}

function reasonFor(summary: CaseSummary, name: SectionName): string | undefined {
  return summary.unavailable.find((u) => u.section === name)?.reason;
}

function onToggle(id: SectionId, isOpen: boolean): void {
  if (isOpen) open.add(id);
  else open.delete(id);
  host.save({ open: [...open] });
}

function renderAttribution(m: CaseMessage, r: WhatIfResult | null): void {
  fill(attributionBody, attributionView(m.summary, reasonFor(m.summary, 'attribution'), r));
}

/** Where the decision section sits on screen, to keep it there when the same case is shown again (revealed after a blind decision). */
function decisionTop(): number | null {
  return document.getElementById('section-decision')?.getBoundingClientRect().top ?? null;
}

/** A value read on a curve, tried in the what-if editor on top of its scenario (whose section opens to show it). */
function tryInWhatIf(feature: string, value: number): void {
  whatIf.setValues({ [feature]: value }, false);
  const details = document.getElementById('section-whatif') as HTMLDetailsElement | null;
  if (details && !details.open) details.open = true;
}

function showCase(m: CaseMessage): void {
  const again = current?.summary.header.caseId === m.summary.header.caseId ? decisionTop() : null;
  current = m;
  const s = m.summary;
  errorBanner.hidden = true;
  loadingBanner.hidden = true;
  setNavigation(m);
  renderAttribution(m, null);
  blindNote.hidden = !m.blind;
  fill(
    content,
    blindNote,
    headerView(s, m.index, m.total),
    section('attribution', 'What moved the score', open.has('attribution'), onToggle, attributionBody),
    section('sensitivity', 'What the score is sensitive to', open.has('sensitivity'), onToggle, curvesView(s, reasonFor(s, 'sensitivity'), tryInWhatIf)),
    section('whatif', 'What if', open.has('whatif'), onToggle, h('div', { class: 'whatif-layout' }, whatIf.render(m), recourseView(s, reasonFor(s, 'sensitivity'), (values) => whatIf.setValues(values, true)))),
    section('surrogate', 'The simple rule', open.has('surrogate'), onToggle, surrogateView(s, reasonFor(s, 'surrogate'))),
    section('calibration', 'Calibration', open.has('calibration'), onToggle, calibrationView(s, reasonFor(s, 'calibration'))),
    section('decision', 'Your decision', open.has('decision'), onToggle, decision.render(m)),
  );
  document.title = `Risk Review: ${s.header.caseId}`;
  const now = decisionTop();
  if (again !== null && now !== null) window.scrollBy(0, now - again);
  if (firstCase && s.header.caseId === host.initial.caseId) {
    pendingScroll = host.initial.scrollY;
    const draft = host.initial.draft?.caseId === s.header.caseId ? host.initial.draft : undefined;
    if (draft) decision.restore(draft);
    if (draft?.values) {
      whatIf.setValues(draft.values, true); // its answer changes the height above; scroll after it, or soon anyway
      setTimeout(restoreScroll, 500);
    } else restoreScroll();
  }
  firstCase = false;
  host.save({ caseId: s.header.caseId });
  saveDraft();
}

function handle(m: HostMessage): void {
  switch (m.type) {
    case 'case':
      return showCase(m);
    case 'loading':
      fill(loadingBanner, progressRing('Loading'), h('span', null, m.message));
      loadingBanner.hidden = false;
      return;
    case 'error':
      errorBanner.textContent = m.message;
      errorBanner.hidden = false;
      loadingBanner.hidden = true;
      return;
    case 'whatIf':
      return whatIf.answer(m);
    case 'whatIfError':
      return whatIf.failed(m);
    case 'recording':
      return decision.setRecording(m.blocked);
    case 'decisionSaved':
      return decision.saved(m.caseId, m.decision);
    case 'decisionError':
      return decision.failed(m.caseId, m.message);
    case 'decisions':
      decisionsView.show(m.overview);
      decisionsTab.textContent = `Decisions (${integer(m.overview.rows.length)})`;
      return;
    case 'decisionsError':
      return decisionsView.failed(m.message);
    case 'history':
      return decisionsView.history(m.caseId, m.decisions);
    case 'view':
      return setView(m.view);
    default:
      return; // a message from a newer host: nothing to do
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = parseFromHost(e.data);
  if (m) handle(m);
});

document.addEventListener('keydown', (e) => {
  const to = navigationKey(e, isTypingTarget(e.target as HTMLElement | null));
  if (to) {
    e.preventDefault();
    navigate(to);
  }
});

let scrollPending = false;
window.addEventListener('scroll', () => {
  if (scrollPending) return;
  scrollPending = true;
  requestAnimationFrame(() => {
    scrollPending = false;
    host.save({ scrollY: Math.round(window.scrollY) });
  });
});

host.post(host.initial.caseId ? { type: 'ready', caseId: host.initial.caseId } : { type: 'ready' });
