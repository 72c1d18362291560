/**
 * The benchmarks' child processes: every party (server, load generator, receiver, viewers) runs
 * in its own process so that on a 2-core machine the server and its client each get a core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../support/server.js';

const require = createRequire(import.meta.url);
export const autocannonBin = path.join(
  path.dirname(require.resolve('autocannon/package.json')),
  'autocannon.js',
);

/**
 * Children still running. An interrupted benchmark (Ctrl-C, kill) stops them too: they used to
 * outlive it, a server left behind taking CPU from the next run.
 */
const running = new Map<ChildProcess, () => void>();
/** Scratch directories, removed at exit once the children are stopped. */
const scratch: string[] = [];
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => process.exit(code));
}
process.once('exit', () => {
  for (const stopChild of running.values()) {
    try {
      stopChild();
    } catch {
      // Gone already: nothing to stop.
    }
  }
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A new directory under the system's temp dir, removed when this process exits, also when it
 * is interrupted (a `finally` does not run then: a stopped startup run left 400 MB behind).
 */
export function scratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/**
 * Stops `child` with `kill` (SIGTERM by default) if the benchmark ends first. For children
 * spawned otherwise than by spawnChild (startup.ts: other commands, each in a process group).
 */
export function track(
  child: ChildProcess,
  kill: () => void = () => {
    child.kill('SIGTERM');
  },
): void {
  running.set(child, kill);
  child.once('exit', () => running.delete(child));
}

export function spawnChild(args: string[]): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  track(child);
  return child;
}

/** Resolves with the child's output once `pattern` appears in it. */
export function waitFor(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(output);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) =>
      reject(new Error(`exited (${code}) before ${pattern}:\n${output}`)),
    );
  });
}

/** The whole stdout of a child that runs to completion; its stderr in the error if it fails. */
export async function outputOf(child: ChildProcess, what: string): Promise<string> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${what} failed (${code}): ${stderr}`);
  return stdout;
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
