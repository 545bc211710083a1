/**
 * The summary's charts, laid out once as plain geometry (rectangles, lines, circles and text in a
 * chart's own coordinates) and then drawn by two painters: `chartSvg` for the panel and the HTML
 * document, and the PDF renderer's pdfkit painter. Both draw the same shapes at the same places, so the
 * PDF chart is not a copy of the SVG one but the same layout.
 *
 * Colours are named inks. In SVG each ink is a class whose colour is a VS Code theme variable with a
 * fallback (`CHART_CSS`), plus the fallback as a presentation attribute so a chart read without the
 * stylesheet still has colour; the PDF uses the fallbacks. Nothing here touches the DOM or Node, so the
 * webview bundle imports this module as it is.
 */
import { effectScale, foldDrivers, type EffectScale } from './drivers';
import { escapeHtml } from './escape';
import { count, percent, plainNumber, scoreText, signed } from './format';
import { conditionText, featureWithValue, groupName } from './sentences';
import type { AttributionSummary, CalibrationSection, CaseHeader, Condition, GroupCalibration, GroupComparison, ReliabilityCurve, ScoreScale, SurrogateSection } from './types';

export type Ink = 'text' | 'muted' | 'axis' | 'grid' | 'raise' | 'lower' | 'group' | 'everyone' | 'mark' | 'path' | 'box' | 'boxLine';

export const INKS: Readonly<Record<Ink, { readonly variable: string; readonly fallback: string }>> = {
  text: { variable: '--vscode-foreground', fallback: '#1f1f1f' },
  muted: { variable: '--vscode-descriptionForeground', fallback: '#5f5f5f' },
  // Axes, the diagonal, the tree's links and box outlines are read, so they need 3:1 against the page
  // (WCAG 1.4.11): the description colour has it in every built-in theme, where --vscode-charts-lines (the
  // foreground at 40–50%) has 2.4:1 in Light 2026 and the widget border 1.3:1 in Dark and Light Modern
  // (measured by test/e2e/lib/theme.mjs).
  axis: { variable: '--vscode-descriptionForeground', fallback: '#8a8a8a' },
  grid: { variable: '--vscode-editorIndentGuide-background1', fallback: '#e3e3e3' },
  raise: { variable: '--vscode-charts-red', fallback: '#c0392b' },
  lower: { variable: '--vscode-charts-blue', fallback: '#2c6fbb' },
  // Not --vscode-charts-orange: themes that leave it unset (Dark and Light Modern, high contrast) get a
  // find-match highlight at 33% opacity or nothing; VS Code gives green a solid default in every kind of theme.
  group: { variable: '--vscode-charts-green', fallback: '#d35400' },
  everyone: { variable: '--vscode-charts-blue', fallback: '#2c6fbb' },
  mark: { variable: '--vscode-charts-purple', fallback: '#7d3c98' },
  path: { variable: '--vscode-focusBorder', fallback: '#7d3c98' },
  box: { variable: '--vscode-editorWidget-background', fallback: '#f5f5f5' },
  boxLine: { variable: '--vscode-descriptionForeground', fallback: '#b5b5b5' },
};

export type Anchor = 'start' | 'middle' | 'end';

export type Shape =
  | { readonly kind: 'rect'; readonly x: number; readonly y: number; readonly w: number; readonly h: number; readonly fill?: Ink; readonly stroke?: Ink; readonly strokeWidth?: number; readonly dash?: boolean; readonly radius?: number }
  | { readonly kind: 'line'; readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number; readonly stroke: Ink; readonly strokeWidth: number; readonly dash?: boolean }
  | { readonly kind: 'polyline'; readonly points: readonly (readonly [number, number])[]; readonly stroke: Ink; readonly strokeWidth: number }
  | { readonly kind: 'circle'; readonly cx: number; readonly cy: number; readonly r: number; readonly fill: Ink; readonly stroke?: Ink }
  /** `y` is the text's baseline. */
  | { readonly kind: 'text'; readonly x: number; readonly y: number; readonly text: string; readonly size: number; readonly anchor: Anchor; readonly ink: Ink; readonly bold?: boolean };

export interface Chart {
  readonly kind: 'waterfall' | 'reliability' | 'tree' | 'curve' | 'curves';
  readonly width: number;
  readonly height: number;
  /** The text alternative: a title and a description that says what the chart shows. */
  readonly title: string;
  readonly description: string;
  readonly shapes: readonly Shape[];
}

