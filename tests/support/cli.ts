import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cliPath } from './server.js';

export interface CliRun {
  /** Exit code (null when a signal ended it). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `umhooks` CLI to its end and returns what it printed, whatever the exit code.
 * `prefix` runs it through another program first (e.g. `setpriv …` to drop privileges).
 */
export function runCli(
  args: string[],
  options: { prefix?: string[]; timeoutMs?: number } = {},
): Promise<CliRun> {
  const [command, ...rest] = [...(options.prefix ?? []), process.execPath, cliPath, ...args];
  return new Promise((resolve) => {
    execFile(
      command!,
      rest,
      { timeout: options.timeoutMs ?? 30_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The one line a refused start prints: `umhooks: …`, and nothing else (no stack trace). */
export function onlyMessage(run: CliRun): string {
  const lines = run.stderr.trimEnd().split('\n');
  if (lines.length !== 1 || !lines[0]!.startsWith('umhooks: ') || run.stdout !== '') {
    throw new Error(`expected one "umhooks: …" line, got:\n${run.stdout}${run.stderr}`);
  }
  return lines[0]!;
}

/** A long-running `umhooks` command (`tail`), read while it runs. */
export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when a signal ended it). */
  exit: Promise<number | null>;
  /** Waits until `stream` matches `pattern` and returns the match; throws if it exits first. */
  until(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<string>;
}

/** Starts the built `umhooks` CLI and leaves it running; `stop` it (or let it exit). */
export function startCli(args: string[]): RunningCli {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdout!.on('data', (c: Buffer) => (out.stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out.stderr += c.toString()));
  return {
    child,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exit,
    async until(stream, pattern) {
      for (let i = 0; i < 800; i++) {
        const match = pattern.exec(out[stream]);
        if (match) return match[0];
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(
        `umhooks never printed ${pattern} on ${stream}:\n${out.stdout}\n${out.stderr}`,
      );
    },
  };
}
