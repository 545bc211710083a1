/**
 * The summary as one self-contained HTML file: styles in the page, charts as inline SVG, a print
 * stylesheet, and a Content-Security-Policy that forbids every request (no scripts, no remote fonts,
 * images or styles), so the file reads the same offline and years later and can call nowhere home.
 * Every data string goes through `escapeHtmlText` (element content: isolates as `<bdi>`), or `escapeHtml`
 * in the title.
 */
import { CHART_CSS, chartSvg } from './charts';
import { chartCaption, type Block, type SummaryDocument } from './content';
import { escapeHtml, escapeHtmlText as e } from './escape';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
:root{color-scheme:light}
body{font-family:Helvetica,Arial,system-ui,sans-serif;font-size:15px;line-height:1.5;color:#1f1f1f;background:#fff;margin:0}
main{max-width:800px;margin:0 auto;padding:32px 24px 48px}
h1{font-size:26px;margin:0 0 4px;overflow-wrap:anywhere}
.subtitle{color:#5f5f5f;margin:0 0 24px}
h2{font-size:19px;margin:32px 0 8px;padding-bottom:4px;border-bottom:1px solid #d0d0d0}
p{margin:8px 0}
.muted{color:#5f5f5f;font-size:13px}
.warning{border-left:4px solid #d35400;background:#fdf2e9;padding:8px 12px}
ul{margin:8px 0;padding-left:22px}
li{margin:3px 0}
table{border-collapse:collapse;width:100%;margin:8px 0 12px;font-size:13.5px}
caption{text-align:left;font-style:italic;color:#5f5f5f;padding:4px 0}
th,td{border-bottom:1px solid #e3e3e3;padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
thead th{border-bottom:2px solid #bdbdbd;background:#f5f5f5}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.facts th{width:190px;background:none;font-weight:600}
figure{margin:12px 0}
figcaption{color:#5f5f5f;font-size:13px}
footer{color:#5f5f5f;font-size:12px;margin-top:32px;border-top:1px solid #d0d0d0;padding-top:8px}
${CHART_CSS}
@page{margin:16mm 14mm}
@media print{
  body{font-size:10.5pt}
  main{max-width:none;padding:0}
  h2{break-after:avoid}
  figure,table.facts,tr{break-inside:avoid}
  .warning{background:none}
  thead{display:table-header-group}
}`;

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h2>${e(b.text)}</h2>`;
    case 'paragraph':
      return `<p${b.tone ? ` class="${b.tone}"` : ''}>${e(b.text)}</p>`;
    case 'list':
      return `<ul>\n${b.items.map((i) => `<li>${e(i)}</li>`).join('\n')}\n</ul>`;
    case 'facts':
      return `<table class="facts"><tbody>\n${b.rows.map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v)}</td></tr>`).join('\n')}\n</tbody></table>`;
    case 'table': {
      const cls = (numeric?: boolean) => (numeric ? ' class="num"' : '');
      const head = b.columns.map((c) => `<th scope="col"${cls(c.numeric)}>${e(c.title)}</th>`).join('');
      const rows = b.rows.map((r) => `<tr>${r.map((v, k) => `<td${cls(b.columns[k]?.numeric)}>${e(v)}</td>`).join('')}</tr>`).join('\n');
      return `<table><caption>${e(b.caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
    }
    case 'chart':
      return `<figure>${chartSvg(b.chart, b.id)}<figcaption>${e(chartCaption(b.chart))}</figcaption></figure>`;
  }
}

export function renderHtml(doc: SummaryDocument): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(doc.title)}</title>
<style>${STYLE}
</style>
</head>
<body>
<main>
<h1>${e(doc.title)}</h1>
<p class="subtitle">${e(doc.subtitle)}</p>
${doc.blocks.map(block).join('\n')}
<footer>${e(doc.footer)}</footer>
</main>
</body>
</html>
`;
}
