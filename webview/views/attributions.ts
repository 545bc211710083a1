/**
 * What moved the score: the report's waterfall chart (largest effects first, the rest folded), the
 * driver sentences, and a table of every feature as the chart's text alternative. With a what-if
 * scenario the chart and table show the scenario, and the table keeps the case's own values beside it.
 */
import { chartSvg, waterfallChart } from '../../extension/engine/report/charts';
import { domainTable } from '../../extension/engine/report/domains';
import { effectScale, rankedRows, type EffectScale } from '../../extension/engine/report/drivers';
import { signed } from '../../extension/engine/report/format';
import { attributionIntro, driverSentence, interactionSentence } from '../../extension/engine/report/sentences';
import type { AttributionSummary, CaseHeader, CaseSummary } from '../../extension/engine/report/types';
import { chartNode, h, table } from '../dom';
import { unavailable } from './section';

/** A what-if answer from the host. */
export interface WhatIfResult {
  readonly score: number;
  readonly margin: number;
  readonly band: string;
  readonly attribution: AttributionSummary;
}

/** The case's header as the scenario would have it. */
export function scenarioHeader(header: CaseHeader, w: WhatIfResult): CaseHeader {
  return { ...header, score: w.score, margin: w.margin, band: w.band, flagged: w.score >= header.threshold };
}

const UNIT: Readonly<Record<EffectScale['unit'], string>> = { 'probability points': 'points of probability', 'log-odds': 'log-odds', points: 'points' };

export function attributionView(summary: CaseSummary, reason: string | undefined, whatIf: WhatIfResult | null): HTMLElement {
  const original = summary.attribution;
  if (!original) return unavailable(reason ?? 'the attributions were not computed');
  const header = whatIf ? scenarioHeader(summary.header, whatIf) : summary.header;
  const a = whatIf ? whatIf.attribution : original;
  const scale = effectScale(a, header);
  const ranked = rankedRows(a, scale);
  const originalScale = effectScale(original, summary.header);
  const originalRow = new Map(original.rows.map((r) => [r.feature, r]));

  const head = whatIf
    ? ['Feature', 'What-if value', `What-if effect (${UNIT[scale.unit]})`, 'Case value', `Case effect (${UNIT[originalScale.unit]})`]
    : ['Feature', 'Value', `Effect (${UNIT[scale.unit]})`];
  const rows = ranked.map((r) => {
    const o = originalRow.get(r.feature);
    const cells = [r.label, r.valueText, signed(scale.effect(r))];
    if (whatIf) cells.push(o?.valueText ?? '', o ? signed(originalScale.effect(o)) : '');
    return cells;
  });
  const changed = whatIf ? new Set(a.rows.filter((r) => r.valueText !== originalRow.get(r.feature)?.valueText).map((r) => r.feature)) : new Set<string>();

  const t = table(whatIf ? 'Every feature in the what-if scenario, largest effect first' : 'Every feature, largest effect first', head, rows, { class: 'data', testid: 'attribution-table' });
  ranked.forEach((r, k) => {
    if (changed.has(r.feature)) t.tBodies[0].rows[k].classList.add('changed');
  });

  const domains = domainTable(a, scale, `Effect (${UNIT[scale.unit]})`);

  return h(
    'div',
    { class: whatIf ? 'attribution scenario' : 'attribution' },
    whatIf && h('p', { class: 'scenario-note', attrs: { role: 'status' } }, 'Showing the what-if scenario. Changed features are marked in the table; the case’s own values and effects are beside them.'),
    h('p', null, attributionIntro(scale, header.scoreIsProbability)),
    h('div', { class: 'chart-and-table' }, chartNode(chartSvg(waterfallChart(a, header), 'rr-waterfall'), 'attribution-chart'), t),
    h('ul', { class: 'drivers' }, ...ranked.slice(0, 3).map((r) => h('li', null, driverSentence(r, scale)))),
    domains && table(domains.caption, domains.columns, domains.rows, { class: 'data', testid: 'domain-table' }),
    a.topInteraction && h('p', null, interactionSentence(a.topInteraction)),
    h('p', { class: 'muted small' }, `Method: ${a.method}.`),
  );
}