/** A generous width estimate for sans-serif text (Helvetica's digits are 0.556 em), so labels never overrun. */
export function textWidth(text: string, size: number): number {
  return text.length * size * 0.56;
}

/** The text cut to fit `width`, ending in "…" when cut. */
export function fitText(text: string, size: number, width: number): string {
  if (textWidth(text, size) <= width) return text;
  const keep = Math.max(1, Math.floor(width / (size * 0.56)) - 1);
  return text.slice(0, keep).trimEnd() + '…';
}

/**
 * The text broken at spaces into lines no wider than `width`, at most `maxLines` of them; an operator
 * such as "<" stays with the word after it, a word wider than a line is split where it overflows, and
 * only what still does not fit ends the last line in "…".
 */
function wrapText(text: string, size: number, width: number, maxLines: number): string[] {
  const words: string[] = [];
  for (const w of text.trim().split(/ +/)) {
    const last = words.length - 1;
    if (last >= 0 && /^[^\p{L}\p{N}]+$/u.test(words[last])) words[last] += ' ' + w;
    else words.push(w);
  }
  const perLine = Math.max(1, Math.floor(width / (size * 0.56)));
  const lines: string[] = [];
  let line = '';
  for (let w of words) {
    const joined = line ? `${line} ${w}` : w;
    if (textWidth(joined, size) <= width) {
      line = joined;
      continue;
    }
    if (line) lines.push(line);
    for (; textWidth(w, size) > width; w = w.slice(perLine)) lines.push(w.slice(0, perLine));
    line = w;
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  return [...lines.slice(0, maxLines - 1), fitText(lines.slice(maxLines - 1).join(' '), size, width)];
}

/** About `target` round tick values covering [lo, hi] (steps of 1, 2 or 5 × 10ᵏ). */
function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * p).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toFixed(10)));
  return ticks;
}

const UNIT_ABBREVIATION: Readonly<Record<EffectScale['unit'], string>> = { 'probability points': 'pts', 'log-odds': '', points: 'pts' };

/**
 * The attribution waterfall: from the base value (an average case) to this case's score, one bar per
 * driver, largest first, the smallest folded into one bar. Bar k spans [start + Σ_{i<k} φᵢ, start + Σ_{i≤k} φᵢ].
 */
