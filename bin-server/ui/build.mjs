// Builds the browser app into bin-server/dist/ui: hashed, immutable assets under assets/ and an
// index.html that names them. No CDN: everything the UI needs is in that folder.
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const uiDir = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(uiDir, '../dist/ui');
const assetsDir = path.join(outDir, 'assets');
const watch = process.argv.includes('--watch');

/** Writes through a temporary file and a rename, so a running server never reads half a file. */
function writeAtomic(file, content) {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, content);
  fs.renameSync(temp, file);
}

function escapeAttr(text) {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function writeIndex(outputs) {
  const files = Object.keys(outputs).map((file) =>
    path.relative(outDir, file).split(path.sep).join('/'),
  );
  const scripts = files.filter((f) => f.endsWith('.js'));
  const styles = files.filter((f) => f.endsWith('.css'));
  const template = fs.readFileSync(path.join(uiDir, 'index.html'), 'utf8');
  const html = template
    .replace(
      '<!-- styles -->',
      styles.map((f) => `<link rel="stylesheet" href="/${escapeAttr(f)}" />`).join('\n    '),
    )
    .replace(
      '<!-- scripts -->',
      scripts.map((f) => `<script type="module" src="/${escapeAttr(f)}"></script>`).join('\n    '),
    );
  writeAtomic(path.join(outDir, 'index.html'), html);
}

/** Copies ui/public/* (fixed names, served with a short cache). */
function copyPublic() {
  const publicDir = path.join(uiDir, 'public');
  for (const name of fs.readdirSync(publicDir)) {
    writeAtomic(path.join(outDir, name), fs.readFileSync(path.join(publicDir, name)));
  }
}

/** Removes hashed files a previous build left behind once the new index.html names the new ones. */
function pruneAssets(outputs) {
  const keep = new Set(Object.keys(outputs).map((file) => path.resolve(file)));
  for (const name of fs.readdirSync(assetsDir)) {
    const file = path.join(assetsDir, name);
    if (!keep.has(file) && !name.endsWith('.tmp')) fs.rmSync(file, { force: true });
  }
}

const options = {
  entryPoints: { app: path.join(uiDir, 'src/main.tsx') },
  outdir: assetsDir,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: !watch,
  sourcemap: 'linked',
  metafile: true,
  legalComments: 'eof',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': watch ? '"development"' : '"production"' },
  plugins: [
    {
      name: 'index-html',
      setup(build) {
        build.onEnd((result) => {
          if (result.errors.length > 0 || !result.metafile) return;
          copyPublic();
          writeIndex(result.metafile.outputs);
          pruneAssets(result.metafile.outputs);
        });
      },
    },
  ],
};

fs.mkdirSync(assetsDir, { recursive: true });
if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
  process.stdout.write(
    `watching ${path.relative(process.cwd(), uiDir)} → ${path.relative(process.cwd(), outDir)}\n`,
  );
} else {
  const result = await esbuild.build(options);
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  process.stdout.write(
    `built the UI into ${path.relative(process.cwd(), outDir)} (${Math.round(bytes / 1024)} KiB)\n`,
  );
}
