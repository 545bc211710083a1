/**
 * Charts: well-formed SVG (parsed as strict XML), a text alternative wired with aria-labelledby, only
 * drawing elements (nothing that can load or run anything), data strings escaped, and geometry that
 * says what the numbers say.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sax from 'sax';
import { CHART_CSS, chartSvg, reliabilityChart, treeChart, waterfallChart, type Chart, type Shape } from '../../extension/engine/report/charts';
import { effectScale } from '../../extension/engine/report/drivers';
import { curveChart, curvesChart, sharedRange } from '../../extension/engine/report/curveCharts';
import { sampleSummary } from './report-sample';

interface Parsed {
  readonly tags: string[];
  readonly attrs: Record<string, string>[];
  readonly texts: Map<string, string>;
}

/** Parses an SVG string as strict XML (throws on anything malformed); texts by element id. */
function parseSvg(svg: string): Parsed {
  const p = sax.parser(true, {});
  const tags: string[] = [];
  const attrs: Record<string, string>[] = [];
  const texts = new Map<string, string>();
  const stack: string[] = [];
  p.onerror = (e) => {
    throw e;
  };
  p.onopentag = (node) => {
    tags.push(node.name);
    const a = node.attributes as Record<string, string>;
    attrs.push(a);
    stack.push(a.id ?? '');
  };
  p.onclosetag = () => void stack.pop();
  p.ontext = (t) => {
    const id = stack[stack.length - 1];
    if (id) texts.set(id, (texts.get(id) ?? '') + t);
  };
  p.write(svg).close();
  return { tags, attrs, texts };
}

const DRAWING = new Set(['svg', 'title', 'desc', 'rect', 'line', 'polyline', 'circle', 'text']);

