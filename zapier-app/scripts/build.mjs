#!/usr/bin/env node
// `npm run zapier:build -w zapier-app`: build/build.zip and build/source.zip, offline.
//
// The CLI's `build --skip-dep-install` zips what esbuild finds from zapierwrapper.js, plus the
// `includeInBuild` patterns of .zapierapprc matched under the app folder. In this workspace the
// dependencies are hoisted to the root node_modules, so run there the zip would reach outside the
// app folder and the patterns would match nothing. So the build runs in a staging folder that holds
// what Zapier runs — package.json, .zapierapprc, the bundle (dist/index.js, @umhooks/core inlined)
// and node_modules with zapier-platform-core and its production dependencies, copied from the
// installed tree (the versions the lockfile pinned) — and the zips are copied back.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appDir, cleanEnv, runCli, workspaceDir } from './tools.mjs';
import process from 'node:process';
import console from 'node:console';

const keepStage = process.argv.includes('--keep-stage');
// --no-compile: zip the existing dist/index.js (e.g. right after `npm run _zapier-build`).
const compile = !process.argv.includes('--no-compile');
const started = Date.now();

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: cleanEnv() });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

/** The folder Node would load `name` from, for code in `fromDir` (walking up node_modules folders). */
function resolvePackageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === path.dirname(dir)) return undefined;
  }
}

/**
 * Copies `name` and its production dependency closure from the installed tree into
 * `stage/node_modules`, keeping nested copies nested (their versions differ from the hoisted ones).
 */
function copyProductionTree(name, stageDir) {
  const rootModules = path.join(workspaceDir, 'node_modules');
  const queue = [{ name, fromDir: appDir, optional: false }];
  const copied = new Set();
  while (queue.length > 0) {
    const { name: dep, fromDir, optional } = queue.shift();
    const source = resolvePackageDir(dep, fromDir);
    if (!source) {
      if (optional) continue;
      throw new Error(
        `${dep} (needed by ${fromDir}) is not installed: run npm install at the repository root.`,
      );
    }
    const real = fs.realpathSync(source);
    if (copied.has(real)) continue;
    copied.add(real);
    const relative = path.relative(rootModules, source);
    if (relative.startsWith('..')) throw new Error(`${source} is outside ${rootModules}`);
    const target = path.join(stageDir, 'node_modules', relative);
    fs.cpSync(real, target, {
      recursive: true,
      dereference: true,
      // Nested node_modules are copied when (and if) the closure reaches them.
      filter: (file) => !path.relative(real, file).split(path.sep).includes('node_modules'),
    });
    const manifest = JSON.parse(fs.readFileSync(path.join(real, 'package.json'), 'utf8'));
    for (const child of Object.keys(manifest.dependencies ?? {})) {
      queue.push({ name: child, fromDir: source, optional: false });
    }
    for (const child of Object.keys(manifest.optionalDependencies ?? {})) {
      queue.push({ name: child, fromDir: source, optional: true });
    }
  }
  return copied.size;
}

function stage() {
  const stageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'umhooks-zapier-build-'));
  const manifest = JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8'));
  // What Zapier needs to run the app; no scripts (the bundle is built), no devDependencies.
  const { name, version, description, type, license, exports, dependencies } = manifest;
  const staged = { name, version, description, type, license, exports, dependencies };
  fs.writeFileSync(path.join(stageDir, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);
  for (const file of ['.zapierapprc', '.gitignore']) {
    fs.copyFileSync(path.join(appDir, file), path.join(stageDir, file));
  }
  fs.mkdirSync(path.join(stageDir, 'dist'));
  fs.copyFileSync(path.join(appDir, 'dist/index.js'), path.join(stageDir, 'dist/index.js'));
  // source.zip shows reviewers the TypeScript the bundle was built from.
  fs.cpSync(path.join(appDir, 'src'), path.join(stageDir, 'src'), { recursive: true });
  const packages = Object.keys(dependencies ?? {}).reduce(
    (count, dep) => count + copyProductionTree(dep, stageDir),
    0,
  );
  return { stageDir, packages };
}

let stageDir;
try {
  if (compile) run('npm', ['run', '_zapier-build', '--silent'], appDir);
  const staged = stage();
  stageDir = staged.stageDir;
  console.log(`staged the app with ${staged.packages} packages in ${stageDir}`);
  const status = runCli(['build', '--skip-validation', '--skip-dep-install'], { cwd: stageDir });
  if (status !== 0) throw new Error(`zapier-platform build failed (exit ${status})`);
  const outDir = path.join(appDir, 'build');
  fs.mkdirSync(outDir, { recursive: true });
  for (const zip of ['build.zip', 'source.zip']) {
    fs.copyFileSync(path.join(stageDir, 'build', zip), path.join(outDir, zip));
  }
  const size = fs.statSync(path.join(outDir, 'build.zip')).size;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `${path.relative(process.cwd(), path.join(outDir, 'build.zip'))}: ${(size / 1024).toFixed(0)} KiB, built in ${seconds} s`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  if (stageDir && !keepStage) fs.rmSync(stageDir, { recursive: true, force: true });
}
