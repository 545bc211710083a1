/**
 * The simple rule: the report's surrogate tree with this case's path highlighted, the rule in words,
 * the path as a list (the chart's text alternative), and how faithful the rule is to the model.
 */
import { chartSvg, shortCondition, treeChart } from '../../extension/engine/report/charts';
import { count, scoreText } from '../../extension/engine/report/format';
import { agreementSentence, fidelitySentence, ruleSentence } from '../../extension/engine/report/sentences';
import type { CaseSummary } from '../../extension/engine/report/types';
import { chartNode, h } from '../dom';
import { unavailable } from './section';

export function surrogateView(summary: CaseSummary, reason: string | undefined): HTMLElement {
  const s = summary.surrogate;
  if (!s) return unavailable(reason ?? 'no surrogate rule was fitted');
  const header = summary.header;
  const [headline, ...other] = s.fidelity;
  return h(
    'div',
    { class: 'surrogate' },
    h('p', { class: 'rule', testid: 'surrogate-rule' }, ruleSentence(s, header)),
    headline && h('p', { class: 'fidelity', testid: 'surrogate-fidelity' }, fidelitySentence(headline)),
    h('p', { class: s.agreesWithModel ? '' : 'warning' }, agreementSentence(s, header)),
    chartNode(chartSvg(treeChart(s, header), 'rr-tree'), 'surrogate-chart'),
    h(
      'ol',
      { class: 'path', attrs: { 'aria-label': 'This case’s path through the rule tree' } },
      ...s.path.map((i) => {
        const n = s.nodes[i];
        return h('li', null, `${n.condition ? shortCondition(n.condition) : 'All cases'}: ${scoreText(n.value, header.scoreIsProbability, header.scoreUnit)}, ${count(n.n, 'case')}`);
      }),
    ),
    other.length > 0 && h('ul', { class: 'muted' }, ...other.map((f) => h('li', null, fidelitySentence(f)))),
    h('p', { class: 'muted small' }, `Method: ${s.method}.`),
  );
}
