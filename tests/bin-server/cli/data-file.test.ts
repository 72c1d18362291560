import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { latestVersion } from '../../../bin-server/src/store/migrations.js';
import { migrations } from '../../../bin-server/src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../../bin-server/src/store/sqlite/store.js';
import { onlyMessage, runCli } from '../../support/cli.js';
import { need } from '../../support/requirements.js';
import { spawnServer, tempDir, type SpawnedServer } from '../../support/server.js';

// `umhooks serve` on a data file it must not use: one line saying what to do, exit code 1, and
// the file exactly as it was. Each case runs the real CLI as a child process.

const dir = tempDir('umhooks-data-file-');
const servers: SpawnedServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill()));
  fs.rmSync(dir, { recursive: true, force: true });
});

const hashOf = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
let files = 0;
const nextPath = (name: string) => path.join(dir, `${++files}-${name}`);

/** A data file written by this umhooks (current schema, WAL mode), closed cleanly. */
async function currentDataFile(name: string): Promise<string> {
  const file = nextPath(name);
  await openSqliteStore(file).close();
  return file;
}

function serve(file: string, prefix?: string[]) {
  return runCli(['serve', '--port', '0', '--quiet', '--data', file], { prefix });
}

describe('a data file written by a newer umhooks', () => {
  it('is refused with the schema it needs, and left untouched', async () => {
    const file = await currentDataFile('newer.db');
    const known = latestVersion(migrations);
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)').run(
      known + 2,
      'from a later release',
    );
    db.close();
    const before = hashOf(file);
    const listing = fs.readdirSync(dir);

    const run = await serve(file);
    expect(run.code).toBe(1);
    expect(onlyMessage(run)).toBe(
      `umhooks: The data file ${file} was written by a newer umhooks (schema ${known + 2}; this one knows up to ${known}): upgrade umhooks, or use another --data.`,
    );
    expect(hashOf(file)).toBe(before);
    // No journal was left beside it either.
    expect(fs.readdirSync(dir)).toEqual(listing);
  });
});

