/**
 * The decisions view: whether the review log is intact, the latest decision on each case in a table the
 * reviewer can sort (by any column) and filter (by what the decision did, reviewer, group, text), each row
 * opening its case and showing the case's history on demand, and the reviewers' decisions by group — the
 * very blocks the audit report and `risk-review decisions --format md` show (report/decisions.ts).
 */
import type { DecisionRow, DecisionsOverview } from '../../extension/engine/decisions/types';
import type { Block } from '../../extension/engine/report/content';
import { chainBlocks, decisionsByGroupBlocks, directionText } from '../../extension/engine/report/decisions';
import { count, integer, scoreText } from '../../extension/engine/report/format';
import { blindText, decisionSentence, timeText } from '../../extension/engine/report/sentences';
import type { ReviewDecision } from '../../extension/engine/report/types';
import { ALL_DECISIONS, NEWEST_FIRST, nextSort, reviewersOf, selectDecisions, type DecisionFilter, type DecisionSort, type DecisionSortKey } from '../decisionsQuery';
import { fill, h, table } from '../dom';
import type { WebviewMessage } from '../protocol';
import { button, dropdown, textField } from '../toolkit';

const PAGE = 200;

const COLUMNS: readonly { readonly key: DecisionSortKey | null; readonly title: string; readonly numeric?: boolean }[] = [
  { key: 'case', title: 'Case' },
  { key: 'score', title: 'Score', numeric: true },
  { key: 'band', title: 'Band' },
  { key: 'direction', title: 'Decision' },
  { key: 'assigned', title: 'Band assigned' },
  { key: 'reason', title: 'Reason' },
  { key: 'reviewer', title: 'Reviewer' },
  { key: 'time', title: 'Recorded' },
  { key: 'blind', title: 'Blind' },
  { key: null, title: 'History' },
];

