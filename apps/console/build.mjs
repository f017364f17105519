#!/usr/bin/env node
/**
 * Builds the operators' console into `dist/console/` (git-ignored): one bundled script (Preact, uPlot and
 * the bpmn-js viewer included, so nothing is fetched from a CDN), the style sheets and the page. Run by
 * `npm run build`, so `npm start` and `npm test` build it on a fresh clone. `--dev` skips minification.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCE = path.join(ROOT, 'apps', 'console', 'src');
const OUT = path.join(ROOT, 'dist', 'console');

mkdirSync(OUT, { recursive: true });
await build({
  entryPoints: [path.join(SOURCE, 'main.tsx')],
  bundle: true,
  outfile: path.join(OUT, 'console.js'),
  format: 'esm',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: !process.argv.includes('--dev'),
  sourcemap: true,
  logLevel: 'warning',
});
const assets = {
  'index.html': path.join(SOURCE, 'index.html'),
  'console.css': path.join(SOURCE, 'console.css'),
  'uplot.css': path.join(ROOT, 'node_modules', 'uplot', 'dist', 'uPlot.min.css'),
  'diagram-js.css': path.join(ROOT, 'node_modules', 'bpmn-js', 'dist', 'assets', 'diagram-js.css'),
  'bpmn-js.css': path.join(ROOT, 'node_modules', 'bpmn-js', 'dist', 'assets', 'bpmn-js.css'),
};
for (const [name, from] of Object.entries(assets)) copyFileSync(from, path.join(OUT, name));
