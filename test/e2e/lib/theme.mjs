// Whether the review panel wears VS Code's colour theme: read inside the webview frame, judged here.
//
// VS Code hands a webview its theme as `--vscode-*` CSS variables on <html> and a class on <body>
// (`vscode-light`, `vscode-dark`, `vscode-high-contrast`, `vscode-high-contrast-light`). A panel that
// follows the theme paints its page and every chart mark with those variables' colours; one that hard-codes
// a colour shows it in every theme, where it may vanish. Contrast is WCAG 2's: relative luminance,
// (L1 + 0.05) / (L2 + 0.05); 4.5:1 for text (1.4.3) and 3:1 for the marks a chart is read by (1.4.11).

export const TEXT_CONTRAST = 4.5;
export const MARK_CONTRAST = 3;

/** [r, g, b, a] (0–255, alpha 0–1) of `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb()` or `rgba()`; null otherwise. */
export function parseColour(text) {
  const s = String(text ?? '').trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(s);
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
    return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)).concat(h.length === 8 ? parseInt(h.slice(6), 16) / 255 : 1);
  }
  const fn = /^rgba?\(([^)]*)\)$/i.exec(s);
  if (!fn) return null;
  const parts = fn[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  if (parts.length < 3 || parts.some(Number.isNaN)) return null;
  return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
}

/** `top` painted over the opaque `under` (source-over). */
export function over(top, under) {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
}

export function luminance([r, g, b]) {
  const lin = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const sameColour = (a, b) => !!a && !!b && [0, 1, 2].every((i) => Math.abs(a[i] - b[i]) <= 1) && Math.abs(a[3] - b[3]) <= 0.01;

/** The opaque colour the layers make, outermost first, over a white canvas. */
const composite = (layers) => layers.map(parseColour).reduce((under, c) => over(c, under), [255, 255, 255, 1]);

/**
 * What the panel looks like in the current theme, read in the webview: the theme's kind and name, its
 * `--vscode-*` colours, the page's colours, the variable each chart ink class paints with (from the
 * stylesheets), every chart mark (its paint and what lies behind it), and every piece of the page's own
 * text (its colour and what lies behind it). Colours as the browser computed them.
 */
export function readLook(frame) {
  return frame.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('2d');
    // The canvas writes any CSS colour as #rrggbb or rgba(…), which the test can parse.
    const normal = (v) => { ctx.fillStyle = '#000'; ctx.fillStyle = v; return ctx.fillStyle; };
    const vars = {};
    for (const name of document.documentElement.style) {
      const value = document.documentElement.style.getPropertyValue(name).trim();
      if (name.startsWith('--vscode-') && CSS.supports('color', value)) vars[name] = normal(value);
    }
    // `.rr-f-raise{fill:var(--vscode-charts-red,#c0392b)}`: ink class → the variable it paints with.
    const inks = {};
    for (const sheet of [...document.styleSheets, ...document.adoptedStyleSheets]) {
      let rules = [];
      try { rules = [...sheet.cssRules]; } catch { /* a sheet from another origin keeps its rules to itself */ }
      for (const rule of rules) {
        const ink = /^\.(rr-[fs]-\w+)$/.exec(rule.selectorText ?? '');
        const variable = /var\((--vscode-[\w-]+)/.exec(rule.style?.getPropertyValue(ink?.[1].startsWith('rr-f-') ? 'fill' : 'stroke') ?? '');
        if (ink && variable) inks[ink[1]] = variable[1];
      }
    }
    const clear = (c) => !c || c === 'transparent' || c === 'rgba(0, 0, 0, 0)';
    /** The background colours behind `el`, outermost first. */
    const backdrop = (el) => {
      const layers = [];
      for (let n = el instanceof SVGElement ? el.ownerSVGElement : el; n; n = n.parentElement) {
        const bg = getComputedStyle(n).backgroundColor;
        if (!clear(bg)) layers.unshift(bg);
      }
      return layers;
    };
    const charts = [];
    for (const svg of document.querySelectorAll('[data-testid] svg')) {
      const chart = svg.closest('[data-testid]').dataset.testid;
      const shapes = [...svg.querySelectorAll('rect, line, polyline, circle, text')];
      shapes.forEach((el, k) => {
        const cs = getComputedStyle(el);
        const layers = backdrop(el);
        // A mark drawn over a filled rectangle of the chart (a tree box) is read against that box.
        const b = el.getBBox();
        const [cx, cy] = [b.x + b.width / 2, b.y + b.height / 2];
        const under = shapes.slice(0, k).filter((r) => {
          if (r.tagName !== 'rect' || clear(getComputedStyle(r).fill) || getComputedStyle(r).fill === 'none') return false;
          const rb = r.getBBox();
          return cx >= rb.x && cx <= rb.x + rb.width && cy >= rb.y && cy <= rb.y + rb.height;
        });
        if (under.length) layers.push(getComputedStyle(under[under.length - 1]).fill);
        charts.push({ chart, tag: el.tagName, classes: el.getAttribute('class') ?? '', text: el.tagName === 'text' ? el.textContent : null, fill: cs.fill, stroke: cs.stroke, strokeWidth: parseFloat(cs.strokeWidth), backdrop: layers });
      });
    }
    // The page's own text (the toolkit's components draw theirs in their shadow roots, from the same variables).
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const el = t.parentElement;
      if (!t.textContent.trim() || !el || el.closest('svg, script, style, title, [hidden]') || el.closest('*:is(vscode-button, vscode-text-field, vscode-text-area, vscode-dropdown, vscode-option, vscode-radio, vscode-radio-group, vscode-progress-ring, vscode-checkbox)')) continue;
      if (!el.getClientRects().length) continue; // not laid out (a closed section)
      texts.push({ text: t.textContent.trim().slice(0, 60), tag: el.tagName.toLowerCase(), classes: el.className || '', color: getComputedStyle(el).color, backdrop: backdrop(el) });
    }
    const body = getComputedStyle(document.body);
    return {
      kind: document.body.dataset.vscodeThemeKind,
      name: document.body.dataset.vscodeThemeName,
      highContrast: document.body.classList.contains('vscode-high-contrast'),
      vars,
      inks,
      background: body.backgroundColor,
      foreground: body.color,
      charts,
      texts,
    };
  });
}