/** The report's blocks in the panel's elements (every string a text node). */
function blockNodes(blocks: readonly Block[]): HTMLElement[] {
  return blocks.map((b) => {
    switch (b.kind) {
      case 'heading':
        return h('h3', null, b.text);
      case 'paragraph':
        return h('p', { class: b.tone === 'warning' ? 'warning' : b.tone === 'muted' ? 'muted small' : undefined, attrs: b.tone === 'warning' ? { role: 'note' } : {} }, b.text);
      case 'list':
        return h('ul', null, ...b.items.map((i) => h('li', null, i)));
      case 'facts':
        return h('dl', { class: 'facts' }, ...b.rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
      case 'table':
        return table(b.caption, b.columns.map((c) => c.title), b.rows, { class: 'data compact', testid: 'decisions-by-group' });
      case 'chart':
        return h('p', null, b.chart.description);
    }
  });
}

export class DecisionsView {
  readonly root = h('section', { class: 'decisions-view', testid: 'decisions-view', attrs: { 'aria-label': "Reviewers' decisions" } });
  private overview: DecisionsOverview | null = null;
  private filter: DecisionFilter = ALL_DECISIONS;
  private sort: DecisionSort = NEWEST_FIRST;
  private shown = PAGE;
  private readonly status = h('div', { class: 'log-status', testid: 'decisions-log' });
  private readonly filters = h('div', { class: 'decision-filters' });
  private readonly counter = h('p', { class: 'muted', testid: 'decisions-count', attrs: { 'aria-live': 'polite' } });
  private readonly body = h('div', { class: 'decisions-table' });
  private readonly groups = h('div', { class: 'decisions-groups', testid: 'decisions-groups' });
  /** History rows open, by case id, with the element their decisions go in. */
  private readonly histories = new Map<string, HTMLElement>();

  constructor(
    private readonly post: (m: WebviewMessage) => void,
    /** Called when a row's case is opened (the panel turns to the case view). */
    private readonly onOpenCase: (caseId: string) => void,
  ) {
    fill(this.root, h('p', { class: 'muted' }, 'Reading the review log…'));
  }

  /** The overview arrived (or changed): keep the reviewer's filters and order, redraw. */
  show(o: DecisionsOverview): void {
    const first = this.overview === null;
    this.overview = o;
    this.histories.clear();
    if (first) this.shown = PAGE;
    fill(
      this.root,
      this.status,
      h('h2', null, 'Latest decision on each case'),
      this.filters,
      this.counter,
      this.body,
      h('h2', null, 'By group'),
      this.groups,
    );
    fill(this.status, ...blockNodes(chainBlocks(o)), h('div', { class: 'actions' }, button('Open the review log file', { testid: 'decisions-open-log', onClick: () => this.post({ type: 'showLog' }) })));
    fill(this.groups, ...blockNodes(decisionsByGroupBlocks(o).slice(1)));
    this.renderFilters(o);
    this.renderRows();
  }

  failed(message: string): void {
    fill(this.root, h('p', { class: 'warning', attrs: { role: 'alert' }, testid: 'decisions-error' }, message));
  }

  private renderFilters(o: DecisionsOverview): void {
    const set = (change: Partial<DecisionFilter>) => {
      this.filter = { ...this.filter, ...change };
      this.shown = PAGE;
      this.renderRows();
    };
    const direction = dropdown({
      label: 'Show decisions that',
      testid: 'decisions-filter-direction',
      value: this.filter.direction,
      choices: [
        { value: 'all', text: 'All decisions' },
        { value: 'agree', text: directionText('agree') },
        { value: 'disagree', text: 'Disagreed (any)' },
        { value: 'up', text: directionText('up') },
        { value: 'down', text: directionText('down') },
        { value: 'unnamed', text: directionText('unnamed') },
      ].map((c) => ({ ...c, testid: `decisions-filter-${c.value}` })),
      onChange: (v) => set({ direction: v as DecisionFilter['direction'] }),
    });
    const reviewer = dropdown({
      label: 'Reviewer',
      testid: 'decisions-filter-reviewer',
      value: this.filter.reviewer ?? '',
      choices: [{ value: '', text: 'Every reviewer' }, ...reviewersOf(o.rows).map((r) => ({ value: r, text: r }))],
      onChange: (v) => set({ reviewer: v === '' ? null : v }),
    });
    const groupChoices = o.groupColumns.flatMap((column, k) => [...new Set(o.rows.map((r) => r.groups[k]))].sort().map((label) => ({ value: JSON.stringify([k, label]), text: `${column}: ${label}` })));
    const group = dropdown({
      label: 'Group',
      testid: 'decisions-filter-group',
      value: this.filter.group ? JSON.stringify([this.filter.group.column, this.filter.group.label]) : '',
      choices: [{ value: '', text: 'Every group' }, ...groupChoices],
      onChange: (v) => {
        const picked = v === '' ? null : (JSON.parse(v) as [number, string]);
        set({ group: picked && { column: picked[0], label: picked[1] } });
      },
    });
    const search = textField({ label: 'Case id or reason contains', testid: 'decisions-search', value: this.filter.search, placeholder: 'text', onInput: (v) => set({ search: v }) });
    fill(
      this.filters,
      h('label', { class: 'filter' }, h('span', { class: 'label' }, 'Show'), direction),
      h('label', { class: 'filter' }, h('span', { class: 'label' }, 'Reviewer'), reviewer),
      o.groupColumns.length > 0 && h('label', { class: 'filter' }, h('span', { class: 'label' }, 'Group'), group),
      search,
    );
  }

  private header(): HTMLElement {
    return h(
      'tr',
      null,
      ...COLUMNS.map((c) => {
        const active = c.key !== null && this.sort.key === c.key;
        const th = h('th', { class: c.numeric ? 'numeric' : undefined, attrs: { scope: 'col', 'aria-sort': active ? (this.sort.descending ? 'descending' : 'ascending') : undefined } });
        if (c.key === null) th.textContent = c.title;
        else {
          const key = c.key;
          th.append(
            h(
              'button',
              {
                class: 'sort',
                testid: `decisions-sort-${key}`,
                attrs: { type: 'button', title: `Sort by ${c.title.toLowerCase()}` },
                on: {
                  click: () => {
                    this.sort = nextSort(this.sort, key);
                    this.renderRows();
                  },
                },
              },
              c.title,
              active ? (this.sort.descending ? ' ▼' : ' ▲') : '',
            ),
          );
        }
        return th;
      }),
    );
  }

  private row(r: DecisionRow, o: DecisionsOverview): HTMLElement[] {
    const open = h('button', { class: 'link', testid: 'decisions-open-case', attrs: { type: 'button', title: `Open case ${r.caseId}` }, on: { click: () => this.onOpenCase(r.caseId) } }, r.caseId);
    const historyCell = h('td');
    const detail = h('tr', { class: 'history', attrs: { hidden: true } }, h('td', { attrs: { colspan: COLUMNS.length } }));
    historyCell.append(
      h(
        'button',
        {
          class: 'link',
          testid: 'decisions-history',
          attrs: { type: 'button', 'aria-expanded': 'false' },
          on: {
            click: (e) => {
              const b = e.currentTarget as HTMLElement;
              const opening = detail.hidden;
              detail.hidden = !opening;
              b.setAttribute('aria-expanded', String(opening));
              if (opening) {
                const box = detail.firstElementChild as HTMLElement;
                fill(box, h('span', { class: 'muted' }, 'Loading…'));
                this.histories.set(r.caseId, box);
                this.post({ type: 'history', caseId: r.caseId });
              } else this.histories.delete(r.caseId);
            },
          },
        },
        count(r.decisions, 'decision'),
      ),
    );
    const cells = [
      h('th', { attrs: { scope: 'row' } }, open),
      h('td', { class: 'numeric' }, scoreText(r.score, o.scoreIsProbability)),
      h('td', null, r.band),
      h('td', null, h('span', { class: `verdict ${r.verdict}` }, directionText(r.direction))),
      h('td', null, r.assignedBand ?? '–'),
      h('td', { class: 'reason' }, r.reason || '–'),
      h('td', null, r.reviewer),
      h('td', { class: 'time' }, timeText(r.time)),
      h('td', null, r.blind === null ? '–' : r.blind ? 'yes' : 'no'),
      historyCell,
    ];
    return [h('tr', { testid: 'decisions-row' }, ...cells), detail];
  }

  private renderRows(): void {
    const o = this.overview;
    if (!o) return;
    const rows = selectDecisions(o.rows, this.filter, this.sort, o.bands.map((b) => b.label));
    const listed = rows.slice(0, this.shown);
    this.counter.textContent = rows.length === o.rows.length ? `${count(o.rows.length, 'case')} with a decision.` : `Showing ${integer(rows.length)} of ${count(o.rows.length, 'case')} with a decision.`;
    if (o.rows.length === 0) {
      fill(this.body, h('p', { class: 'muted' }, 'No decision has been recorded on the cases of this review yet.'));
      return;
    }
    fill(
      this.body,
      h(
        'table',
        { class: 'data compact decisions-list', testid: 'decisions-table' },
        h('caption', null, 'The latest decision on each case (about this model and case file); sort by a column, open a case, or show its history'),
        h('thead', null, this.header()),
        h('tbody', null, ...listed.flatMap((r) => this.row(r, o))),
      ),
      rows.length > listed.length &&
        button(`Show ${integer(Math.min(PAGE, rows.length - listed.length))} more (${integer(rows.length - listed.length)} not shown)`, {
          testid: 'decisions-more',
          onClick: () => {
            this.shown += PAGE;
            this.renderRows();
          },
        }),
    );
  }

  /** A case's history arrived: every decision on it, oldest first. */
  history(caseId: string, decisions: readonly ReviewDecision[]): void {
    const box = this.histories.get(caseId);
    if (!box) return;
    fill(
      box,
      h(
        'ol',
        { class: 'decisions', testid: 'decisions-history-list' },
        ...decisions.map((d) => h('li', null, decisionSentence(d), d.notes.trim() && h('p', { class: 'notes' }, d.notes), d.blind !== undefined && h('p', { class: 'muted small' }, `Decided blind: ${blindText(d)}.`))),
      ),
    );
  }
}
