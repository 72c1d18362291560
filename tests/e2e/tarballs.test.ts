import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateSecret } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { need } from '../support/requirements.js';
import { repoRoot } from '../support/server.js';
import { checkReadmeCommands, npxServe, umhooks } from '../support/umhooks-commands.js';

// Proven from the tarballs, not from the workspace: `npm pack` both packages, install the two
// tarballs with a plain `npm install` into an empty directory outside the repository (so nothing
// of the workspace can be found: no hoisted dev dependency, no workspace link), then run what a
// user runs. better-sqlite3 may build from source during the install (several minutes on a busy
// machine), hence the long timeout. `npm test` builds first; alone: `npm run build` first, then
// `npx vitest run tests/e2e/tarballs.test.ts`.
const run = promisify(execFile);
const INSTALL_TIMEOUT_MS = 30 * 60_000;

function registryReachable(): Promise<boolean> {
  return run('npm', ['ping'], { timeout: 30_000 }).then(
    () => true,
    () => false,
  );
}

interface Packed {
  name: string;
  filename: string;
  files: Array<{ path: string }>;
}

/** Files below `dir` (relative, '/'-separated) whose names pass `keep`. */
function listFiles(dir: string, keep: (file: string) => boolean, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(file, keep, base);
    const relative = path.relative(base, file).split(path.sep).join('/');
    return keep(relative) ? [relative] : [];
  });
}

/**
 * The packages a bundled file loads at run time: its static and dynamic imports, and what it
 * loads through `createRequire(import.meta.url)` (ws, undici, better-sqlite3's path). Node's
 * built-in modules and the bundle's own relative chunks are left out.
 */
function importedPackages(source: string): string[] {
  const patterns = [
    /^(?:import|export)\b[^;]*?\bfrom\s*"([^"\n]+)"/gm,
    /\bimport\(\s*"([^"\n]+)"\s*\)/g,
    /import\.meta\.url\)(?:\.resolve)?\(\s*"([^"\n]+)"\s*\)/g,
  ];
  return patterns.flatMap((pattern) =>
    [...source.matchAll(pattern)]
      .map((match) => match[1]!)
      .filter((specifier) => !specifier.startsWith('.') && !isBuiltin(specifier))
      .map((specifier) =>
        specifier
          .split('/')
          .slice(0, specifier.startsWith('@') ? 2 : 1)
          .join('/'),
      ),
  );
}

const reachable = await registryReachable();
const enabled = need(
  'the npm registry',
  reachable,
  'the tarball test installs the packed packages with npm install (npm ping failed)',
);

