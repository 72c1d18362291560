// Builds what `npm start` runs: the TypeScript projects (`tsc -b`: core, bin-server's type check
// and declarations, the UI's type check, zapier-app), the server bundle (bundle.mjs) and the
// browser UI (ui/build.mjs). Skipped when nothing changed since the last
// build: the fingerprint of every input file (path, size, mtime) is kept beside the outputs, so an
// unchanged tree starts without loading tsc or esbuild (about 1.5 s saved on each `npm start`).
//
//   node bin-server/scripts/build.mjs           build if anything changed
//   node bin-server/scripts/build.mjs --force   build anyway
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const stampFile = path.join(root, 'bin-server/dist/.build-fingerprint');

/** What the build reads: sources, the UI's page and static files, configs, the dependency set. */
const inputDirs = [
  'core/src',
  'bin-server/src',
  'bin-server/scripts',
  'bin-server/ui',
  'zapier-app/src',
];
const inputFiles = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'core/package.json',
  'core/tsconfig.json',
  'bin-server/package.json',
  'bin-server/tsconfig.json',
  'zapier-app/package.json',
  'zapier-app/tsconfig.json',
];
/** What `npm start` needs: a build with one of these missing is not a build. */
const outputs = [
  'core/dist/index.js',
  'bin-server/dist/cli/main.js',
  'bin-server/dist/ui/index.html',
  'zapier-app/dist/tsc/index.js',
];

function listFiles(dir, into) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(file, into);
    else if (!entry.name.endsWith('.tsbuildinfo')) into.push(file);
  }
}

function fingerprint() {
  const files = inputFiles.map((file) => path.join(root, file));
  for (const dir of inputDirs) listFiles(path.join(root, dir), files);
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    const stats = fs.statSync(file, { throwIfNoEntry: false });
    hash.update(`${path.relative(root, file)}\0${stats?.size}\0${stats?.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

function isFresh(print) {
  if (outputs.some((file) => !fs.existsSync(path.join(root, file)))) return false;
  try {
    return fs.readFileSync(stampFile, 'utf8') === print;
  } catch {
    return false;
  }
}

function run(args, cwd) {
  const result = spawnSync(process.execPath, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`build failed: node ${args.join(' ')} (in ${cwd})\n`);
    process.exit(result.status ?? 1);
  }
}

/** Builds unless the last build saw exactly these inputs. Returns whether it built. */
export function buildIfStale({ force = false } = {}) {
  const before = fingerprint();
  if (!force && isFresh(before)) return false;
  fs.rmSync(stampFile, { force: true });
  const tsc = createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');
  run([tsc, '-b'], root);
  run(['scripts/bundle.mjs'], path.join(root, 'bin-server'));
  run(['ui/build.mjs'], path.join(root, 'bin-server'));
  // The fingerprint taken before the build: a file edited during it makes the next start rebuild.
  fs.writeFileSync(stampFile, before);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildIfStale({ force: process.argv.includes('--force') });
}
