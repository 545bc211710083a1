/**
 * Per-feature curves as small multiples: one small panel per feature, all on one score scale, each with
 * the band cut points drawn across it and the case's own value marked. The same panel geometry makes
 * the panel's one-chart-per-feature view (`curveChart`, with an optional keyboard cursor) and the
 * documents' one chart of every feature (`curvesChart`). Geometry only, as in charts.ts.
 */
import { fitText, type Chart, type Ink, type Shape } from './charts';
import { featureValueText, percent, plainNumber, scoreText, wordList } from './format';
import type { CurvesSection, FeatureCurve } from '../recourse/types';

export interface ScoreRange {
  readonly lo: number;
  readonly hi: number;
}

/**
 * The span of every curve's scores, the case's own and every band cut point, padded by a twentieth: one
 * scale for all panels, so that they compare by eye and each shows where the bands change.
 */
export function sharedRange(section: CurvesSection, caseScore: number): ScoreRange {
  let lo = caseScore;
  let hi = caseScore;
  const scores = [...section.curves.flatMap((c) => c.points.map((p) => p.score)), ...section.bands.flatMap((b) => (b.below === undefined ? [] : [b.below]))];
  for (const s of scores) {
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.05;
  return { lo: lo - pad, hi: hi + pad };
}

/** A curve's value as people read it: a category's name, or the number. */
export function curveValueText(curve: FeatureCurve, v: number): string {
  return featureValueText(v, curve.categories);
}

/** Short score text for an axis: "25%", or a total. */
function axisScore(s: number, isProbability: boolean): string {
  return isProbability ? percent(s, 0) : plainNumber(s, 1);
}

export interface PanelBox {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/**
 * One feature's panel inside `box`: title, band cut points (dashed, labelled on the left), the curve
 * (dots for every value; steps held to the next threshold; a line), the case's value (a dashed line
 * down and a dot), and, with `cursor`, a ring on that point and its value and score.
 */
export function curvePanelShapes(curve: FeatureCurve, section: CurvesSection, caseScore: number, isProbability: boolean, range: ScoreRange, box: PanelBox, cursor?: number): Shape[] {
  const shapes: Shape[] = [];
  const dynamic = curve.riskFactor === 'dynamic';
  const left = box.x + 34;
  const right = box.x + box.w - 10;
  const top = box.y + 30;
  const bottom = box.y + box.h - 20;
  const pts = curve.points;
  const v0 = pts.length ? pts[0].value : 0;
  const v1 = pts.length ? Math.max(curve.end, pts[pts.length - 1].value) : 1;
  const sx = (v: number) => (v1 > v0 ? left + ((v - v0) / (v1 - v0)) * (right - left) : (left + right) / 2);
  const sy = (s: number) => bottom - ((s - range.lo) / (range.hi - range.lo)) * (bottom - top);
  const ink: Ink = dynamic ? 'everyone' : 'axis';

  shapes.push({ kind: 'text', x: box.x + 2, y: box.y + 13, text: fitText(curve.label, 11, box.w - 70), size: 11, anchor: 'start', ink: 'text', bold: dynamic });
  shapes.push({ kind: 'text', x: box.x + box.w - 4, y: box.y + 13, text: curve.riskFactor, size: 9, anchor: 'end', ink: 'muted' });
  shapes.push({ kind: 'line', x1: left, y1: bottom, x2: right, y2: bottom, stroke: 'axis', strokeWidth: 1 });
  const edges = section.bands.filter((b) => b.below !== undefined && b.below > range.lo && b.below < range.hi).map((b) => b.below as number);
  for (const e of edges) {
    shapes.push({ kind: 'line', x1: left, y1: sy(e), x2: right, y2: sy(e), stroke: 'muted', strokeWidth: 1, dash: true });
    shapes.push({ kind: 'text', x: left - 4, y: sy(e) + 3.5, text: axisScore(e, isProbability), size: 9, anchor: 'end', ink: 'muted' });
  }
  if (edges.length === 0) {
    for (const s of [range.lo, range.hi]) shapes.push({ kind: 'text', x: left - 4, y: sy(s) + 3.5, text: axisScore(s, isProbability), size: 9, anchor: 'end', ink: 'muted' });
  }

  if (curve.shape === 'steps') {
    const path: [number, number][] = [];
    pts.forEach((p, k) => {
      const next = k + 1 < pts.length ? pts[k + 1].value : v1;
      path.push([sx(p.value), sy(p.score)], [sx(next), sy(p.score)]);
    });
    if (path.length) shapes.push({ kind: 'polyline', points: path, stroke: ink, strokeWidth: 1.75 });
  } else {
    if (pts.length > 1 && !curve.categories) shapes.push({ kind: 'polyline', points: pts.map((p) => [sx(p.value), sy(p.score)] as [number, number]), stroke: ink, strokeWidth: curve.shape === 'line' ? 1.75 : 1 });
    if (curve.shape === 'points') for (const p of pts) shapes.push({ kind: 'circle', cx: sx(p.value), cy: sy(p.score), r: 2.5, fill: ink });
  }

  if (pts.length) {
    const ends = [pts[0].value, v1];
    ends.forEach((v, k) => shapes.push({ kind: 'text', x: k ? right : left, y: bottom + 13, text: fitText(curveValueText(curve, v), 9, (right - left) / 2 - 4), size: 9, anchor: k ? 'end' : 'start', ink: 'muted' }));
  }
  if (curve.caseValue !== null) {
    const cx = sx(curve.caseValue);
    shapes.push({ kind: 'line', x1: cx, y1: top - 4, x2: cx, y2: bottom, stroke: 'mark', strokeWidth: 1.25, dash: true });
    shapes.push({ kind: 'circle', cx, cy: sy(caseScore), r: 3.5, fill: 'mark' });
  } else {
    shapes.push({ kind: 'text', x: right, y: top - 6, text: 'this case: missing', size: 9, anchor: 'end', ink: 'mark', bold: true });
  }
  if (cursor !== undefined && pts[cursor]) {
    const p = pts[cursor];
    shapes.push({ kind: 'circle', cx: sx(p.value), cy: sy(p.score), r: 5.5, fill: 'box', stroke: 'path' });
    shapes.push({ kind: 'circle', cx: sx(p.value), cy: sy(p.score), r: 2.5, fill: 'path' });
    shapes.push({ kind: 'text', x: left, y: top - 6, text: fitText(`${curveValueText(curve, p.value)}: ${scoreText(p.score, isProbability)}`, 9, right - left), size: 9, anchor: 'start', ink: 'text', bold: true });
  }
  return shapes;
}

/** The lowest and highest score along a curve, with the first value that gives each. */
export function curveExtremes(curve: FeatureCurve): { readonly low: { value: number; score: number }; readonly high: { value: number; score: number } } | null {
  if (!curve.points.length) return null;
  let low = curve.points[0];
  let high = curve.points[0];
  for (const p of curve.points) {
    if (p.score < low.score) low = p;
    if (p.score > high.score) high = p;
  }
  return { low, high };
}

/** One curve in words, for text alternatives: "Substance use (can change; this case 3): from 31% at 0 to 52% at 3." */
export function curveSentence(curve: FeatureCurve, isProbability: boolean): string {
  const who = `${curve.label} (${curve.riskFactor}; this case ${curve.caseValueText})`;
  const ext = curveExtremes(curve);
  if (!ext) return `${who}: no values to sweep.`;
  if (ext.low.score === ext.high.score) return `${who}: the score stays at ${scoreText(ext.low.score, isProbability)} across its values.`;
  return `${who}: from ${scoreText(ext.low.score, isProbability)} at ${curveValueText(curve, ext.low.value)} to ${scoreText(ext.high.score, isProbability)} at ${curveValueText(curve, ext.high.value)}.`;
}

const PANEL = { w: 212, h: 124 } as const;

/** One feature's curve as its own chart (the panel's small multiples share `range`). */
export function curveChart(curve: FeatureCurve, section: CurvesSection, caseScore: number, isProbability: boolean, range: ScoreRange, cursor?: number): Chart {
  return {
    kind: 'curve',
    width: PANEL.w,
    height: PANEL.h,
    title: `The score as ${curve.label} changes`,
    description: `${curveSentence(curve, isProbability)} The other features are held at this case's values; dashed lines are the band cut points${curve.caseValue === null ? '' : ', and a dashed line with a dot marks this case'}.`,
    shapes: curvePanelShapes(curve, section, caseScore, isProbability, range, { x: 0, y: 0, ...PANEL }, cursor),
  };
}

/** Every feature's curve in one chart, three panels a row, for the documents. */
export function curvesChart(section: CurvesSection, caseScore: number, isProbability: boolean): Chart {
  const range = sharedRange(section, caseScore);
  const perRow = 3;
  const shapes = section.curves.flatMap((c, k) => curvePanelShapes(c, section, caseScore, isProbability, range, { x: (k % perRow) * (PANEL.w + 2), y: Math.floor(k / perRow) * (PANEL.h + 6), ...PANEL }));
  const edges = section.bands.filter((b) => b.below !== undefined).map((b) => scoreText(b.below as number, isProbability));
  return {
    kind: 'curves',
    width: perRow * (PANEL.w + 2),
    height: Math.ceil(section.curves.length / perRow) * (PANEL.h + 6),
    title: 'How the score changes with each feature',
    description: `One panel per feature: the score as that feature takes each of its values, the others held at this case's. Dashed lines across are the band cut points (${wordList(edges, 'and')}); a dashed line down with a dot marks this case. ${section.curves.map((c) => curveSentence(c, isProbability)).join(' ')}`,
    shapes,
  };
}

/** The band a score falls in, by the section's cut points (as models/score.ts `bandOf`, for the browser). */
export function bandAt(section: CurvesSection, score: number): string {
  return (section.bands.find((b) => b.below === undefined || score < b.below) ?? section.bands[section.bands.length - 1]).label;
}

/**
 * Where a keyboard cursor along a curve's points goes for a key: ← → one point, Home / End the ends;
 * `undefined` for a key it does not use. With no cursor yet, any of them starts at the case's own point.
 */
export function cursorAfter(key: string, cursor: number | null, curve: FeatureCurve): number | undefined {
  const last = curve.points.length - 1;
  if (last < 0) return undefined;
  const own = Math.max(0, curve.points.findIndex((p) => p.value === curve.caseValue));
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return cursor === null ? own : Math.max(0, cursor - 1);
    case 'ArrowRight':
    case 'ArrowUp':
      return cursor === null ? own : Math.min(last, cursor + 1);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return undefined;
  }
}
