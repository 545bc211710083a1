/**
 * The smallest changes to a lower band, beside the what-if editor: the caution, the answer in words,
 * each option with a button that loads it into the editor, and how sure the search is. The words are
 * the summaries' own (report/sensitivity.ts).
 */
import { scoreText } from '../../extension/engine/report/format';
import { changeableText, changeText, RECOURSE_CAUTION, recourseStatusSentence, searchSentence } from '../../extension/engine/report/sensitivity';
import type { CaseSummary } from '../../extension/engine/report/types';
import { h } from '../dom';
import type { FeatureValues } from '../protocol';
import { button } from '../toolkit';
import { unavailable } from './section';

export function recourseView(summary: CaseSummary, reason: string | undefined, load: (values: FeatureValues) => void): HTMLElement {
  const s = summary.sensitivity;
  const title = h('h3', null, 'Smallest changes to a lower band');
  if (!s) return h('aside', { class: 'recourse', testid: 'recourse' }, title, unavailable(reason ?? 'the search was not run'));
  const r = s.recourse;
  const header = summary.header;
  return h(
    'aside',
    { class: 'recourse', testid: 'recourse', attrs: { 'aria-label': 'Smallest changes to a lower band' } },
    title,
    h('p', { class: 'warning small' }, RECOURSE_CAUTION),
    h('p', { testid: 'recourse-status' }, recourseStatusSentence(r, header)),
    r.options.length > 0 &&
      h(
        'ol',
        { class: 'recourse-options', testid: 'recourse-options' },
        ...r.options.map((o, k) =>
          h(
            'li',
            { testid: `recourse-option-${k}` },
            h('span', { class: 'changes' }, o.changes.map(changeText).join('; ')),
            h('span', { class: 'outcome' }, `${scoreText(o.score, header.scoreIsProbability)} · `, h('span', { class: 'band' }, o.band)),
            button('Load into what-if', {
              testid: `recourse-load-${k}`,
              attrs: { 'aria-label': `Load option ${k + 1} into the what-if editor: ${o.changes.map(changeText).join('; ')}` },
              onClick: () => load(Object.fromEntries(o.changes.map((c) => [c.feature, c.to]))),
            }),
          ),
        ),
      ),
    h('p', { class: 'muted small' }, searchSentence(r)),
    r.changeable.length > 0 && h('details', null, h('summary', null, 'Features that can change'), h('ul', { class: 'small' }, ...r.changeable.map((c) => h('li', null, changeableText(c))))),
    ...r.notes.map((n) => h('p', { class: 'muted small' }, n)),
  );
}