export function waterfallChart(a: AttributionSummary, header: CaseHeader, maxBars = 8): Chart {
  const scale = effectScale(a, header);
  const { shown, rest } = foldDrivers(a, scale, maxBars);
  const bars = shown.map((r) => ({ label: featureWithValue(r), effect: scale.effect(r) }));
  if (rest) bars.push({ label: `${count(rest.count, 'other feature')}`, effect: rest.effect });

  const W = 640;
  const labelW = 220;
  const valueW = 64;
  const top = 34;
  const rowH = 24;
  const x0 = labelW + 12;
  const x1 = W - valueW - 8;
  const plotBottom = top + bars.length * rowH;
  const H = plotBottom + 44;

  const positions = [scale.start, scale.end];
  let cum = scale.start;
  for (const b of bars) positions.push((cum += b.effect));
  let lo = Math.min(...positions);
  let hi = Math.max(...positions);
  const pad = (hi - lo || 1) * 0.06;
  lo -= pad;
  hi += pad;
  if (scale.unit === 'probability points') {
    lo = Math.max(lo, Math.min(0, ...positions));
    hi = Math.min(hi, Math.max(100, ...positions));
  }
  const sx = (v: number) => x0 + ((v - lo) / (hi - lo)) * (x1 - x0);
  const show = (v: number) => (scale.unit === 'probability points' ? `${plainNumber(v, 1)}%` : plainNumber(v, 2));

  const shapes: Shape[] = [];
  const ticks = niceTicks(lo, hi, 6);
  for (const t of ticks) {
    shapes.push({ kind: 'line', x1: sx(t), y1: top - 4, x2: sx(t), y2: plotBottom, stroke: 'grid', strokeWidth: 1 });
    shapes.push({ kind: 'text', x: sx(t), y: plotBottom + 16, text: show(t), size: 10, anchor: 'middle', ink: 'muted' });
  }
  shapes.push({ kind: 'line', x1: x0, y1: plotBottom, x2: x1, y2: plotBottom, stroke: 'axis', strokeWidth: 1 });
  const axisTitle = scale.unit === 'probability points' ? 'Estimated risk (%)' : scale.unit === 'points' ? 'Total points' : 'Log-odds';
  shapes.push({ kind: 'text', x: (x0 + x1) / 2, y: plotBottom + 34, text: axisTitle, size: 10, anchor: 'middle', ink: 'muted' });

  // The base and the case as vertical markers; their labels sit on opposite sides so they never collide.
  const rising = scale.end >= scale.start;
  shapes.push({ kind: 'line', x1: sx(scale.start), y1: top - 10, x2: sx(scale.start), y2: plotBottom, stroke: 'muted', strokeWidth: 1, dash: true });
  shapes.push({ kind: 'text', x: sx(scale.start) + (rising ? -4 : 4), y: top - 14, text: `average case ${show(scale.start)}`, size: 10, anchor: rising ? 'end' : 'start', ink: 'muted' });
  shapes.push({ kind: 'line', x1: sx(scale.end), y1: top - 10, x2: sx(scale.end), y2: plotBottom, stroke: 'mark', strokeWidth: 1.5 });
  shapes.push({ kind: 'text', x: sx(scale.end) + (rising ? 4 : -4), y: top - 14, text: `this case ${show(scale.end)}`, size: 10, anchor: rising ? 'start' : 'end', ink: 'mark', bold: true });

  cum = scale.start;
  bars.forEach((b, k) => {
    const y = top + k * rowH;
    const from = cum;
    const to = (cum += b.effect);
    const left = sx(Math.min(from, to));
    const width = Math.max(1, Math.abs(sx(to) - sx(from)));
    shapes.push({ kind: 'text', x: labelW, y: y + rowH / 2 + 4, text: fitText(b.label, 11, labelW - 4), size: 11, anchor: 'end', ink: 'text' });
    shapes.push({ kind: 'rect', x: left, y: y + 5, w: width, h: rowH - 10, fill: b.effect >= 0 ? 'raise' : 'lower' });
    if (k + 1 < bars.length) shapes.push({ kind: 'line', x1: sx(to), y1: y + rowH - 5, x2: sx(to), y2: y + rowH + 5, stroke: 'axis', strokeWidth: 1 });
    shapes.push({ kind: 'text', x: W - 8, y: y + rowH / 2 + 4, text: `${signed(b.effect)}${UNIT_ABBREVIATION[scale.unit] ? ' ' + UNIT_ABBREVIATION[scale.unit] : ''}`, size: 11, anchor: 'end', ink: b.effect >= 0 ? 'raise' : 'lower', bold: true });
  });

  const listed = bars.map((b) => `${b.label}: ${signed(b.effect)}`).join('; ');
  return {
    kind: 'waterfall',
    width: W,
    height: H,
    title: 'What moved the score',
    description: `Bars from the average case (${show(scale.start)}) to this case (${show(scale.end)}), in ${scale.unit}, largest effect first. Red bars raise the score, blue bars lower it. ${listed}.`,
    shapes,
  };
}

/** The score axis of a reliability diagram: probabilities 0–100%, or a score's own range (a total, deciles). */
interface ScoreAxis {
  readonly lo: number;
  readonly hi: number;
  readonly ticks: readonly number[];
  readonly text: (v: number) => string;
  /** Whether the diagonal (score = outcome rate) means anything: only for probabilities. */
  readonly diagonal: boolean;
}

function scoreAxis(scale: ScoreScale, curves: readonly ReliabilityCurve[]): ScoreAxis {
  if (scale === 'probability') return { lo: 0, hi: 1, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], text: (v) => percent(v, 0), diagonal: true };
  const values = curves.flatMap((c) => c.bins.map((b) => b.meanScore));
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return { lo, hi: hi > lo ? hi : lo + 1, ticks: niceTicks(lo, hi > lo ? hi : lo + 1), text: (v) => plainNumber(v), diagonal: false };
}

interface PlottedCurve {
  readonly curve: ReliabilityCurve;
  readonly ink: Ink;
  /** A small sideways shift so that two curves' whiskers do not hide each other. */
  readonly dx: number;
}

