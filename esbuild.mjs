// Bundles Risk Review: the extension host (Node, CommonJS, `vscode` external), its engine worker, the
// `risk-review` CLI, and the webview (browser, ESM). `node esbuild.mjs --watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import { compileSchemas } from './scripts/compile-schemas.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

compileSchemas();

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  define: { 'process.env.RISK_REVIEW_VERSION': JSON.stringify(pkg.version) },
};

const node = { ...common, platform: 'node', format: 'cjs', target: 'node18', external: ['vscode'] };

export const builds = [
  { ...node, entryPoints: { extension: 'extension/host/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'extension/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  // Worker threads of explainAll (TreeSHAP over many cases), found beside the bundle that starts them.
  { ...node, entryPoints: { 'explain-worker': 'extension/engine/explain/worker.ts' }, outdir: 'dist' },
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