// Chart inks that are not read on their own: the grid, and a tree box's fill (its text and outline are).
const DECORATIVE = { fill: /\brr-f-(grid|box)\b/, stroke: /\brr-s-grid\b/ };

/**
 * Everything about `look` that does not follow the theme, as sentences (empty when all is well):
 * - the page's background and text are `--vscode-editor-background` and `--vscode-foreground`;
 * - every chart mark is painted with the colour of the `--vscode-*` variable its ink class names (no fixed
 *   colour, no fallback);
 * - chart text and the page's text reach 4.5:1 against what lies behind them, chart marks 3:1;
 * - in a high-contrast theme every bar is outlined with `--vscode-contrastBorder`.
 */
export function themeProblems(look) {
  const problems = [];
  const vars = Object.fromEntries(Object.entries(look.vars).map(([k, v]) => [k, parseColour(v)]));
  const expect = (what, shown, variable) => {
    if (!vars[variable]) problems.push(`the theme gives no ${variable}`);
    else if (!sameColour(parseColour(shown), vars[variable])) problems.push(`${what} is ${shown}, not ${variable} (${look.vars[variable]})`);
  };
  expect('the page background', look.background, '--vscode-editor-background');
  expect('the page text', look.foreground, '--vscode-foreground');

  for (const m of look.charts) {
    const behind = composite(m.backdrop);
    const label = `${m.chart} ${m.tag}${m.text ? ` "${m.text}"` : ''} (${m.classes || 'no class'})`;
    for (const prop of m.tag === 'text' ? ['fill'] : ['fill', 'stroke']) {
      const paint = m[prop];
      if (!paint || paint === 'none' || (prop === 'fill' && /^(line|polyline)$/.test(m.tag))) continue;
      const c = parseColour(paint);
      if (!c) {
        problems.push(`${label}: ${prop} ${paint} is not a colour`);
        continue;
      }
      const ink = new RegExp(`\\b(rr-${prop[0]}-\\w+)\\b`).exec(m.classes)?.[1];
      const outline = look.highContrast && prop === 'stroke' && m.tag === 'rect' && /\brr-f-(raise|lower)\b/.test(m.classes); // checked below
      if (!ink && !outline) problems.push(`${label}: ${prop} ${paint} comes from no ink class`);
      else if (ink && !look.inks[ink]) problems.push(`${label}: no stylesheet rule paints ${ink} with a theme variable`);
      else if (ink) expect(`${label}'s ${prop}`, paint, look.inks[ink]);
      if (DECORATIVE[prop].test(m.classes)) continue;
      const need = m.tag === 'text' ? TEXT_CONTRAST : MARK_CONTRAST;
      const ratio = contrast(over(c, behind), behind);
      if (ratio < need) problems.push(`${label}: ${prop} ${paint} on ${m.backdrop.at(-1)} has contrast ${ratio.toFixed(2)}:1 (< ${need}:1)`);
    }
    if (look.highContrast && m.tag === 'rect' && /\brr-f-(raise|lower)\b/.test(m.classes)) {
      if (!(m.strokeWidth >= 1)) problems.push(`${label}: no outline in a high-contrast theme`);
      else expect(`${label}'s outline`, m.stroke, '--vscode-contrastBorder');
    }
  }

  for (const t of look.texts) {
    const behind = composite(t.backdrop);
    const ratio = contrast(over(parseColour(t.color), behind), behind);
    if (ratio < TEXT_CONTRAST) problems.push(`text "${t.text}" (${t.tag}.${t.classes}) ${t.color} on ${t.backdrop.at(-1)} has contrast ${ratio.toFixed(2)}:1 (< ${TEXT_CONTRAST}:1)`);
  }
  return problems;
}