/**
 * One reliability plot at (x0, y0), `size` square: grid, axes, the diagonal on a probability scale, a
 * dashed mark at `mark` (a case's score), and each curve's bins with their interval whiskers.
 */
function reliabilityPlot(shapes: Shape[], x0: number, y0: number, size: number, axis: ScoreAxis, curves: readonly PlottedCurve[], mark: number | null, fontSize: number): void {
  const sx = (v: number) => x0 + ((v - axis.lo) / (axis.hi - axis.lo)) * size;
  const sy = (p: number) => y0 + (1 - p) * size;
  for (const t of axis.ticks) {
    shapes.push({ kind: 'line', x1: sx(t), y1: sy(0), x2: sx(t), y2: sy(1), stroke: 'grid', strokeWidth: 1 });
    shapes.push({ kind: 'text', x: sx(t), y: sy(0) + fontSize + 4, text: axis.text(t), size: fontSize, anchor: 'middle', ink: 'muted' });
  }
  for (const t of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    shapes.push({ kind: 'line', x1: sx(axis.lo), y1: sy(t), x2: sx(axis.hi), y2: sy(t), stroke: 'grid', strokeWidth: 1 });
    shapes.push({ kind: 'text', x: sx(axis.lo) - 5, y: sy(t) + fontSize / 3, text: percent(t, 0), size: fontSize, anchor: 'end', ink: 'muted' });
  }
  shapes.push({ kind: 'rect', x: sx(axis.lo), y: sy(1), w: size, h: size, stroke: 'axis', strokeWidth: 1 });
  if (axis.diagonal) shapes.push({ kind: 'line', x1: sx(0), y1: sy(0), x2: sx(1), y2: sy(1), stroke: 'axis', strokeWidth: 1, dash: true });
  if (mark !== null) {
    const c = Math.min(axis.hi, Math.max(axis.lo, mark));
    shapes.push({ kind: 'line', x1: sx(c), y1: sy(0), x2: sx(c), y2: sy(1), stroke: 'mark', strokeWidth: 1.5, dash: true });
  }
  for (const { curve: cv, ink, dx } of curves) {
    const pts = cv.bins.map((b) => [sx(b.meanScore) + dx, sy(b.observedRate)] as [number, number]);
    if (pts.length > 1) shapes.push({ kind: 'polyline', points: pts, stroke: ink, strokeWidth: 1.5 });
    cv.bins.forEach((b, k) => {
      const [x, y] = pts[k];
      shapes.push({ kind: 'line', x1: x, y1: sy(b.interval[0]), x2: x, y2: sy(b.interval[1]), stroke: ink, strokeWidth: 1 });
      shapes.push({ kind: 'line', x1: x - 3, y1: sy(b.interval[0]), x2: x + 3, y2: sy(b.interval[0]), stroke: ink, strokeWidth: 1 });
      shapes.push({ kind: 'line', x1: x - 3, y1: sy(b.interval[1]), x2: x + 3, y2: sy(b.interval[1]), stroke: ink, strokeWidth: 1 });
      shapes.push({ kind: 'circle', cx: x, cy: y, r: fontSize > 9 ? 3.5 : 2.5, fill: ink });
    });
  }
}

/** A curve's bins in words, for a chart's text alternative. */
function binsText(cv: ReliabilityCurve, axis: ScoreAxis, scale: ScoreScale): string {
  const where = (v: number) => (scale === 'probability' ? `average score ${axis.text(v)}` : `score ${plainNumber(v, 2)}`);
  return cv.bins.map((b) => `${where(b.meanScore)}, outcome ${percent(b.observedRate)} of ${b.n}`).join('; ');
}

/** What the axes say, for a chart's text alternative. */
function axesText(scale: ScoreScale, confidence: number): string {
  return scale === 'probability'
    ? `each point is a bin of cases with its average score across and the share whose outcome happened up, with ${percent(confidence, 0)} intervals; points on the diagonal are well calibrated`
    : `each point is a score value across and the share of its cases whose outcome happened up, with ${percent(confidence, 0)} intervals; a curve above another means the outcome happened more often at the same score`;
}

/**
 * The reliability diagram for one group against everyone: for each score bin, the average score (x)
 * against the share of cases whose outcome happened (y), with the interval as a whisker; on a probability
 * scale the diagonal is perfect calibration; a vertical line marks this case's score.
 */
