import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, tempDir, type SpawnedServer } from '../../support/server.js';

const dir = tempDir('umhooks-durability-');
const spawned: SpawnedServer[] = [];
afterAll(async () => {
  await Promise.all(spawned.map((s) => s.kill()));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(args: string[]): Promise<{ server: SpawnedServer; binUrl: string }> {
  const server = await spawnServer(args);
  spawned.push(server);
  for (let i = 0; i < 200 && !/Capture URL\s+\S+/.test(server.output()); i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  const binUrl = /Capture URL\s+(\S+)/.exec(server.output())?.[1];
  if (!binUrl) throw new Error(`no capture URL printed:\n${server.output()}`);
  return { server, binUrl };
}

function post(agent: http.Agent, url: URL, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) resolve(res.headers['x-request-id'] as string);
          else reject(new Error(`status ${res.statusCode}`));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setHeader('content-type', 'application/json');
    req.end(body);
  });
}

describe('durability', () => {
  it('keeps every acknowledged request when the server is killed (SIGKILL) under load', async () => {
    const file = path.join(dir, 'kill.db');
    const { server, binUrl } = await start(['--data', file, '--max-requests', '1000000']);
    const url = new URL(binUrl);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    const acknowledged: string[] = [];
    let stop = false;
    let sent = 0;
    const workers = Array.from({ length: 32 }, async () => {
      while (!stop) {
        try {
          sent += 1;
          acknowledged.push(
            await post(agent, url, JSON.stringify({ n: sent, pad: 'x'.repeat(200) })),
          );
        } catch {
          return; // the server is gone
        }
      }
    });
    while (acknowledged.length < 2000) await new Promise((r) => setTimeout(r, 10));
    await server.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    agent.destroy();
    expect(server.child.signalCode).toBe('SIGKILL');

    // Restart on the same file: SQLite recovers from its WAL; every acknowledged id is there.
    const again = await start(['--data', file, '--max-requests', '1000000']);
    expect(new URL(again.binUrl).pathname).toBe(url.pathname);
    const db = new Database(file, { readonly: true });
    try {
      const has = db.prepare('SELECT count(*) FROM requests WHERE id = ?').pluck();
      const missing = acknowledged.filter((id) => has.get(id) !== 1);
      expect(missing).toEqual([]);
      expect(acknowledged.length).toBeGreaterThanOrEqual(2000);
      const maxSeq = db.prepare('SELECT max(seq) FROM requests').pluck().get() as number;
      // The restarted server goes on numbering after what survived.
      const after = new http.Agent();
      const id = await post(after, new URL(again.binUrl), '{"after":"restart"}');
      after.destroy();
      const seq = db.prepare('SELECT seq FROM requests WHERE id = ?').pluck().get(id) as number;
      expect(seq).toBe(maxSeq + 1);
    } finally {
      db.close();
    }
    expect(await again.server.stop()).toBe(0);
  }, 60_000);
});
