// Bundles the server and CLI (src/) into dist/cli/: main.js (the `umhooks` command), server.js
// (loaded by `serve` only) and the chunks they share or load on demand (the SQLite and PostgreSQL
// stores, the sandbox's REST app...). A few files instead of ~180 modules of ours and ~400 of the
// dependencies': Node's module loaders resolve, stat, read and link each file, and that was most
// of the start-up (see the README's "Start-up" and `npm run bench -- startup`). tsc only
// type-checks bin-server and writes its declarations (dist/types/, for the tests' project
// references).
//
// The pure-JS dependencies are bundled too: express and its tree, zod, commander, mustache, nanoid,
// picomatch and @umhooks/core (built first by `tsc -b`; it is published on its own for receivers,
// and umhooks ships the same version of it inside the bundle). That halved the CPU time of the
// module loading that was left: about 70 CommonJS files for express alone, 70 ES modules for zod.
// So they are devDependencies of the package: only what stays external is in `dependencies`:
//  - better-sqlite3: a native addon, it cannot be bundled;
//  - pg, ws, undici: each loaded on first use only (a PostgreSQL store, the first /ws viewer, the
//    first standard-profile delivery), so bundling them would not speed up the start; they keep
//    their own install (pg's optional native binding, ws's optional bufferutil).
// zod must be bundled with @umhooks/core, or the two would use two copies of zod.
// The bundled packages' license texts go to dist/cli/THIRD-PARTY-LICENSES.txt (their MIT/ISC/BSD
// licenses require the notice in every copy), and any legal comment in their sources stays at the
// end of the file that holds it.
//
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

/**
 * zod re-exports its ~40 translations of its error messages as `z.locales` (357 KB, a third of
 * the zod and @umhooks/core chunk that every start compiles: ~9 ms of CPU); umhooks uses zod's
 * default English messages only, which zod imports on its own, never `z.locales`. That namespace
 * is left empty in the bundle.
 */
const zodWithoutLocales = {
  name: 'zod-without-locales',
  setup(bundle) {
    const zodDir = `${path.sep}node_modules${path.sep}zod${path.sep}`;
    bundle.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(zodDir) ? { path: 'zod-locales', namespace: 'empty' } : undefined,
    );
    bundle.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};' }));
  },
};

/** Installed by npm as dependencies of the package (see above); everything else is bundled. */
const EXTERNAL = ['better-sqlite3', 'pg', 'ws', 'undici'];

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
  external: EXTERNAL,
  plugins: [zodWithoutLocales],
  // The bundled CommonJS packages require Node's built-in modules: an ES module has no `require`,
  // so each output file makes one (esbuild's require shim uses a `require` in scope).
  banner: {
    js: "import { createRequire as __umhooksCreateRequire } from 'node:module';\nconst require = __umhooksCreateRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
});

writeLicenses(Object.keys(result.metafile.inputs));

const outputs = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js'));
const bytes = outputs.reduce((sum, file) => sum + result.metafile.outputs[file].bytes, 0);
const inputs = Object.keys(result.metafile.inputs).length;
console.log(
  `bundled ${path.relative(process.cwd(), outdir)}: ${outputs.length} files, ${(bytes / 1024).toFixed(0)} KiB from ${inputs} modules`,
);

/** The folder of the package that holds each bundled input file (node_modules/<name>, core/). */
function bundledPackages(inputs) {
  const dirs = new Set();
  for (const input of inputs) {
    const file = path.resolve(packageDir, input);
    const nodeModules = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(file);
    if (nodeModules) dirs.add(nodeModules[1]);
    else if (!file.startsWith(packageDir + path.sep)) {
      // A workspace package outside node_modules (@umhooks/core's dist): its nearest package.json.
      let dir = path.dirname(file);
      while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
      dirs.add(dir);
    }
  }
  return [...dirs];
}

function writeLicenses(inputs) {
  const sections = bundledPackages(inputs).map((dir) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const licenseFile = fs
      .readdirSync(dir)
      .find((name) => /^(licen[cs]e|copying)(\.|-|$)/i.test(name));
    const text = licenseFile
      ? fs.readFileSync(path.join(dir, licenseFile), 'utf8').trim()
      : `${pkg.license ?? 'no license'} (the package ships no license file)`;
    return {
      name: pkg.name,
      heading: `${pkg.name}@${pkg.version} (${pkg.license ?? 'unknown'})`,
      text,
    };
  });
  sections.sort((a, b) => a.name.localeCompare(b.name));
  const body = sections.map((s) => `${s.heading}\n${'-'.repeat(s.heading.length)}\n\n${s.text}\n`);
  fs.writeFileSync(
    path.join(outdir, 'THIRD-PARTY-LICENSES.txt'),
    `The umhooks bundle (dist/cli/*.js) contains the following packages, under these licenses.\n\n${body.join('\n\n')}`,
  );
}