export function reliabilityChart(section: CalibrationSection, group: GroupCalibration | null, caseScore: number): Chart {
  const W = 600;
  const size = 300;
  const x0 = 56;
  const y0 = 24;
  const H = y0 + size + 52;
  const shapes: Shape[] = [];
  const axis = scoreAxis(section.scale, [section.everyone, ...(group ? [group.curve] : [])]);
  const curves: PlottedCurve[] = [{ curve: section.everyone, ink: 'everyone', dx: group ? -2 : 0 }, ...(group ? [{ curve: group.curve, ink: 'group' as Ink, dx: 2 }] : [])];
  reliabilityPlot(shapes, x0, y0, size, axis, curves, caseScore, 10);
  const caseText = section.scale === 'probability' ? percent(caseScore) : plainNumber(caseScore, 2);
  const c = (Math.min(axis.hi, Math.max(axis.lo, caseScore)) - axis.lo) / (axis.hi - axis.lo);
  shapes.push({ kind: 'text', x: x0 + c * size + (c > 0.75 ? -4 : 4), y: y0 + 12, text: `this case ${caseText}`, size: 10, anchor: c > 0.75 ? 'end' : 'start', ink: 'mark', bold: true });
  shapes.push({ kind: 'text', x: x0 + size / 2, y: y0 + size + 32, text: section.scale === 'probability' ? 'Average score in the bin' : 'Score', size: 10, anchor: 'middle', ink: 'muted' });
  shapes.push({ kind: 'text', x: x0 - 40, y: y0 - 10, text: 'Share with the outcome', size: 10, anchor: 'start', ink: 'muted' });

  // Legend to the right of the plot.
  const lx = x0 + size + 20;
  const legendW = W - lx - 4;
  let ly = y0 + 10;
  const legend = (ink: Ink, text: string, kind: 'dot' | 'dash' | 'mark') => {
    if (kind === 'dot') shapes.push({ kind: 'circle', cx: lx + 6, cy: ly - 4, r: 4, fill: ink });
    else shapes.push({ kind: 'line', x1: lx, y1: ly - 4, x2: lx + 12, y2: ly - 4, stroke: ink, strokeWidth: kind === 'mark' ? 1.5 : 1, dash: true });
    shapes.push({ kind: 'text', x: lx + 18, y: ly, text: fitText(text, 10, legendW - 18), size: 10, anchor: 'start', ink: 'text' });
    ly += 18;
  };
  if (group) legend('group', `${groupName(group)}: ${count(group.curve.n, 'case')}`, 'dot');
  legend('everyone', `Everyone: ${count(section.everyone.n, 'case')}`, 'dot');
  if (axis.diagonal) legend('axis', 'Perfect calibration', 'dash');
  legend('mark', "This case's score", 'mark');
  shapes.push({ kind: 'text', x: lx, y: ly + 6, text: `Whiskers: ${percent(section.confidence, 0)} intervals`, size: 10, anchor: 'start', ink: 'muted' });

  const who = group ? `${groupName(group)} (${count(group.curve.n, 'case')}) and everyone (${count(section.everyone.n, 'case')})` : `everyone (${count(section.everyone.n, 'case')})`;
  return {
    kind: 'reliability',
    width: W,
    height: H,
    title: group ? `Calibration for ${groupName(group)} and for everyone` : 'Calibration for everyone',
    description: `Reliability diagram for ${who}: ${axesText(section.scale, section.confidence)}. This case's score, ${caseText}, is marked. ${group ? `${groupName(group)}: ${binsText(group.curve, axis, section.scale)}. ` : ''}Everyone: ${binsText(section.everyone, axis, section.scale)}.`,
    shapes,
  };
}

/**
 * Every group of a comparison against the reference group, as small multiples with shared axes: one
 * plot per group (the reference's curve in each, for comparison), three to a row; the case's own group,
 * when given, is named as such and its plot framed.
 */
