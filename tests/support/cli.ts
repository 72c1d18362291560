import { execFile } from 'node:child_process';
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
