/**
 * How well the score has matched what happened: the report's reliability diagram for the case's group
 * against everyone (one group column at a time), the calibration statements, the small-group warnings,
 * a compact table of every curve near the case's score as the text alternative, and the report's
 * per-group tables of the calibration engine's figures (the very rows the exported documents show).
 */
import { chartSvg, reliabilityChart } from '../../extension/engine/report/charts';
import { calibrationMetricsTables, calibrationMetricsWarnings } from '../../extension/engine/report/content';
import { percent, integer } from '../../extension/engine/report/format';
import { everyoneCalibrationSentence, groupCalibrationSentence, groupName, smallGroupWarning } from '../../extension/engine/report/sentences';
import type { CalibrationSection, CaseSummary, GroupCalibration, ReliabilityBin, ReliabilityCurve } from '../../extension/engine/report/types';
import { chartNode, fill, h, table } from '../dom';
import { dropdown } from '../toolkit';
import { unavailable } from './section';

function curveRow(who: string, curve: ReliabilityCurve, bin: ReliabilityBin | null, warning: string | null): string[] {
  return [
    who,
    integer(curve.n),
    curve.n ? percent(curve.positives / curve.n) : '–',
    bin ? percent(bin.meanScore) : 'no cases',
    bin ? `${percent(bin.observedRate)} (${percent(bin.interval[0])} to ${percent(bin.interval[1])})` : '–',
    warning ? 'small group' : '',
  ];
}

function nearCaseTable(c: CalibrationSection): HTMLTableElement {
  const rows = [curveRow('Everyone', c.everyone, c.everyoneCaseBin, null), ...c.groups.map((g) => curveRow(groupName(g), g.curve, g.caseBin, smallGroupWarning(g)))];
  return table(
    `Calibration near this case's score (${percent(c.confidence, 0)} intervals)`,
    ['Who', 'Cases', 'Outcome rate', 'Average score near this case', 'Outcome near this case (interval)', 'Note'],
    rows,
    { class: 'data compact', testid: 'calibration-table' },
  );
}

/** Every group's figures (the case's group and the reference marked), then what they stand on. */
function metricsTable(summary: CaseSummary, c: CalibrationSection): HTMLElement {
  const tables = calibrationMetricsTables(c, summary.header).map((t) => table(t.caption, t.columns.map((col) => col.title), t.rows, { class: 'data compact', testid: 'calibration-metrics' }));
  const warnings = calibrationMetricsWarnings(c);
  return h(
    'div',
    { class: 'calibration-metrics' },
    ...tables,
    warnings.length > 0 &&
      h('div', { class: 'warning small', attrs: { role: 'note' }, testid: 'calibration-metrics-warnings' }, 'What the figures stand on:', h('ul', null, ...warnings.map((w) => h('li', null, w)))),
  );
}

export function calibrationView(summary: CaseSummary, reason: string | undefined): HTMLElement {
  const c = summary.calibration;
  if (!c) return unavailable(reason ?? 'calibration needs the known outcomes');
  const score = summary.header.score;
  const chartBox = h('div', { class: 'calibration-chart' });
  const warnings = h('div', { class: 'warnings' });
  const sentences = h('div');
  const show = (g: GroupCalibration | null) => {
    fill(chartBox, chartNode(chartSvg(reliabilityChart(c, g, score), 'rr-reliability'), 'calibration-chart'));
    fill(sentences, g && h('p', null, groupCalibrationSentence(g, c)), h('p', null, everyoneCalibrationSentence(c)));
  };
  fill(warnings, ...c.groups.map((g) => smallGroupWarning(g)).filter((w): w is string => w !== null).map((w) => h('p', { class: 'warning', attrs: { role: 'note' }, testid: 'small-group-warning' }, w)));
  show(c.groups[0] ?? null);
  const picker =
    c.groups.length > 1 &&
    h(
      'div',
      { class: 'field-row' },
      h('span', { class: 'label' }, 'Group column'),
      dropdown({
        label: 'Group column for the diagram',
        testid: 'calibration-group',
        choices: c.groups.map((g, k) => ({ value: String(k), text: groupName(g) })),
        value: '0',
        onChange: (v) => show(c.groups[Number(v)] ?? null),
      }),
    );
  return h('div', { class: 'calibration' }, warnings, picker, chartBox, sentences, nearCaseTable(c), metricsTable(summary, c), h('p', { class: 'muted small' }, `Method: ${c.method}.`));
}
