// Bundles Risk Review: the extension host (Node, CommonJS, `vscode` external), its engine worker, the
// `risk-review` CLI, and the webview (browser, ESM). `node esbuild.mjs --watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { compileSchemas } from './scripts/compile-schemas.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

compileSchemas();

// The PDF summaries' typeface, read at run time from dist/fonts/ beside the bundles
// (extension/engine/report/fonts.ts names the same two files): DejaVu Sans Condensed, Book and Bold,
// from the npm package dejavu-fonts-ttf, with the licence that lets us redistribute them.
const fonts = dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'));
mkdirSync('dist/fonts', { recursive: true });
for (const file of ['ttf/DejaVuSansCondensed.ttf', 'ttf/DejaVuSansCondensed-Bold.ttf', 'LICENSE']) copyFileSync(join(fonts, file), join('dist/fonts', basename(file)));

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  define: { 'process.env.RISK_REVIEW_VERSION': JSON.stringify(pkg.version) },
};

// pdfkit (0.20) loads its standard-font metrics at run time with require('#standard-fonts/…') through
// createRequire(import.meta.url), and resolves a colour profile against import.meta.url; neither exists
// in a CommonJS bundle. Rewrite both so the metrics are bundled and nothing is looked up beside dist/.
const pdfkitFonts = {
  name: 'pdfkit-fonts',
  setup(build) {
    build.onLoad({ filter: /[\\/]pdfkit[\\/]js[\\/]pdfkit\.node\.mjs$/ }, (args) => {
      const contents = readFileSync(args.path, 'utf8')
        .replace(/require\$1\('#standard-fonts\/(\w+)'\)/g, "require('./standard-fonts/$1.cjs')")
        .replace('const require$1 = createRequire(import.meta.url);', '')
        .replace("new URL('./data/sRGB_IEC61966_2_1.icc', import.meta.url).href", "'data/sRGB_IEC61966_2_1.icc'");
      if (contents.includes('import.meta.url')) throw new Error('pdfkit changed: update the pdfkit-fonts plugin in esbuild.mjs');
      return { contents, loader: 'js' };
    });
  },
};

const node = { ...common, platform: 'node', format: 'cjs', target: 'node18', external: ['vscode'], plugins: [pdfkitFonts] };

export const builds = [
  { ...node, entryPoints: { extension: 'extension/host/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'extension/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  // Worker threads of explainAll (TreeSHAP over many cases), found beside the bundle that starts them.
  { ...node, entryPoints: { 'explain-worker': 'extension/engine/explain/worker.ts' }, outdir: 'dist' },
  // Worker threads that read parts of a large case file (extension/engine/data/csv-parallel.ts).
  { ...node, entryPoints: { 'csv-worker': 'extension/engine/data/csv-worker.ts' }, outdir: 'dist' },
  // The extension host's engine worker: holds the open review and answers the panel's requests (extension/host/worker.ts).
  { ...node, entryPoints: { worker: 'extension/host/worker.ts' }, outdir: 'dist' },
  {
    ...common,
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  },
];

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
  console.log('watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
