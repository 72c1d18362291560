import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/server.js';

// The two published packages, checked as the registry would get them (both tools pack first):
// publint for package.json against the packed files, and "Are the types wrong?" for how
// TypeScript resolves @umhooks/core. `npm test` builds first; alone, run `npm run build` first.
const run = promisify(execFile);
const packages = ['core', 'bin-server'];

describe('publint', () => {
  for (const dir of packages) {
    it(`reports nothing for ${dir}/`, { timeout: 120_000 }, async () => {
      const pkgDir = path.join(repoRoot, dir);
      const { messages, pkg } = await publint({ pkgDir, pack: 'npm', strict: true });
      expect(messages.map((m) => formatMessage(m, pkg, { color: false }))).toEqual([]);
    });
  }
});

interface AttwReport {
  analysis: {
    types: unknown;
    entrypoints?: Record<
      string,
      { resolutions: Record<string, { resolution?: { fileName: string } }> }
    >;
  };
  problems?: Record<string, Array<{ resolutionKind?: string }>>;
}

async function attw(dir: string): Promise<AttwReport> {
  // `esm-only`: @umhooks/core is an ES module package, so the node10 and CommonJS-from-node16
  // resolutions are left out by design (Node 20.19+ can still require() it).
  const attwBin = path.join(repoRoot, 'node_modules/.bin/attw');
  const { stdout } = await run(
    attwBin,
    ['--pack', dir, '--profile', 'esm-only', '--format', 'json'],
    { cwd: repoRoot, timeout: 120_000 },
  );
  return JSON.parse(stdout) as AttwReport;
}

describe('are the types wrong', () => {
  it(
    'resolves @umhooks/core under node16/nodenext and bundler, with no problem',
    { timeout: 120_000 },
    async () => {
      const report = await attw('core');
      const ignored = new Set(['node10', 'node16-cjs']);
      const problems = Object.values(report.problems ?? {})
        .flat()
        .filter((p) => !ignored.has(p.resolutionKind ?? ''));
      expect(problems).toEqual([]);
      const resolutions = report.analysis.entrypoints!['.']!.resolutions;
      for (const kind of ['node16-esm', 'bundler']) {
        expect(resolutions[kind]?.resolution?.fileName).toBe(
          '/node_modules/@umhooks/core/dist/index.d.ts',
        );
      }
    },
  );

  it(
    'finds no types to check in umhooks (a command, not a library) and no problem',
    { timeout: 120_000 },
    async () => {
      const report = await attw('bin-server');
      expect(report.analysis.types).toBe(false);
      expect(report.problems ?? {}).toEqual({});
    },
  );
});
