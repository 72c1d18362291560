import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, spawnServing, tempDir } from '../support/server.js';
import { checkReadmeCommands, npxServe, umhooks } from '../support/umhooks-commands.js';

// The README's commands, run from the repository root as its reader runs them after
// `npm install && npm start` (CI runs this from a fresh clone: `npm ci && npm test`). npm links
// the workspace's `umhooks` bin at install time, before anything is built: this is what failed
// with "could not determine executable to run" when the bin pointed into dist/.
const dir = tempDir('umhooks-readme-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const version = (
  JSON.parse(fs.readFileSync(`${repoRoot}/bin-server/package.json`, 'utf8')) as {
    version: string;
  }
).version;

describe('the README, from the repository root', () => {
  it('npx umhooks --version', async () => {
    expect((await umhooks(repoRoot, ['--version'])).stdout.trim()).toBe(version);
  });

  it('npx umhooks serve, tail and trigger', { timeout: 120_000 }, async () => {
    const server = await npxServe(repoRoot, `${dir}/npx.db`);
    try {
      await checkReadmeCommands(repoRoot, server);
    } finally {
      await server.stop();
    }
  });

  it(
    'npm start (already built: it serves without building again)',
    { timeout: 120_000 },
    async () => {
      const server = await spawnServing(
        'npm',
        ['start', '--silent', '--', '--port', '0', '--data', `${dir}/start.db`],
        { cwd: repoRoot },
      );
      try {
        expect(server.output()).not.toMatch(/built the UI/);
        expect((await fetch(`${server.url}/api/info`)).status).toBe(200);
      } finally {
        await server.stop();
      }
    },
  );
});