export function groupReliabilityChart(c: GroupComparison, caseGroup: string | null = null): Chart {
  const others = c.groups.filter((g) => g.group !== c.reference);
  const ref = c.groups.find((g) => g.group === c.reference)!;
  const perRow = 3;
  const cell = 200;
  const size = 140;
  const left = 40;
  const top = 46;
  const rowH = size + 62;
  const rows = Math.max(1, Math.ceil(others.length / perRow));
  const W = perRow * cell;
  const H = top + rows * rowH + 8;
  const axis = scoreAxis(c.scale, [c.everyone, ...c.groups.map((g) => g.curve)]);
  const shapes: Shape[] = [];
  // The legend across the top.
  shapes.push({ kind: 'circle', cx: 10, cy: 14, r: 4, fill: 'group' });
  shapes.push({ kind: 'text', x: 18, y: 18, text: 'the group', size: 10, anchor: 'start', ink: 'text' });
  shapes.push({ kind: 'circle', cx: 100, cy: 14, r: 4, fill: 'everyone' });
  shapes.push({ kind: 'text', x: 108, y: 18, text: fitText(`the reference: ${c.reference} (${count(ref.curve.n, 'case')})`, 10, W - 108 - (axis.diagonal ? 150 : 4)), size: 10, anchor: 'start', ink: 'text' });
  if (axis.diagonal) {
    shapes.push({ kind: 'line', x1: W - 140, y1: 14, x2: W - 128, y2: 14, stroke: 'axis', strokeWidth: 1, dash: true });
    shapes.push({ kind: 'text', x: W - 122, y: 18, text: 'perfect calibration', size: 10, anchor: 'start', ink: 'text' });
  }
  shapes.push({ kind: 'text', x: 4, y: 34, text: `Share with the outcome (up) by ${c.scale === 'probability' ? 'average score' : 'score'} (across); whiskers: ${percent(c.confidence, 0)} intervals`, size: 9, anchor: 'start', ink: 'muted' });
  others.forEach((g, k) => {
    const x0 = (k % perRow) * cell + left;
    const y0 = top + Math.floor(k / perRow) * rowH + 16;
    const own = g.group === caseGroup;
    const title = `${g.group}${own ? " (this case's group)" : ''}: ${count(g.curve.n, 'case')}${g.small ? ', small' : ''}`;
    shapes.push({ kind: 'text', x: x0, y: y0 - 6, text: fitText(title, 10, cell - left), size: 10, anchor: 'start', ink: own ? 'mark' : 'text', bold: own });
    if (own) shapes.push({ kind: 'rect', x: x0 - left + 4, y: y0 - 20, w: cell - 8, h: rowH - 4, stroke: 'mark', strokeWidth: 1.5, radius: 3 });
    reliabilityPlot(shapes, x0, y0, size, axis, [{ curve: ref.curve, ink: 'everyone', dx: -1.5 }, { curve: g.curve, ink: 'group', dx: 1.5 }], null, 8);
  });
  return {
    kind: 'reliability',
    width: W,
    height: H,
    title: `Calibration by ${c.column}: each group against ${c.reference}`,
    description:
      `Reliability diagrams, one per group of ${c.column}, each with the reference group ${c.reference} for comparison: ${axesText(c.scale, c.confidence)}. ` +
      `${c.reference}: ${binsText(ref.curve, axis, c.scale)}. ` +
      others.map((g) => `${g.group}${g.group === caseGroup ? " (this case's group)" : ''}: ${binsText(g.curve, axis, c.scale)}.`).join(' '),
    shapes,
  };
}

/** A condition short enough for a tree box: "Prior referrals ≥ 2.5". */
export function shortCondition(c: Condition): string {
  const missing = c.includesMissing ? ' or missing' : '';
  switch (c.kind) {
    case 'below':
      return `${c.label} < ${plainNumber(c.threshold)}${missing}`;
    case 'atLeast':
      return `${c.label} ≥ ${plainNumber(c.threshold)}${missing}`;
    case 'in':
      return `${c.label}: ${c.categories.join(', ')}${missing}`;
    case 'missing':
      return `${c.label} missing`;
    case 'known':
      return `${c.label} known`;
  }
}

/** Trees with more leaves than this show only the case's path, each branch off it folded into one box. */
const FULL_TREE_LEAVES = 6;

/**
 * The surrogate tree, the case's path highlighted. Leaves sit in equal slots left to right and each
 * inner node is centred over its children; a large tree keeps only the case's path open.
 */