describe.runIf(enabled)('the packed packages, installed outside the repository', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'umhooks-tarballs-'));
  const packs = path.join(work, 'packs');
  const app = path.join(work, 'app');
  const data = path.join(work, 'data');
  let packed: Record<string, Packed> = {};
  let installSeconds = 0;

  beforeAll(async () => {
    fs.mkdirSync(packs);
    fs.mkdirSync(app);
    const { stdout } = await run(
      'npm',
      ['pack', '-w', 'core', '-w', 'bin-server', '--pack-destination', packs, '--json'],
      { cwd: repoRoot, timeout: 120_000 },
    );
    packed = Object.fromEntries((JSON.parse(stdout) as Packed[]).map((p) => [p.name, p]));

    fs.writeFileSync(
      path.join(app, 'package.json'),
      `${JSON.stringify({ name: 'umhooks-tarball-consumer', private: true, type: 'module' }, null, 2)}\n`,
    );
    const started = Date.now();
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        path.join(packs, packed['@umhooks/core']!.filename),
        path.join(packs, packed.umhooks!.filename),
        // The consumer's own choice, as in any TypeScript app on Node (core's types do not need it).
        '@types/node@^20.19.0',
      ],
      { cwd: app, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
    );
    installSeconds = (Date.now() - started) / 1000;
    console.log(`npm install of the two tarballs took ${installSeconds.toFixed(0)} s`);
  }, INSTALL_TIMEOUT_MS + 180_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('packs what each package needs at run time, and nothing of its sources or tests', () => {
    const coreFiles = new Set(packed['@umhooks/core']!.files.map((f) => f.path));
    const umhooksFiles = new Set(packed.umhooks!.files.map((f) => f.path));

    for (const file of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/index.js',
      'dist/index.d.ts',
    ]) {
      expect(coreFiles, file).toContain(file);
    }
    // Every module and declaration the build wrote (the d.ts maps point into src/, shipped too).
    const coreDist = path.join(repoRoot, 'core/dist');
    for (const file of listFiles(coreDist, (f) => /\.(js|d\.ts)$/.test(f))) {
      expect(coreFiles, file).toContain(`dist/${file}`);
    }
    expect(coreFiles).toContain('src/index.ts');

    const expected = [
      'package.json',
      'README.md',
      'LICENSE',
      'bin/umhooks.js',
      // The bundle (bin-server/scripts/bundle.mjs): the command, the server, and below every chunk
      // they load (the stores and their migrations among them), each with its source map.
      'dist/cli/main.js',
      'dist/cli/main.js.map',
      'dist/cli/server.js',
      'dist/cli/server.js.map',
      // The licenses of the dependencies bundled into it.
      'dist/cli/THIRD-PARTY-LICENSES.txt',
      // The browser UI: the page, its static files, and the hashed assets it names.
      'dist/ui/index.html',
      'dist/ui/favicon.svg',
    ];
    const index = fs.readFileSync(path.join(repoRoot, 'bin-server/dist/ui/index.html'), 'utf8');
    const assets = [...index.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map(
      (m) => `dist/ui/${m[1]!}`,
    );
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const file of [...expected, ...assets]) expect(umhooksFiles, file).toContain(file);
    const serverDist = path.join(repoRoot, 'bin-server/dist');
    const bundled = (f: string) => /\.js(\.map)?$/.test(f) && !f.startsWith('ui/');
    for (const file of listFiles(serverDist, bundled)) {
      expect(umhooksFiles, file).toContain(`dist/${file}`);
    }
    for (const file of umhooksFiles) {
      expect(file).not.toMatch(
        /^(src|ui|scripts|dist\/types)\/|\.d\.ts(\.map)?$|\.tsbuildinfo$|^dist\/\.build/,
      );
    }
  });

  it('installs with a plain npm install: no workspace, the dependencies from the registry', () => {
    const installDir = path.join(app, 'node_modules/umhooks');
    const installed = JSON.parse(
      fs.readFileSync(path.join(installDir, 'package.json'), 'utf8'),
    ) as {
      dependencies: Record<string, string>;
    };
    // The bundle holds every pure-JS dependency (@umhooks/core among them): `dependencies` names
    // exactly the packages its files still import, no more and no fewer.
    const cli = path.join(installDir, 'dist/cli');
    const imported = new Set(
      listFiles(cli, (f) => f.endsWith('.js')).flatMap((file) =>
        importedPackages(fs.readFileSync(path.join(cli, file), 'utf8')),
      ),
    );
    expect([...imported].sort()).toEqual(Object.keys(installed.dependencies).sort());
    // The app's copies, not links into the repository.
    for (const pkg of ['umhooks', '@umhooks/core']) {
      const real = fs.realpathSync(path.join(app, 'node_modules', pkg));
      expect(real.startsWith(app), real).toBe(true);
    }
    expect(fs.existsSync(path.join(app, 'node_modules/typescript'))).toBe(false);
  });

  it('npx umhooks --version', async () => {
    const version = (
      JSON.parse(fs.readFileSync(path.join(repoRoot, 'bin-server/package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    expect((await umhooks(app, ['--version'])).stdout.trim()).toBe(version);
  });

  it(
    'npx umhooks serve: the UI, capture, the API, /ws, tail and trigger',
    { timeout: 180_000 },
    async () => {
      const server = await npxServe(app, data);
      try {
        expect(server.output()).toContain(data);
        await checkReadmeCommands(app, server);
      } finally {
        await server.stop();
      }
    },
  );

  it(
    'a strict TypeScript app (nodenext) receives a signed payload with @umhooks/core',
    { timeout: 180_000 },
    async () => {
      fs.writeFileSync(
        path.join(app, 'tsconfig.json'),
        `${JSON.stringify(
          {
            compilerOptions: {
              target: 'ES2022',
              module: 'nodenext',
              moduleResolution: 'nodenext',
              strict: true,
              noUncheckedIndexedAccess: true,
              exactOptionalPropertyTypes: true,
              types: ['node'],
              outDir: 'out',
            },
            files: ['receiver.ts'],
          },
          null,
          2,
        )}\n`,
      );
      // A receiver as the README shows it: the exact body bytes and the headers into receive().
      fs.writeFileSync(
        path.join(app, 'receiver.ts'),
        `import http from 'node:http';
import { receive, type PaymentReceivedData } from '@umhooks/core';

const secret = process.env.WEBHOOK_SECRET;
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const result = receive({
      headers: req.headers,
      body: Buffer.concat(chunks),
      event: 'payment_received',
      ...(secret === undefined ? {} : { secret }),
    });
    if (!result.ok) {
      res.writeHead(400).end(JSON.stringify(result.issues));
      return;
    }
    // Narrowed by the event: the data is typed (a type error here fails tsc).
    const data: PaymentReceivedData = result.data;
    const total: number | null = data.payment_total_raw;
    res.writeHead(204).end();
    console.log(JSON.stringify({ event: result.event, signature: result.signature.status, total }));
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') console.log(\`listening \${address.port}\`);
});
`,
      );
      const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
      await run(process.execPath, [tsc, '-p', 'tsconfig.json'], {
        cwd: app,
        timeout: 120_000,
      }).catch((error: { stdout?: string }) => {
        throw new Error(`tsc failed on the consumer:\n${error.stdout ?? String(error)}`);
      });

      const secret = generateSecret();
      const receiver = spawn(process.execPath, ['out/receiver.js'], {
        cwd: app,
        env: { ...process.env, WEBHOOK_SECRET: secret },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      receiver.stdout.on('data', (c: Buffer) => (out += c.toString()));
      receiver.stderr.on('data', (c: Buffer) => (out += c.toString()));
      const exited = new Promise<number | null>((resolve) => receiver.once('exit', resolve));
      try {
        for (let i = 0; i < 400 && !/listening \d+/.test(out); i++)
          await new Promise((r) => setTimeout(r, 25));
        const port = /listening (\d+)/.exec(out)?.[1];
        expect(port, out).toBeDefined();
        const sent = await umhooks(app, [
          'trigger',
          'payment_received',
          '--url',
          `http://127.0.0.1:${port}/webhooks`,
          '--profile',
          'standard',
          '--secret',
          secret,
        ]);
        expect(sent.stdout + sent.stderr).toMatch(/204/);
        expect(await exited).toBe(0);
        const line = JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
        expect(line).toMatchObject({ event: 'payment_received', signature: 'valid' });
        expect(typeof line.total).toBe('number');
      } finally {
        if (receiver.exitCode === null) receiver.kill('SIGKILL');
      }
    },
  );
});
