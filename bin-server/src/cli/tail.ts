import { Command, Option } from 'commander';
import type { WebSocket } from 'ws';
import { isValidBinId } from '../store/bin-id.js';
import type { LiveMessage } from '../wire/live.js';
import type { RequestJson, RequestSummaryJson } from '../wire/request.js';
import { parseDuration } from '../config.js';
import {
  DEFAULT_RESPOND_TIMEOUT_MS,
  MAX_RESPOND_TIMEOUT_MS,
  MIN_RESPOND_TIMEOUT_MS,
} from '../responders/limits.js';
import { forward } from './forward.js';
import { fail } from './options.js';
import { askApp } from './respond.js';
import { formatBody, formatLine, printable } from './tail-format.js';

export interface TailTarget {
  /** Base URL of the server, without a trailing slash. */
  server: string;
  binId: string;
}

interface TailOptions {
  server?: string;
  token?: string;
  body?: boolean;
  json?: boolean;
  forward?: string;
  respond?: boolean;
  respondTimeout?: string;
  /** Parsed from respondTimeout. */
  respondTimeoutMs?: number;
}

const DEFAULT_SERVER = 'http://127.0.0.1:8787';

/** `<bin id>` or a bin URL (`http://host:port[/prefix]/b/<id>[/…]`), plus `--server`. */
export function parseTailTarget(target: string, server: string | undefined): TailTarget {
  let base = server;
  let binId = target;
  if (/^https?:\/\//i.test(target)) {
    const url = new URL(target);
    const match = /^(.*?)\/b\/([^/?#]+)/.exec(url.pathname);
    if (!match) {
      throw new Error(`${target} is not a bin URL: expected …/b/<bin id>.`);
    }
    base ??= `${url.origin}${match[1]}`;
    binId = decodeURIComponent(match[2]!);
  }
  if (!isValidBinId(binId)) {
    throw new Error(
      `"${binId}" is not a bin id (4 to 64 letters, digits, "-" or "_"). Pass a bin id or a bin URL.`,
    );
  }
  base ??= DEFAULT_SERVER;
  if (!/^https?:\/\//i.test(base)) throw new Error(`--server ${base} is not an http(s) URL.`);
  return { server: base.replace(/\/+$/, ''), binId };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function authHeaders(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function fetchJson<T>(url: string, token: string | undefined): Promise<T> {
  const res = await fetch(url, { headers: authHeaders(token) });
  if (!res.ok) throw new Error(`${res.status} from ${url}`);
  return (await res.json()) as T;
}

async function fetchBytes(url: string, token: string | undefined): Promise<Uint8Array> {
  const res = await fetch(url, { headers: authHeaders(token) });
  if (!res.ok) throw new Error(`${res.status} from ${url}`);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * Follows one bin over /ws until interrupted: prints each request as it arrives, reconnects with
 * backoff when the connection drops (and prints what was missed), and stops with a clear message
 * when the server cannot be reached at first, refuses the token, or has no such bin.
 */
async function runTail(target: TailTarget, options: TailOptions): Promise<number> {
  // Loaded here, not with the CLI: every other command (serve too) starts without it.
  const { WebSocket: Socket } = await import('ws');
  const { server, binId } = target;
  const token = options.token;
  const bin = encodeURIComponent(binId);
  const wsUrl = `${server.replace(/^http/i, 'ws')}/ws?bin=${bin}`;
  const api = `${server}/api/bins/${bin}`;
  let everConnected = false;
  let failures = 0;
  let lastSeq = 0;
  let stopped = false;
  let socket: WebSocket | undefined;
  let retry: NodeJS.Timeout | undefined;
  // Output stays in arrival order even when bodies are fetched.
  let output = Promise.resolve();

  const say = (text: string) => process.stderr.write(`${text}\n`);

  const forwardTo = options.forward === undefined ? undefined : new URL(options.forward);
  // With --respond, requests are forwarded when the bin holds them for this forwarder (`forward`
  // messages), and the app's answer goes back; without, each is forwarded as it is shown.
  const forwardEach = forwardTo !== undefined && !options.respond;
  const respondTimeoutMs = options.respondTimeoutMs ?? DEFAULT_RESPOND_TIMEOUT_MS;
  let responding = false;

  const report = (line: string) => {
    // JSON output stays one object per line: the forwarding report goes to stderr then.
    if (options.json) say(line);
    else process.stdout.write(`${line}\n`);
  };

  /** A request the bin holds for this forwarder: the app's answer goes back to the bin. */
  async function answerHeld(requestId: string, timeoutMs: number): Promise<void> {
    const target = forwardTo!;
    let line: string;
    try {
      const full = await fetchJson<RequestJson>(
        `${api}/requests/${encodeURIComponent(requestId)}`,
        token,
      );
      const { url, answer } = await askApp(target, full, timeoutMs);
      if (socket?.readyState === socket?.OPEN) socket?.send(JSON.stringify(answer));
      line =
        'error' in answer
          ? `    ↩ ${requestId}: not answered by ${url}: ${answer.error} (${answer.app_ms} ms); the bin answers as configured`
          : `    ↩ ${requestId}: ${answer.status} from ${url} sent back to the sender (${answer.app_ms} ms)`;
    } catch (error) {
      const reason = String(error);
      socket?.send(JSON.stringify({ type: 'answer', request_id: requestId, error: reason }));
      line = `    ↩ ${requestId}: not answered: ${reason}; the bin answers as configured`;
    }
    output = output.then(() => report(line));
  }

  async function print(request: RequestSummaryJson): Promise<void> {
    const full =
      forwardEach || (options.json && options.body)
        ? await fetchJson<RequestJson>(`${api}/requests/${encodeURIComponent(request.id)}`, token)
        : undefined;
    if (options.json) {
      process.stdout.write(`${JSON.stringify(options.body ? full : request)}\n`);
    } else {
      process.stdout.write(`${formatLine(request)}\n`);
      if (options.body) {
        // Forwarding fetched the whole request already: its bytes are in it.
        const body = full
          ? Buffer.from(full.body_base64, 'base64')
          : await fetchBytes(`${api}/requests/${encodeURIComponent(request.id)}/raw`, token);
        const text = formatBody(body).replace(/^/gm, '    ');
        process.stdout.write(`${text}\n\n`);
      }
    }
    if (forwardEach && full) {
      const { url, result } = await forward(forwardTo, full);
      report(
        result.ok
          ? `    → ${result.status} from ${url} (${result.ms} ms)`
          : `    → not forwarded to ${url}: ${result.error} (${result.ms} ms)`,
      );
    }
  }

  function show(request: RequestSummaryJson): void {
    if (request.seq <= lastSeq) return;
    lastSeq = request.seq;
    output = output
      .then(() => print(request))
      .catch((error: unknown) => {
        say(`  (could not fetch the body of ${request.id}: ${String(error)})`);
      });
  }

  /** After a reconnect: print what arrived while disconnected (best effort, over the API). */
  async function catchUp(): Promise<void> {
    try {
      const page = await fetchJson<{ items: RequestSummaryJson[] }>(
        `${api}/requests?limit=100&include_body=false`,
        token,
      );
      // A bin deleted and created again meanwhile numbers from 1 again.
      if (page.items.length > 0 && page.items[0]!.seq < lastSeq) lastSeq = 0;
      for (const request of page.items.filter((r) => r.seq > lastSeq).reverse()) show(request);
    } catch {
      // The live stream goes on; only the gap is not shown.
    }
  }

  return new Promise<number>((resolve) => {
    const finish = (code: number, message?: string) => {
      if (stopped) return;
      stopped = true;
      clearTimeout(retry);
      socket?.terminate();
      if (message) say(message);
      void output.then(() => resolve(code));
    };
    process.once('SIGINT', () => finish(0));
    process.once('SIGTERM', () => finish(0));

    const connect = () => {
      if (stopped) return;
      const ws = new Socket(wsUrl, { headers: authHeaders(token), handshakeTimeout: 10_000 });
      socket = ws;
      let lastError: Error | undefined;
      let heartbeat: NodeJS.Timeout | undefined;
      // The server pings every 10 s: silence for 25 s means the link is dead.
      const beat = () => {
        clearTimeout(heartbeat);
        heartbeat = setTimeout(() => ws.terminate(), 25_000);
      };
      ws.on('open', beat);
      ws.on('ping', beat);
      ws.on('unexpected-response', (req, res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk.slice(0, 2000)));
        res.on('end', () => {
          req.destroy();
          let message = text;
          try {
            message = (JSON.parse(text) as { message?: string }).message ?? text;
          } catch {
            // not JSON: show the text
          }
          if (res.statusCode === 401) {
            finish(
              1,
              `umhooks: ${server} requires an access token: pass --token <token> (printed by "umhooks serve") or set UMHOOKS_TOKEN.`,
            );
          } else {
            finish(
              1,
              `umhooks: ${server} refused the live connection (${res.statusCode}): ${printable(message)}`,
            );
          }
        });
      });
      ws.on('error', (error) => (lastError = error));
      ws.on('message', (data) => {
        let message: LiveMessage;
        try {
          message = JSON.parse(String(data)) as LiveMessage;
        } catch {
          return;
        }
        if (message.type === 'hello') {
          if (message.unknown_bins.includes(binId)) {
            return finish(
              1,
              `umhooks: no bin "${binId}" on ${server}. Create it in the UI (${server}/) or with:\n  curl -X POST ${server}/api/bins -H 'Content-Type: application/json' -d '{"id":"${binId}"}'`,
            );
          }
          if (!everConnected) {
            say(
              `Watching ${server}/b/${binId} — requests appear here as they arrive (Ctrl-C to stop).`,
            );
          } else {
            say('Reconnected.');
            void catchUp();
          }
          everConnected = true;
          failures = 0;
          if (options.respond) {
            ws.send(JSON.stringify({ type: 'respond', bin: binId, timeout_ms: respondTimeoutMs }));
          }
        } else if (message.type === 'respond.ok' && message.bin === binId) {
          if (!responding) {
            say(
              `Answering for the bin: each request waits (up to ${respondTimeoutMs / 1000} s) for the answer of ${options.forward}, which goes back to its sender.`,
            );
          }
          responding = true;
        } else if (message.type === 'respond.refused' && message.bin === binId) {
          if (!responding) return finish(1, `umhooks: ${printable(message.message)}`);
          // Reconnected while the server still holds our previous connection's claim (it notices
          // a dead connection within its ping interval): ask again shortly.
          say('Waiting for the previous connection to the bin to end…');
          setTimeout(() => {
            if (socket === ws && ws.readyState === ws.OPEN) {
              ws.send(
                JSON.stringify({ type: 'respond', bin: binId, timeout_ms: respondTimeoutMs }),
              );
            }
          }, 3000).unref();
        } else if (message.type === 'forward' && message.bin === binId && forwardTo) {
          void answerHeld(message.request_id, message.timeout_ms);
        } else if (message.type === 'request' && message.bin === binId) {
          show(message.request);
        } else if (message.type === 'refetch' && message.topic === `bin:${binId}`) {
          // A request that reached this server only as a notice (several instances): fetch it.
          void catchUp();
        } else if (message.type === 'bin.deleted' && message.bin === binId) {
          finish(1, `umhooks: bin "${binId}" was deleted.`);
        }
      });
      ws.on('close', () => {
        clearTimeout(heartbeat);
        if (stopped) return;
        if (!everConnected) {
          const reason =
            (lastError as NodeJS.ErrnoException | undefined)?.code ?? lastError?.message;
          return finish(
            1,
            `umhooks: cannot reach the umhooks server at ${server}${reason ? ` (${reason})` : ''}. Start it with "umhooks serve", or pass --server <url>.`,
          );
        }
        failures += 1;
        const wait = Math.min(10_000, 500 * 2 ** (failures - 1)) * (0.75 + Math.random() / 4);
        say(`Connection lost; reconnecting in ${(wait / 1000).toFixed(1)} s…`);
        retry = setTimeout(connect, wait);
      });
    };
    connect();
  });
}

const EXAMPLES = `
Examples:
  $ umhooks tail http://127.0.0.1:8787/b/3qJ6pYk0R2m9Zx1w8Vb4Lg
  $ umhooks tail my-bin --server http://127.0.0.1:9000 --body
  $ umhooks tail my-bin --json | jq .recognition
  $ umhooks tail https://hooks.example.com/b/my-bin --token "$UMHOOKS_TOKEN"
  $ umhooks tail https://hooks.example.com/b/my-bin --forward http://localhost:3000/webhooks
  $ umhooks tail my-bin --forward http://localhost:3000/webhooks --respond --respond-timeout 5s

One line per request: time, method, path and query, size, content type and the recognized
Ultimate Multisite event (with the number of schema issues, if any).

--forward sends each request on, as it arrives, to a URL this machine reaches (your app on
localhost): same method, headers (order, case, duplicates; not hop-by-hop ones) and exact body
bytes, so signatures still verify. The path and query below the bin are appended to the URL.

--respond makes it two-way: while it runs, the bin holds each request until your app has
answered it, and sends your app's status, headers and body (at most 10 KB) back to the sender.
If the app is down or slower than --respond-timeout, or this command stops, the bin answers as
configured; the request records why. One --respond forwarder per bin at a time.`;

export function tailCommand(): Command {
  return new Command('tail')
    .description('Print the requests a bin receives, live, one line each.')
    .argument('<bin>', 'bin id or bin URL (http://host:port/b/<id>)')
    .addOption(
      new Option(
        '--server <url>',
        `umhooks server (default: the bin URL's, else ${DEFAULT_SERVER})`,
      ).env('UMHOOKS_SERVER'),
    )
    .addOption(
      new Option('--token <token>', 'access token, when the server requires one').env(
        'UMHOOKS_TOKEN',
      ),
    )
    .option('--body', 'also print each body (text, or a hex preview when binary)')
    .option('--json', 'print one JSON object per line (with --body: including the body)')
    .addOption(
      new Option(
        '--forward <url>',
        'also send each request on to this URL (e.g. your app on localhost)',
      ).env('UMHOOKS_FORWARD'),
    )
    .option(
      '--respond',
      "with --forward: the bin waits for your app's answer and sends it back to the sender",
    )
    .option(
      '--respond-timeout <duration>',
      `with --respond: how long the bin waits per request (default 10s, at most ${MAX_RESPOND_TIMEOUT_MS / 1000}s)`,
    )
    .addHelpText('after', EXAMPLES)
    .action(async (binArgument: string, options: TailOptions) => {
      let target: TailTarget;
      try {
        target = parseTailTarget(binArgument, options.server);
      } catch (error) {
        fail((error as Error).message, 2);
      }
      if (options.forward !== undefined && !isHttpUrl(options.forward)) {
        fail(
          `--forward ${options.forward} is not an http(s) URL: give where to send the requests, e.g. http://localhost:3000/webhooks.`,
          2,
        );
      }
      if (options.respond && options.forward === undefined) {
        fail('--respond needs --forward <url>: the app whose answers go back to the sender.', 2);
      }
      if (options.respondTimeout !== undefined) {
        let ms: number;
        try {
          ms = parseDuration(options.respondTimeout);
        } catch (error) {
          fail(`--respond-timeout: ${(error as Error).message}.`, 2);
        }
        if (ms < MIN_RESPOND_TIMEOUT_MS || ms > MAX_RESPOND_TIMEOUT_MS) {
          fail(
            `--respond-timeout ${options.respondTimeout} is out of range: give ${MIN_RESPOND_TIMEOUT_MS}ms to ${MAX_RESPOND_TIMEOUT_MS / 1000}s.`,
            2,
          );
        }
        options.respondTimeoutMs = ms;
      }
      process.exitCode = await runTail(target, options);
    });
}