export function treeChart(s: SurrogateSection, header: CaseHeader): Chart {
  const onPath = new Set(s.path);
  const leavesUnder = (i: number): number => (s.nodes[i].children.length ? leavesUnder(s.nodes[i].children[0]!) + leavesUnder(s.nodes[i].children[1]!) : 1);
  const full = leavesUnder(0) <= FULL_TREE_LEAVES;
  const open = (i: number) => s.nodes[i].children.length > 0 && (full || onPath.has(i));

  interface Placed { readonly node: number; readonly depth: number; x: number; readonly folded: boolean; readonly parent: number | null }
  const placed: Placed[] = [];
  let slots = 0;
  const place = (i: number, depth: number, parent: number | null): number => {
    const p: Placed = { node: i, depth, x: 0, folded: s.nodes[i].children.length > 0 && !open(i), parent };
    placed.push(p);
    if (open(i)) {
      const [a, b] = s.nodes[i].children as readonly [number, number];
      p.x = (place(a, depth + 1, i) + place(b, depth + 1, i)) / 2;
    } else p.x = slots++ + 0.5;
    return p.x;
  };
  place(0, 0, null);

  const slotW = Math.max(130, 640 / slots);
  const W = Math.round(slotW * slots);
  const boxW = slotW - 12;
  const textW = boxW - 10;
  // Each box: its test on up to three lines, then the score on up to two. The boxes of one level are
  // as tall as its tallest, so their score lines align and each link meets the boxes' edges.
  const TEST = { size: 10.5, first: 16, lead: 13, maxLines: 3 } as const;
  const STAT = { size: 10, gap: 15, lead: 13, maxLines: 2, bottom: 9 } as const;
  const labels = new Map(
    placed.map((p) => {
      const n = s.nodes[p.node];
      const test = n.condition ? shortCondition(n.condition) : 'All cases';
      const stat = `${scoreText(n.value, header.scoreIsProbability, header.scoreUnit)} · ${count(n.n, 'case')}${p.folded ? ' · more rules' : ''}`;
      return [p.node, { test: wrapText(test, TEST.size, textW, TEST.maxLines), stat: wrapText(stat, STAT.size, textW, STAT.maxLines) }];
    }),
  );
  const depth = Math.max(...placed.map((p) => p.depth));
  const levels = Array.from({ length: depth + 1 }, (_, d) => {
    const here = placed.filter((p) => p.depth === d).map((p) => labels.get(p.node)!);
    const testLines = Math.max(...here.map((l) => l.test.length));
    const statLines = Math.max(...here.map((l) => l.stat.length));
    const statY = TEST.first + (testLines - 1) * TEST.lead + STAT.gap;
    return { statY, h: statY + (statLines - 1) * STAT.lead + STAT.bottom };
  });
  const LINK = 32;
  const tops: number[] = [];
  levels.forEach((_, d) => tops.push(d ? tops[d - 1] + levels[d - 1].h + LINK : 12));
  const H = tops[depth] + levels[depth].h + 12;
  const cx = (p: Placed) => p.x * slotW;
  const top = (p: Placed) => tops[p.depth];
  const boxH = (p: Placed) => levels[p.depth].h;
  const byNode = new Map(placed.map((p) => [p.node, p]));

  const shapes: Shape[] = [];
  for (const p of placed) {
    if (p.parent === null) continue;
    const q = byNode.get(p.parent)!;
    const hot = onPath.has(p.node);
    shapes.push({ kind: 'line', x1: cx(q), y1: top(q) + boxH(q), x2: cx(p), y2: top(p), stroke: hot ? 'path' : 'boxLine', strokeWidth: hot ? 2.5 : 1 });
  }
  for (const p of placed) {
    const hot = onPath.has(p.node);
    const { test, stat } = labels.get(p.node)!;
    shapes.push({ kind: 'rect', x: cx(p) - boxW / 2, y: top(p), w: boxW, h: boxH(p), fill: 'box', stroke: hot ? 'path' : 'boxLine', strokeWidth: hot ? 2.5 : 1, dash: p.folded, radius: 4 });
    test.forEach((line, k) => shapes.push({ kind: 'text', x: cx(p), y: top(p) + TEST.first + k * TEST.lead, text: line, size: TEST.size, anchor: 'middle', ink: 'text', bold: hot }));
    stat.forEach((line, k) => shapes.push({ kind: 'text', x: cx(p), y: top(p) + levels[p.depth].statY + k * STAT.lead, text: line, size: STAT.size, anchor: 'middle', ink: hot ? 'text' : 'muted' }));
  }

  const leaf = s.nodes[s.path[s.path.length - 1]];
  const depthOf = (i: number): number => (s.nodes[i].children.length ? 1 + Math.max(depthOf(s.nodes[i].children[0]!), depthOf(s.nodes[i].children[1]!)) : 0);
  return {
    kind: 'tree',
    width: W,
    height: H,
    title: 'The simple rule tree, with this case\'s path',
    description: `A decision tree of depth ${depthOf(0)} with ${count(leavesUnder(0), 'leaf', 'leaves')} that imitates the model${full ? '' : ' (only the branches on this case\'s path are opened)'}. Each box shows the test a case passes to get there, the rule's score and the number of cases. This case's path, highlighted: ${s.rule.length ? s.rule.map(conditionText).join(', then ') : 'all cases'}, ending at a score of ${scoreText(leaf.value, header.scoreIsProbability, header.scoreUnit)}.`,
    shapes,
  };
}

