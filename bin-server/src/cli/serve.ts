import { Command, Option } from 'commander';
import { dataFile, isLoopback, type ConfigInput } from '../config.js';
import { startServer, type RunningServer } from '../server.js';
import { ensureExampleBin } from './example-bin.js';
import { booleanFromEnv, fail } from './options.js';
import { sandboxLines } from './sandbox-lines.js';

interface ServeOptions {
  host?: string;
  port?: string;
  data?: string;
  store?: string;
  bodyLimit?: string;
  maxRequests?: string;
  ttl?: string;
  token?: string;
  publicUrl?: string;
  outbound?: string;
  apiKey?: string;
  apiSecret?: string;
}

const EXAMPLES = `
Examples:
  $ umhooks serve                               # http://127.0.0.1:8787, data in ./.umhooks/
  $ umhooks serve --port 9000 --data /tmp/hooks.db
  $ umhooks serve --memory --max-requests 100   # throwaway run, nothing written to disk
  $ umhooks serve --host 0.0.0.0 --public-url https://hooks.example.com --trust-proxy
  $ UMHOOKS_PORT=9000 UMHOOKS_TTL=1d umhooks serve

Every flag can also come from the environment variable shown next to it.`;

function serverInput(command: Command): ConfigInput {
  const o = command.opts<ServeOptions>();
  const input: ConfigInput = {
    memory: booleanFromEnv(command, 'memory', 'UMHOOKS_MEMORY'),
    trustProxy: booleanFromEnv(command, 'trustProxy', 'UMHOOKS_TRUST_PROXY'),
    quiet: booleanFromEnv(command, 'quiet', 'UMHOOKS_QUIET'),
  };
  // Only what was given: config.ts owns the defaults.
  if (o.host !== undefined) input.host = o.host;
  if (o.port !== undefined) input.port = o.port as unknown as number; // coerced by the schema
  if (o.data !== undefined) input.data = o.data;
  if (o.store !== undefined) input.store = o.store;
  if (o.bodyLimit !== undefined) input.bodyLimit = o.bodyLimit;
  if (o.maxRequests !== undefined) input.maxRequests = o.maxRequests as unknown as number;
  if (o.ttl !== undefined) input.ttl = o.ttl;
  if (o.token !== undefined) input.token = o.token;
  if (o.publicUrl !== undefined) input.publicUrl = o.publicUrl;
  // Checked by config.ts's schema, which names the allowed values.
  if (o.outbound !== undefined) input.outbound = o.outbound as 'any' | 'public';
  if (o.apiKey !== undefined) input.apiKey = o.apiKey;
  if (o.apiSecret !== undefined) input.apiSecret = o.apiSecret;
  return input;
}

