import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigInput } from '../../bin-server/src/config.js';
import {
  startServer,
  type RunningServer,
  type ServerInternals,
} from '../../bin-server/src/server.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built CLI (`npm test` builds first; run `npm run build` before running vitest alone). */
export const cliPath = path.join(repoRoot, 'bin-server/dist/cli/main.js');

/** A real server in this process on 127.0.0.1, port 0, in-memory SQLite unless told otherwise. */
export async function startTestServer(
  options: ConfigInput = {},
  internals: ServerInternals = {},
): Promise<RunningServer> {
  return startServer(
    { host: '127.0.0.1', port: 0, memory: true, quiet: true, ...options },
    internals,
  );
}

export function tempDir(prefix = 'umhooks-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface SpawnedServer {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Runs `umhooks serve` as a child process (for SIGKILL, SIGTERM and CLI tests) and resolves once
 * it prints its UI URL.
 */
export async function spawnServer(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<SpawnedServer> {
  return spawnServing(process.execPath, [cliPath, 'serve', '--port', '0', ...args], { env });
}

/**
 * Runs any command that starts a server (`npx umhooks serve …`, `npm start -- …`) in its own
 * process group, so stopping it reaches the server behind npm's wrapper processes too; resolves
 * once it prints an http://127.0.0.1 URL.
 */
export async function spawnServing(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<SpawnedServer> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is gone already.
    }
  };
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before starting:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) signalGroup('SIGTERM');
      return exited;
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null) signalGroup(signal);
      await exited;
    },
  };
}
