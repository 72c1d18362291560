import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/server.js';

// The README's `npm run bench -- <name> --help`, and a mistyped option refused before anything
// starts (the benchmarks run for minutes; only these two paths are checked here, no benchmark).
const run = promisify(execFile);
const bench = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'tests/bench/run.ts', ...args], {
    cwd: repoRoot,
    timeout: 60_000,
  });

const names = ['capture', 'dispatch', 'idle', 'scale', 'startup'];

describe('npm run bench', () => {
  it.each(names)('%s --help lists its options', { timeout: 60_000 }, async (name) => {
    const { stdout } = await bench([name, '--help']);
    expect(stdout).toContain(`Usage: npm run bench -- ${name} [options]`);
    expect(stdout).toMatch(/^ {2}--[a-z-]+/m);
  });

  it('refuses an unknown option with its usage and exit code 2', { timeout: 60_000 }, async () => {
    const failed = await bench(['scale', '--size', '10k']).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain("Unknown option '--size'");
    expect(failed?.stderr).toContain('--sizes <10k,100k,1M>');
  });
});
