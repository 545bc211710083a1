/** The case at a glance: id, score and band, the threshold decision, the known outcome, the groups. */
import { count, scoreText, integer } from '../../extension/engine/report/format';
import { groupsText, outcomeText, thresholdSentence } from '../../extension/engine/report/sentences';
import type { CaseSummary } from '../../extension/engine/report/types';
import { h } from '../dom';

export function headerView(summary: CaseSummary, index: number, total: number): HTMLElement {
  const c = summary.header;
  return h(
    'header',
    { class: 'case-header' },
    h('h1', null, summary.redacted ? 'Case reference ' : 'Case ', h('bdi', { testid: 'case-id' }, c.caseId)),
    h('p', { class: 'muted', testid: 'case-position' }, `Case ${integer(index + 1)} of ${count(total, 'case')}`),
    h(
      'p',
      { class: 'score-line' },
      h('span', { class: 'score', testid: 'score', attrs: { 'aria-label': `Score ${scoreText(c.score, c.scoreIsProbability, c.scoreUnit)}` } }, scoreText(c.score, c.scoreIsProbability, c.scoreUnit)),
      h('span', { class: 'band', testid: 'band', attrs: { 'aria-label': `Band ${c.band}` } }, c.band),
      h('span', { class: c.flagged ? 'flag flagged' : 'flag', testid: 'flagged' }, c.flagged ? 'Flagged' : 'Not flagged'),
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Decision'),
      h('dd', null, thresholdSentence(c)),
      h('dt', null, 'Known outcome'),
      h('dd', { testid: 'outcome' }, outcomeText(c)),
      !summary.redacted && h('dt', null, 'Groups'),
      !summary.redacted && h('dd', null, groupsText(c)),
    ),
  );
}
