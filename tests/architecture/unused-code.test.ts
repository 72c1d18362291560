import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/server.js';

// The house plan, checked on every `npm test`: knip (configured under "knip" in the root
// package.json) finds no unused file, export, exported type or dependency, no unlisted dependency
// or binary, and no configuration hint (a stale entry pattern is an error too).
interface KnipRun {
  exitCode: number | null;
  report: string;
}

function runKnip(): Promise<KnipRun> {
  const knipBin = path.join(repoRoot, 'node_modules/.bin/knip');
  return new Promise((resolve, reject) => {
    execFile(
      knipBin,
      ['--no-progress', '--treat-config-hints-as-errors'],
      { cwd: repoRoot, timeout: 120_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      (error, stdout, stderr) => {
        // knip exits 1 when it finds something; anything else (crash, timeout) is not a report.
        if (error && error.code !== 1) {
          reject(new Error(`knip did not run (${error.message}): ${stderr}`));
          return;
        }
        resolve({ exitCode: error ? 1 : 0, report: `${stdout}${stderr}`.trim() });
      },
    );
  });
}

describe('knip', () => {
  it(
    'reports no unused code or dependency and no configuration hint',
    { timeout: 120_000 },
    async () => {
      const { exitCode, report } = await runKnip();
      // On failure the diff shows knip's own report: what is unused and where. Remove what is dead,
      // drop `export` from what only its own file uses, or declare what is unlisted.
      expect({ exitCode, report }).toEqual({ exitCode: 0, report: '' });
    },
  );
});
