// Bundles the server and CLI (src/) into dist/cli/: main.js (the `umhooks` command), server.js
// (loaded by `serve` only) and the chunks they share or load on demand (the SQLite and PostgreSQL
// stores, the sandbox's REST app...). A few files instead of ~180 modules: Node's ES module
// loader resolves, reads and links each file, and that was a large part of the start-up (see the
// README's "Start-up" and `npm run bench -- startup`). tsc only type-checks bin-server and writes
// its declarations (dist/types/, for the tests' project references).
//
// Every dependency stays external (packages: 'external'), @umhooks/core included: npm installs
// them, and the native ones (better-sqlite3) cannot be bundled anyway.
// All outputs sit in dist/cli/, two levels below the package like src/<folder>/*.ts: the modules
// that find package.json and dist/ui/ from their own URL (api/version.ts, cli/options.ts,
// ui-server/files.ts) resolve the same files from both.
// Unminified, so a stack trace names the functions and readable lines of dist/cli/*.js. Source maps
// (sources inside) ship beside them: `node --enable-source-maps` (or NODE_OPTIONS) maps traces to
// src/…/*.ts. Not on by default: reading and parsing the maps at each start measured ~7% of it.
import { build } from 'esbuild';
import console from 'node:console';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distDir = path.join(packageDir, 'dist');
const outdir = path.join(distDir, 'cli');

// What earlier builds left in dist/ (the bundle, or tsc's module-per-file output from before
// bundling) would be packed with the new files: everything but the UI and tsc's declarations goes.
fs.mkdirSync(distDir, { recursive: true });
for (const entry of fs.readdirSync(distDir, { withFileTypes: true })) {
  if (entry.name.startsWith('.') || ['ui', 'types'].includes(entry.name)) continue;
  fs.rmSync(path.join(distDir, entry.name), { recursive: true, force: true });
}

const result = await build({
  absWorkingDir: packageDir,
  entryPoints: { main: 'src/cli/main.ts', server: 'src/server.ts' },
  outdir,
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js'));
const bytes = outputs.reduce((sum, file) => sum + result.metafile.outputs[file].bytes, 0);
const inputs = Object.keys(result.metafile.inputs).length;
console.log(
  `bundled ${path.relative(process.cwd(), outdir)}: ${outputs.length} files, ${(bytes / 1024).toFixed(0)} KiB from ${inputs} modules`,
);