describe('a data file that is not an umhooks database', () => {
  it.each([
    ['a text file', Buffer.from('These are my notes, not a database.\n')],
    ['random bytes', randomBytes(64 * 1024)],
  ])('%s is refused and left untouched', async (_kind, content) => {
    const file = nextPath('not-a-database.db');
    fs.writeFileSync(file, content);

    const run = await serve(file);
    expect(run.code).toBe(1);
    expect(onlyMessage(run)).toBe(
      `umhooks: ${file} is not an umhooks data file (not a SQLite database): pass another --data (a new file, or a directory for umhooks.db). umhooks left it untouched.`,
    );
    expect(fs.readFileSync(file).equals(content)).toBe(true);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('another program’s SQLite database is refused, not migrated into', async () => {
    const file = nextPath('someone-elses.sqlite');
    const db = new Database(file);
    db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')");
    db.close();
    const before = hashOf(file);

    const run = await serve(file);
    expect(run.code).toBe(1);
    expect(onlyMessage(run)).toMatch(/is a SQLite database, but not an umhooks data file/);
    expect(hashOf(file)).toBe(before);
  });
});

describe('a data path that cannot be a file', () => {
  it('below a file is refused, saying so', async () => {
    const file = nextPath('plain-file');
    fs.writeFileSync(file, 'not a directory');
    const run = await serve(path.join(file, 'sub', 'umhooks.db'));
    expect(run.code).toBe(1);
    expect(onlyMessage(run)).toBe(
      `umhooks: Cannot create the data directory ${path.join(file, 'sub')} (a part of the path is a file, not a directory): create it, or pass another --data.`,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('not a directory');
  });
});

describe('a second server on the same data file', () => {
  it('is refused naming the first one; a SIGKILLed owner does not block the next start', async () => {
    const file = nextPath('shared.db');
    const first = await spawnServer(['--quiet', '--data', file]);
    servers.push(first);
    const bin = await fetch(`${first.url}/api/bins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'kept-bin' }),
    });
    expect(bin.status).toBe(201);
    expect((await fetch(`${first.url}/b/kept-bin`, { method: 'POST', body: 'one' })).status).toBe(
      200,
    );

    const second = await serve(file);
    expect(second.code).toBe(1);
    expect(onlyMessage(second)).toMatch(
      new RegExp(
        `^umhooks: The data file ${file.replace(/[.]/g, '\\.')} is in use by another umhooks \\(pid ${first.child.pid} on .+, since .+\\): stop that one first, or pass another --data`,
      ),
    );
    // The first server did not notice: it still captures into the same file.
    expect((await fetch(`${first.url}/b/kept-bin`, { method: 'POST', body: 'two' })).status).toBe(
      200,
    );

    // A crash holds no lock: the kernel drops it with the process.
    await first.kill('SIGKILL');
    const next = await spawnServer(['--quiet', '--data', file]);
    servers.push(next);
    const listed = (await (await fetch(`${next.url}/api/bins/kept-bin/requests`)).json()) as {
      items: Array<{ size: number }>;
    };
    expect(listed.items.map((r) => r.size)).toEqual([3, 3]);
    expect(await next.stop()).toBe(0);
  });
});

/** A directory holding a data file written by this umhooks, and an empty one. */
async function dataDirectories(label: string): Promise<{ withFile: string; empty: string }> {
  const withFile = nextPath(`${label}-with-file`);
  fs.mkdirSync(withFile);
  await openSqliteStore(path.join(withFile, 'umhooks.db')).close();
  const empty = nextPath(`${label}-empty`);
  fs.mkdirSync(empty);
  return { withFile, empty };
}

async function expectRefused(directory: string, prefix: string[], reason: string): Promise<void> {
  const file = path.join(directory, 'umhooks.db');
  const existed = fs.existsSync(file);
  const before = existed ? hashOf(file) : '';
  const listing = fs.readdirSync(directory);

  const run = await serve(directory, prefix);
  expect(run.code).toBe(1);
  expect(onlyMessage(run)).toBe(
    `umhooks: The data directory ${directory} is not writable (${reason}): umhooks keeps its data file, the SQLite journal and a lock there. Make it writable for this user, or pass another --data.`,
  );
  expect(fs.readdirSync(directory)).toEqual(listing);
  if (existed) expect(hashOf(file)).toBe(before);
}

// Root writes through a chmod'ed directory, and these tests run as root in CI. So the read-only
// case is made real: the directory is mounted read-only (a bind mount in a mount namespace of
// the child's own, which nobody else sees), where root gets EROFS like anyone else.
const readOnlyMount = (directory: string) => [
  'unshare',
  '--mount',
  'sh',
  '-c',
  'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"',
  directory,
];

function mountWorks(): boolean {
  const probe = tempDir('umhooks-ro-probe-');
  try {
    execFileSync(readOnlyMount(probe)[0]!, [...readOnlyMount(probe).slice(1), 'true'], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}

const canMountReadOnly = need(
  'a read-only bind mount (unshare --mount)',
  mountWorks(),
  'run the tests as root with CAP_SYS_ADMIN (CI does)',
);

describe.runIf(canMountReadOnly)('a data directory on a read-only file system', () => {
  it('is refused, for a new and for an existing data file, and nothing in it changes', async () => {
    const { withFile, empty } = await dataDirectories('read-only-mount');
    await expectRefused(withFile, readOnlyMount(withFile), 'read-only file system');
    await expectRefused(empty, readOnlyMount(empty), 'read-only file system');
  });
});

// Without the right to write (the common case: a directory of another user). Not root: the
// directory is chmod'ed read-only. Root: the child drops to `nobody` (setpriv), for whom the
// root-owned directory is read-only.
const isRoot = process.getuid?.() === 0;
const canDropToNobody =
  !isRoot ||
  need(
    'setpriv (util-linux) to run the CLI as nobody',
    (() => {
      try {
        execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']);
        return true;
      } catch {
        return false;
      }
    })(),
    'install util-linux',
  );

describe.runIf(canDropToNobody)('a data directory this user may not write', () => {
  it('is refused, for a new and for an existing data file, and nothing in it changes', async () => {
    const { withFile, empty } = await dataDirectories('no-permission');
    const prefix = isRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    // Readable and searchable by all (nobody too), writable by its owner only.
    fs.chmodSync(dir, 0o755);
    for (const d of [withFile, empty]) fs.chmodSync(d, isRoot ? 0o755 : 0o555);
    try {
      await expectRefused(withFile, prefix, 'permission denied');
      await expectRefused(empty, prefix, 'permission denied');
      // Below a directory this user cannot even enter: about the data, not the port (EACCES).
      fs.chmodSync(empty, 0o700);
      if (!isRoot) fs.chmodSync(empty, 0o000);
      const run = await serve(path.join(empty, 'inner', 'umhooks.db'), prefix);
      expect(run.code).toBe(1);
      expect(onlyMessage(run)).toBe(
        `umhooks: Cannot create the data directory ${path.join(empty, 'inner')} (permission denied): create it, or pass another --data.`,
      );
    } finally {
      for (const d of [withFile, empty]) fs.chmodSync(d, 0o755);
    }
  });
});