function humanBytes(bytes: number): string {
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function humanDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  for (const [size, unit] of units) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** The address people open: the public URL, else the listening one (loopback for 0.0.0.0/::). */
function uiBase(running: RunningServer): string {
  if (running.context.config.publicUrl) return running.context.baseUrl();
  return running.url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:');
}

async function startUp(running: RunningServer, input: ConfigInput): Promise<void> {
  const { config, token, store } = running.context;
  const base = uiBase(running);
  const ui = token ? `${base}/?token=${encodeURIComponent(token)}` : `${base}/`;
  const exampleId = await ensureExampleBin(store, running.context.now());
  const binUrl = `${running.context.baseUrl()}/b/${exampleId}`;
  const exposed = !isLoopback(config.host);
  // People (and tests' spawnServer) read the first URL: it is the UI's; behind a public URL the
  // local address follows it.
  const local = config.publicUrl ? ` (listening on ${running.url})` : '';
  console.log(`umhooks is running: ${ui}${local}`);
  if (config.quiet) {
    if (exposed && input.token === undefined) console.log(`  Access token  ${token}`);
    return;
  }
  const storage =
    store.kind === 'sqlite'
      ? dataFile(config.data)
      : store.kind === 'memory'
        ? 'in memory (lost on exit)'
        : 'PostgreSQL';
  console.log(`
  Capture URL   ${binUrl}    (bin "example": paste it into a webhook sender)
  API           ${base}/api    (OpenAPI document: ${base}/api/openapi.json)
${await sandboxLines(running)}
  Data          ${storage}
  Limits        body ${humanBytes(config.bodyLimit)}, ${config.maxRequests} requests per bin, bins expire after ${humanDuration(config.ttl)} unused
  Outbound      ${outboundLine(running.context.outbound.mode)}`);
  if (exposed) {
    console.log(
      `  Access token  ${token}    (the UI, /api and /ws require it; capture URLs stay open)`,
    );
    if (!config.publicUrl) {
      console.log(
        `  Note          listening on ${config.host}: pass --public-url <https://your.host> so bin URLs show the address senders reach.`,
      );
    }
  }
  console.log(`
Try it:
  curl -X POST '${binUrl}' -H 'Content-Type: application/json' -d '{"hello":"world"}'
  umhooks tail '${binUrl}'${token ? ` --token '${token}'` : ''}

Press Ctrl-C to stop.`);
}

function outboundLine(mode: 'any' | 'public'): string {
  return mode === 'public'
    ? 'public: deliveries and replays to loopback, private, link-local or reserved addresses are refused (--outbound any to allow)'
    : 'any: deliveries and replays may reach any address, this machine and its network too';
}

/** First SIGINT/SIGTERM: stop accepting, finish in-flight requests, flush, exit 0. Second: exit now. */
function stopOnSignals(running: RunningServer, quiet: boolean): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`umhooks: ${signal} again, exiting without waiting.`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    stopping = true;
    if (!quiet)
      console.error(`\numhooks: ${signal}: finishing in-flight requests… (again to force)`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`umhooks: could not stop cleanly: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function startFailure(error: unknown, input: ConfigInput): never {
  // Only the listening socket's errors are about the address; a data file's EACCES is not.
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  if (syscall !== 'listen') fail((error as Error).message ?? String(error), invalidSettings(error));
  const where = `${input.host ?? '127.0.0.1'}:${input.port ?? 8787}`;
  if (code === 'EADDRINUSE') {
    fail(
      `${where} is already in use (another umhooks?). Stop it, or pass --port <number> (--port 0 picks a free one).`,
    );
  }
  if (code === 'EACCES') fail(`not allowed to listen on ${where}: use a port above 1024.`);
  if (code === 'EADDRNOTAVAIL')
    fail(`${input.host} is not an address of this machine: check --host.`);
  fail((error as Error).message ?? String(error), invalidSettings(error));
}

/** Bad flags exit with 2, like commander's own usage errors. */
function invalidSettings(error: unknown): number {
  return (error as Error).message?.startsWith('Invalid settings') ? 2 : 1;
}

export function serveCommand(): Command {
  const command = new Command('serve')
    .description(
      'Run the capture bin, the sandbox network, the JSON API and the browser UI on one port.',
    )
    .addOption(
      new Option(
        '--host <address>',
        'address to listen on (default: 127.0.0.1, loopback only)',
      ).env('UMHOOKS_HOST'),
    )
    .addOption(
      new Option('--port <number>', 'port to listen on; 0 = any free one (default: 8787)').env(
        'UMHOOKS_PORT',
      ),
    )
    .addOption(
      new Option(
        '--data <file>',
        'SQLite data file, or a directory for umhooks.db (default: .umhooks/umhooks.db)',
      ).env('UMHOOKS_DATA'),
    )
    .addOption(
      new Option('--memory', 'keep everything in memory: nothing written, lost on exit').env(
        'UMHOOKS_MEMORY',
      ),
    )
    .addOption(
      new Option('--store <url>', 'postgres://… to share the data between several servers').env(
        'UMHOOKS_STORE',
      ),
    )
    .addOption(
      new Option(
        '--body-limit <size>',
        'largest request body captured, e.g. 512kb, 10mb (default: 10mb)',
      ).env('UMHOOKS_BODY_LIMIT'),
    )
    .addOption(
      new Option(
        '--max-requests <count>',
        'requests kept per bin; older ones are dropped (default: 500)',
      ).env('UMHOOKS_MAX_REQUESTS'),
    )
    .addOption(
      new Option(
        '--ttl <duration>',
        'delete bins unused (UI/API) for this long, e.g. 12h, 7d (default: 7d)',
      ).env('UMHOOKS_TTL'),
    )
    .addOption(
      new Option(
        '--token <token>',
        'access token for the UI, /api and /ws (generated when --host is not loopback)',
      ).env('UMHOOKS_TOKEN'),
    )
    .addOption(
      new Option(
        '--trust-proxy',
        'take the sender address from X-Forwarded-For (behind a reverse proxy)',
      ).env('UMHOOKS_TRUST_PROXY'),
    )
    .addOption(
      new Option(
        '--public-url <url>',
        'base URL people and senders reach, e.g. https://hooks.example.com',
      ).env('UMHOOKS_PUBLIC_URL'),
    )
    .addOption(
      new Option(
        '--outbound <any|public>',
        'where deliveries and replays may go: public refuses loopback, private and link-local targets (default: any on loopback, else public)',
      ).env('UMHOOKS_OUTBOUND'),
    )
    .addOption(
      new Option(
        '--api-key <key>',
        'sandbox REST API key (default: generated on first start, then kept)',
      ).env('UMHOOKS_API_KEY'),
    )
    .addOption(
      new Option(
        '--api-secret <secret>',
        'sandbox REST API secret (default: generated on first start, then kept)',
      ).env('UMHOOKS_API_SECRET'),
    )
    .addOption(
      new Option('--quiet', 'print only the UI address (and a generated token)').env(
        'UMHOOKS_QUIET',
      ),
    )
    .addHelpText('after', EXAMPLES)
    .action(async (_options: ServeOptions, self: Command) => {
      const input = serverInput(self);
      let running: RunningServer;
      try {
        running = await startServer(input);
      } catch (error) {
        startFailure(error, input);
      }
      stopOnSignals(running, running.context.config.quiet);
      await startUp(running, input);
    });
  return command;
}