function checkSvg(chart: Chart, id: string): Parsed {
  const svg = chartSvg(chart, id);
  const parsed = parseSvg(svg);
  assert.equal(parsed.tags[0], 'svg');
  assert.equal(parsed.attrs[0].role, 'img');
  const [titleId, descId] = parsed.attrs[0]['aria-labelledby'].split(' ');
  assert.equal(parsed.texts.get(titleId), chart.title);
  assert.equal(parsed.texts.get(descId), chart.description);
  assert.ok(chart.description.length > 40);
  for (const t of parsed.tags) assert.ok(DRAWING.has(t), `unexpected element <${t}>`);
  for (const a of parsed.attrs) {
    for (const [k, v] of Object.entries(a)) {
      assert.ok(!/^on|href|src|style/i.test(k), `attribute ${k}`);
      assert.ok(!/url\(|https?:|javascript:/i.test(v), `${k}="${v}"`);
    }
  }
  return parsed;
}

const rects = (c: Chart) => c.shapes.filter((s): s is Extract<Shape, { kind: 'rect' }> => s.kind === 'rect');

test('every chart is well-formed SVG with its text alternative, also with hostile labels', () => {
  for (const s of [sampleSummary(), sampleSummary({ featureLabel: '<script>alert(1)</script>', group: '"><img src=x onerror=alert(1)>', caseId: ']]><x/>' })]) {
    checkSvg(waterfallChart(s.attribution!, s.header), 'w');
    checkSvg(reliabilityChart(s.calibration!, s.calibration!.groups[0], s.header.score), 'r');
    checkSvg(reliabilityChart(s.calibration!, null, s.header.score), 'r2');
    checkSvg(treeChart(s.surrogate!, s.header), 't');
  }
  const hostile = sampleSummary({ featureLabel: '<script>alert(1)</script>' });
  const svg = chartSvg(waterfallChart(hostile.attribution!, hostile.header), 'w');
  assert.ok(!svg.includes('<script'));
  assert.ok(svg.includes('&lt;script&gt;'));
  assert.match(chartSvg(waterfallChart(hostile.attribution!, hostile.header), 'a b"c').slice(0, 300), /aria-labelledby="a-b-c-title a-b-c-desc"/);
});

test('the waterfall chains its bars from the base to the score, largest first, the rest folded', () => {
  const s = sampleSummary();
  const chart = waterfallChart(s.attribution!, s.header, 8);
  const scale = effectScale(s.attribution!, s.header);
  const bars = rects(chart);
  assert.equal(bars.length, 8);
  // The two marker lines sit at the base and at the score; the bars start at one and end at the other.
  const markers = chart.shapes.filter((x): x is Extract<Shape, { kind: 'line' }> => x.kind === 'line' && (x.stroke === 'mark' || x.dash === true));
  const baseX = markers.find((m) => m.dash)!.x1;
  const endX = markers.find((m) => m.stroke === 'mark')!.x1;
  let x = baseX;
  for (const b of bars) {
    const up = b.fill === 'raise';
    const from = up ? b.x : b.x + b.w;
    assert.ok(Math.abs(from - x) < 1e-6 || b.w === 1, `bar starts at ${from}, expected ${x}`);
    x = up ? b.x + b.w : b.x;
  }
  assert.ok(Math.abs(x - endX) < 1.01, `${x} vs ${endX}`);
  const widths = bars.slice(0, 7).map((b) => b.w);
  for (let k = 1; k < widths.length; k++) assert.ok(widths[k - 1] >= widths[k] - 1e-9);
  assert.match(chart.description, /5 other features: -0\.3/);
  assert.equal(scale.unit, 'probability points');
});

test('the reliability diagram draws one point per bin and marks the case', () => {
  const s = sampleSummary();
  const c = s.calibration!;
  const chart = reliabilityChart(c, c.groups[0], s.header.score);
  const dots = chart.shapes.filter((x) => x.kind === 'circle' && (x.fill === 'group' || x.fill === 'everyone'));
  // Bins of both curves, plus one legend dot each.
  assert.equal(dots.length, c.groups[0].curve.bins.length + c.everyone.bins.length + 2);
  const mark = chart.shapes.find((x): x is Extract<Shape, { kind: 'line' }> => x.kind === 'line' && x.stroke === 'mark')!;
  assert.equal(mark.x1, 56 + s.header.score * 300);
  assert.match(chart.description, /62\.3%/);
});

test('the tree highlights exactly the case\'s path, and folds a large tree to it', () => {
  const s = sampleSummary();
  const chart = treeChart(s.surrogate!, s.header);
  assert.equal(rects(chart).length, s.surrogate!.nodes.length);
  assert.equal(rects(chart).filter((r) => r.stroke === 'path').length, s.surrogate!.path.length);
  // A full binary tree of depth 4 (16 leaves) shows the path and the branches off it: 1 + 2·4 boxes.
  const nodes = Array.from({ length: 31 }, (_, i) => ({ value: 0.5, n: 10, children: (i < 15 ? [2 * i + 1, 2 * i + 2] : []) as [number, number] | [] , condition: i === 0 ? undefined : { kind: 'below' as const, feature: 'f', label: 'F', threshold: i, includesMissing: false } }));
  const big = treeChart({ ...s.surrogate!, nodes, path: [0, 2, 5, 12, 25], rule: [] }, s.header);
  assert.equal(rects(big).length, 9);
  // Three branches off the path are subtrees (dashed, folded); the last is a leaf.
  assert.equal(rects(big).filter((r) => r.dash).length, 3);
});

test('the chart stylesheet themes every ink with a VS Code variable and a fallback', () => {
  assert.match(CHART_CSS, /\.rr-f-raise\{fill:var\(--vscode-charts-red,#[0-9a-f]{6}\)\}/);
  assert.match(CHART_CSS, /\.rr-s-path\{stroke:var\(--vscode-focusBorder,#[0-9a-f]{6}\)\}/);
});

test('tree boxes wrap long tests instead of cutting them, and every line sits inside its box', () => {
  const s = sampleSummary();
  const long = (label: string) => ({ kind: 'below' as const, feature: 'f', label, threshold: 15, includesMissing: true });
  const nodes = s.surrogate!.nodes.map((n, i) => (i === 0 ? n : { ...n, condition: long(i % 2 ? 'Age at first referral to the juvenile court' : 'Delinquent peers') }));
  const chart = treeChart({ ...s.surrogate!, nodes }, s.header);
  const texts = chart.shapes.filter((x): x is Extract<Shape, { kind: 'text' }> => x.kind === 'text');
  const boxes = rects(chart);
  assert.ok(texts.some((t) => /Age at first/.test(t.text)), 'the long test is drawn');
  for (const t of texts) {
    assert.doesNotMatch(t.text, /…/, `"${t.text}" was cut`);
    const box = boxes.find((b) => t.x >= b.x && t.x <= b.x + b.w && t.y > b.y && t.y <= b.y + b.h);
    assert.ok(box, `"${t.text}" lies outside every box`);
  }
});

test('curves: well-formed SVG with hostile labels; one scale holding every score and cut point; the case dot at its score, cut lines at the edges, a cursor ring on its point', () => {
  for (const s of [sampleSummary(), sampleSummary({ featureLabel: '<script>alert(1)</script>' })]) {
    const section = s.sensitivity!.curves;
    checkSvg(curvesChart(section, s.header.score, true), 'all');
    const range = sharedRange(section, s.header.score);
    assert.ok(range.lo < 0.25 && range.hi > 0.7, 'the cut points (25%, 50%) and every score are on the scale');
    section.curves.forEach((c, k) => {
      const chart = curveChart(c, section, s.header.score, true, range, 1);
      checkSvg(chart, `c${k}`);
      const dashes = chart.shapes.filter((x): x is Extract<Shape, { kind: 'line' }> => x.kind === 'line' && x.dash === true && x.y1 === x.y2);
      assert.equal(dashes.length, 2, `${c.feature}: a line across for each cut point`);
      const [y25, y50] = dashes.map((d) => d.y1);
      assert.ok(y25 > y50, 'a higher score is higher up');
      const dots = chart.shapes.filter((x): x is Extract<Shape, { kind: 'circle' }> => x.kind === 'circle' && x.fill === 'mark');
      if (c.caseValue === null) assert.equal(dots.length, 0);
      else {
        // The case's dot sits where its score does on the line between the cut points.
        assert.equal(dots.length, 1);
        assert.ok(Math.abs((y25 - dots[0].cy) / (y25 - y50) - (s.header.score - 0.25) / 0.25) < 1e-9, c.feature);
      }
      assert.equal(chart.shapes.filter((x) => x.kind === 'circle' && x.stroke === 'path').length, 1, 'the cursor ring');
    });
  }
});
