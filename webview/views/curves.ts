/**
 * What the score is sensitive to: one small chart per feature (the report's curve geometry, on one
 * score scale, band cut points drawn, the case marked), each a keyboard stop — ← → / Home / End read the
 * score at each value aloud (and on screen), Enter tries that value in the what-if editor — and the
 * curves as a table for screen readers and for reading exact numbers.
 */
import { chartSvg } from '../../extension/engine/report/charts';
import { bandAt, curveChart, curveValueText, cursorAfter, sharedRange } from '../../extension/engine/report/curveCharts';
import { scoreText } from '../../extension/engine/report/format';
import { curveValuesText } from '../../extension/engine/report/sensitivity';
import type { CaseSummary } from '../../extension/engine/report/types';
import { chartNode, fill, h, table } from '../dom';
import { unavailable } from './section';

export function curvesView(summary: CaseSummary, reason: string | undefined, tryValue: (feature: string, value: number) => void): HTMLElement {
  const s = summary.sensitivity;
  if (!s) return unavailable(reason ?? 'the curves were not computed');
  const header = summary.header;
  const section = s.curves;
  const range = sharedRange(section, header.score);
  const reading = h('p', { class: 'curve-reading', testid: 'curve-reading', attrs: { 'aria-live': 'polite' } });
  const figures = section.curves.map((curve, k) => {
    let cursor: number | null = null;
    const draw = () => fill(figure, chartNode(chartSvg(curveChart(curve, section, header.score, header.scoreIsProbability, range, cursor ?? undefined), `rr-curve-${k}`), `curve-chart-${curve.feature}`));
    const figure = h('figure', {
      class: `curve ${curve.riskFactor}`,
      testid: `curve-${curve.feature}`,
      attrs: { tabindex: 0, role: 'group', 'aria-label': `${curve.label}, ${curve.riskFactor}: the score at each value. Left and right arrows read each value; Enter tries it in the what-if editor.` },
      on: {
        keydown: (e) => {
          if (e.key === 'Enter' && cursor !== null) {
            e.preventDefault();
            const v = curve.points[cursor].value;
            tryValue(curve.feature, v);
            reading.textContent = `${curve.label} ${curveValueText(curve, v)} is now in the what-if editor (the What if section).`;
            return;
          }
          const next = cursorAfter(e.key, cursor, curve);
          if (next === undefined) return;
          e.preventDefault();
          cursor = next;
          const p = curve.points[next];
          reading.textContent = `${curve.label} ${curveValueText(curve, p.value)}: ${scoreText(p.score, header.scoreIsProbability)} (${bandAt(section, p.score)})${p.value === curve.caseValue ? ', this case' : ''}.`;
          draw();
        },
      },
    });
    draw();
    return figure;
  });
  return h(
    'div',
    { class: 'sensitivity' },
    h('p', null, 'The score as each feature takes each of its values, every other feature held at this case’s. Dashed lines across are the band cut points; a dashed line down with a dot marks this case. Features the project marks as dynamic can change; static ones record the past.'),
    h('p', { class: 'muted small' }, 'Keyboard: Tab to a chart, ← → to read the score at each value, Enter to try that value in the what-if editor.'),
    reading,
    h('div', { class: 'curves', testid: 'curves' }, ...figures),
    h(
      'details',
      { class: 'curves-table' },
      h('summary', null, 'The curves as a table'),
      table('The score at each value of each feature', ['Feature', 'Type', 'This case', 'Score at each value'], section.curves.map((c) => [c.label, c.riskFactor, c.caseValueText, curveValuesText(c, header.scoreIsProbability)]), { class: 'data compact', testid: 'curves-table' }),
    ),
    h('p', { class: 'muted small' }, `Method: ${section.method}.`),
  );
}