const r2 = (v: number) => String(Math.round(v * 100) / 100);

function inkClasses(fill: Ink | undefined, stroke: Ink | undefined): string {
  const c = [fill ? `rr-f-${fill}` : '', stroke ? `rr-s-${stroke}` : ''].filter(Boolean).join(' ');
  return ` class="${c}"${fill ? ` fill="${INKS[fill].fallback}"` : ' fill="none"'}${stroke ? ` stroke="${INKS[stroke].fallback}"` : ''}`;
}

function shapeSvg(s: Shape): string {
  switch (s.kind) {
    case 'rect':
      return `<rect x="${r2(s.x)}" y="${r2(s.y)}" width="${r2(s.w)}" height="${r2(s.h)}"${s.radius ? ` rx="${s.radius}"` : ''}${inkClasses(s.fill, s.stroke)}${s.stroke ? ` stroke-width="${s.strokeWidth ?? 1}"` : ''}${s.dash ? ' stroke-dasharray="4 3"' : ''}/>`;
    case 'line':
      return `<line x1="${r2(s.x1)}" y1="${r2(s.y1)}" x2="${r2(s.x2)}" y2="${r2(s.y2)}"${inkClasses(undefined, s.stroke)} stroke-width="${s.strokeWidth}"${s.dash ? ' stroke-dasharray="4 3"' : ''}/>`;
    case 'polyline':
      return `<polyline points="${s.points.map(([x, y]) => `${r2(x)},${r2(y)}`).join(' ')}"${inkClasses(undefined, s.stroke)} stroke-width="${s.strokeWidth}" stroke-linejoin="round"/>`;
    case 'circle':
      return `<circle cx="${r2(s.cx)}" cy="${r2(s.cy)}" r="${s.r}"${inkClasses(s.fill, s.stroke)}/>`;
    case 'text':
      return `<text x="${r2(s.x)}" y="${r2(s.y)}" font-size="${s.size}" text-anchor="${s.anchor}"${s.bold ? ' font-weight="bold"' : ''}${inkClasses(s.ink, undefined)}>${escapeHtml(s.text)}</text>`;
  }
}

/**
 * The chart as an inline SVG element (no XML namespace needed inside HTML, no external reference of any
 * kind), with its title and description as the text alternative. `id` must be unique in the page.
 */
export function chartSvg(chart: Chart, id: string): string {
  const safe = id.replace(/[^A-Za-z0-9_-]/g, '-');
  return (
    `<svg class="rr-chart" viewBox="0 0 ${chart.width} ${chart.height}" width="${chart.width}" height="${chart.height}" role="img" aria-labelledby="${safe}-title ${safe}-desc" font-family="Helvetica, Arial, sans-serif">` +
    `<title id="${safe}-title">${escapeHtml(chart.title)}</title><desc id="${safe}-desc">${escapeHtml(chart.description)}</desc>` +
    chart.shapes.map(shapeSvg).join('') +
    '</svg>'
  );
}

/** The stylesheet that themes the charts: every ink as its VS Code variable with the fallback colour. */
export const CHART_CSS: string = [
  '.rr-chart{max-width:100%;height:auto;font-family:var(--vscode-font-family,Helvetica,Arial,sans-serif)}',
  ...Object.entries(INKS).map(([ink, { variable, fallback }]) => `.rr-f-${ink}{fill:var(${variable},${fallback})}.rr-s-${ink}{stroke:var(${variable},${fallback})}`),
].join('\n');
