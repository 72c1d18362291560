// Bundles the app for Zapier: dist/index.js = tsc's output (dist/tsc/) with @umhooks/core and its
// dependencies inlined. @umhooks/core is a workspace package, not on the registry, so Zapier's
// build (which installs the app's dependencies from the registry) could not install it.
// zapier-platform-core stays external: Zapier's wrapper imports it from the zip's node_modules.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import console from 'node:console';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const coreDir = fs.realpathSync(path.resolve(appDir, '../core'));
const entry = path.join(appDir, 'dist/tsc/index.js');
const outfile = path.join(appDir, 'dist/index.js');

if (!fs.existsSync(entry)) {
  console.error(
    `${path.relative(process.cwd(), entry)} is missing: run "npx tsc -b zapier-app" first.`,
  );
  process.exit(1);
}

/**
 * @umhooks/core has no import-time side effects, so the parts the app does not use (the delivery
 * engine and its HTTP client) can be dropped from the bundle. Its package.json does not say so,
 * so this plugin says it for files under core/.
 */
const coreHasNoSideEffects = {
  name: 'core-has-no-side-effects',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      const resolved = await pluginBuild.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      if (resolved.errors.length > 0 || resolved.external) return resolved;
      const inCore = resolved.path.startsWith(coreDir + path.sep);
      return inCore ? { ...resolved, sideEffects: false } : resolved;
    });
  },
};

const result = await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  // Zapier runs core 19 apps on Node 22; Node 20 (tests here) understands the same output.
  target: 'node20',
  external: ['zapier-platform-core'],
  plugins: [coreHasNoSideEffects],
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
