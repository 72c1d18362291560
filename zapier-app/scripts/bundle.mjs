// Bundles the app for Zapier: dist/index.js = tsc's output (dist/tsc/) with @umhooks/core and its
// dependencies inlined, so the zip carries the exact core this repository tested (Zapier's build
// installs dependencies from the registry, where a workspace change may not be published yet).
// core's package.json says "sideEffects": false, so the parts the app does not use (the delivery
// engine and its HTTP client) are dropped from the bundle.
// zapier-platform-core stays external: Zapier's wrapper imports it from the zip's node_modules.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import console from 'node:console';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(appDir, 'dist/tsc/index.js');
const outfile = path.join(appDir, 'dist/index.js');

if (!fs.existsSync(entry)) {
  console.error(
    `${path.relative(process.cwd(), entry)} is missing: run "npx tsc -b zapier-app" first.`,
  );
  process.exit(1);
}

const result = await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  // Zapier runs core 19 apps on Node 22; Node 20 (tests here) understands the same output.
  target: 'node20',
  external: ['zapier-platform-core'],
  // CommonJS dependencies that call require() need it inside an ES module.
  banner: {
    js: "import { createRequire as __umhooksCreateRequire } from 'node:module'; const require = __umhooksCreateRequire(import.meta.url);",
  },
  sourcemap: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

const bytes = fs.statSync(outfile).size;
const inputs = Object.keys(result.metafile.inputs).length;
console.log(
  `bundled ${path.relative(process.cwd(), outfile)}: ${(bytes / 1024).toFixed(0)} KiB from ${inputs} files`,
);
