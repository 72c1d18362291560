import { buildReplay, sendReplay, type ReplayAttempt } from '@umhooks/core';
import { Command, Option } from 'commander';
import { isValidBinId } from '../store/bin-id.js';
import type { RequestJson, RequestSummaryJson } from '../wire/request.js';
import { fail } from './options.js';
import { printable } from './tail-format.js';

const DEFAULT_SERVER = 'http://127.0.0.1:8787';
const DEFAULT_LIMIT = 100;
const PAGE = 500;

/** What to replay: one request (its bin may be unknown: a bare id), or a bin's requests. */
type ReplaySource =
  | { kind: 'request'; server: string; binId: string | undefined; requestId: string }
  | { kind: 'bin'; server: string; binId: string };

const REQUEST_ID = /^req_[A-Za-z0-9_-]{1,60}$/;

/**
 * `req_…`, a bin id, or a URL naming either: the UI's (`…/#/bins/<bin>[/<request>]`), the
 * API's (`…/api/bins/<bin>[/requests/<request>]`) or a capture URL (`…/b/<bin>`).
 */
function parseReplaySource(
  argument: string,
  server: string | undefined,
  bin: string | undefined,
): ReplaySource {
  let base = server;
  let binId = bin;
  let requestId: string | undefined;
  if (/^https?:\/\//i.test(argument)) {
    const url = new URL(argument);
    const ui = /^#\/bins\/([^/?#]+)(?:\/([^/?#]+))?/.exec(url.hash);
    const api = /^(.*?)\/api\/bins\/([^/?#]+)(?:\/requests\/([^/?#]+))?/.exec(url.pathname);
    const capture = /^(.*?)\/b\/([^/?#]+)/.exec(url.pathname);
    if (ui) {
      base ??= `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
      binId = decodeURIComponent(ui[1]!);
      requestId = ui[2] === undefined ? undefined : decodeURIComponent(ui[2]);
    } else if (api) {
      base ??= `${url.origin}${api[1]}`;
      binId = decodeURIComponent(api[2]!);
      requestId = api[3] === undefined ? undefined : decodeURIComponent(api[3]);
    } else if (capture) {
      base ??= `${url.origin}${capture[1]}`;
      binId = decodeURIComponent(capture[2]!);
    } else {
      throw new Error(
        `${argument} names no request or bin: give a request id (req_…), a bin id, or a URL from the UI (…/#/bins/<bin>/<request>), the API (…/api/bins/<bin>/requests/<request>) or a capture URL (…/b/<bin>).`,
      );
    }
  } else if (REQUEST_ID.test(argument)) {
    requestId = argument;
  } else {
    binId = argument;
  }
  if (binId !== undefined && !isValidBinId(binId)) {
    throw new Error(
      `"${binId}" is not a bin id (4 to 64 letters, digits, "-" or "_"), nor a request id (req_…).`,
    );
  }
  if (requestId !== undefined && !REQUEST_ID.test(requestId)) {
    throw new Error(`"${requestId}" is not a request id (req_…).`);
  }
  base = (base ?? DEFAULT_SERVER).replace(/\/+$/, '');
  if (!/^https?:\/\//i.test(base)) throw new Error(`--server ${base} is not an http(s) URL.`);
  if (requestId !== undefined) return { kind: 'request', server: base, binId, requestId };
  return { kind: 'bin', server: base, binId: binId! };
}

/** `90s`, `15m`, `1h`, `2d`, `1w`, or a date (ISO 8601): the epoch ms it means. */
function parseSince(text: string, now = Date.now()): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/i.exec(text.trim());
  if (match) {
    const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 }[
      match[2]!.toLowerCase() as 's'
    ];
    return now - Number(match[1]) * unit;
  }
  const date = Date.parse(text);
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && Number.isFinite(date)) return date;
  throw new Error(
    `--since ${text} is not a duration (30s, 15m, 1h, 2d, 1w) or a date (2026-05-01, 2026-05-01T10:00:00Z).`,
  );
}

/** A failure the user can act on: printed as is, exit code 1. */
class ReplayError extends Error {}

interface Options {
  to: string;
  server?: string;
  token?: string;
  bin?: string;
  query?: string;
  event?: string;
  since?: string;
  limit?: string;
  timeout?: string;
}

/** The umhooks server's API, with errors that say what to do. */
function apiClient(server: string, token: string | undefined) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return async function get<T>(path: string): Promise<T | undefined> {
    let res: Response;
    try {
      res = await fetch(`${server}${path}`, { headers });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ReplayError(
        `cannot reach the umhooks server at ${server} (${cause?.code ?? cause?.message ?? String(error)}). Start it with "umhooks serve", or pass --server <url>.`,
      );
    }
    const text = await res.text();
    if (res.status === 404) return undefined;
    if (res.status === 401) {
      throw new ReplayError(
        `${server} requires an access token: pass --token <token> (printed by "umhooks serve") or set UMHOOKS_TOKEN.`,
      );
    }
    if (!res.ok) {
      let message = text.slice(0, 500);
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        // not JSON: show the text
      }
      throw new ReplayError(`${server} answered ${res.status}: ${printable(message)}`);
    }
    return JSON.parse(text) as T;
  };
}

type Get = ReturnType<typeof apiClient>;

async function findRequest(
  get: Get,
  server: string,
  binId: string | undefined,
  requestId: string,
): Promise<RequestJson> {
  const one = (bin: string) =>
    get<RequestJson>(
      `/api/bins/${encodeURIComponent(bin)}/requests/${encodeURIComponent(requestId)}`,
    );
  if (binId !== undefined) {
    const request = await one(binId);
    if (request) return request;
    if (!(await get(`/api/bins/${encodeURIComponent(binId)}`))) {
      throw new ReplayError(`no bin "${binId}" on ${server}: it was deleted or expired.`);
    }
    throw new ReplayError(
      `no request "${requestId}" in bin "${binId}" on ${server}: it was deleted, or pushed out by newer requests.`,
    );
  }
  // A bare request id: look in each bin (a server holds a handful).
  const bins = (await get<{ items: Array<{ id: string }> }>('/api/bins'))?.items ?? [];
  for (const bin of bins) {
    const request = await one(bin.id);
    if (request) return request;
  }
  throw new ReplayError(
    `no request "${requestId}" in any bin on ${server}: it was deleted, or pushed out by newer requests (or pass --server for another server).`,
  );
}

/** The bin's requests that match, oldest first: the newest `limit` of them. */
async function selectRequests(
  get: Get,
  server: string,
  binId: string,
  filters: { q?: string; event?: string; since?: number; limit: number },
): Promise<RequestSummaryJson[]> {
  const bin = encodeURIComponent(binId);
  if (!(await get(`/api/bins/${bin}`))) {
    throw new ReplayError(
      `no bin "${binId}" on ${server}: it was deleted, expired, or never created.`,
    );
  }
  const chosen: RequestSummaryJson[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({
      include_body: 'false',
      limit: String(Math.min(PAGE, filters.limit - chosen.length)),
    });
    if (filters.q) params.set('q', filters.q);
    if (filters.event) params.set('event', filters.event);
    if (cursor) params.set('cursor', cursor);
    const page = await get<{ items: RequestSummaryJson[]; next_cursor: string | null }>(
      `/api/bins/${bin}/requests?${params}`,
    );
    if (!page) throw new ReplayError(`bin "${binId}" was deleted on ${server}.`);
    let older = false;
    for (const item of page.items) {
      if (filters.since !== undefined && Date.parse(item.received_at) < filters.since) {
        older = true;
        break;
      }
      if (chosen.length < filters.limit) chosen.push(item);
    }
    cursor = older || chosen.length >= filters.limit ? null : page.next_cursor;
  } while (cursor);
  return chosen.sort((a, b) => a.seq - b.seq);
}

function outcome(attempt: ReplayAttempt): string {
  if (attempt.status !== undefined) return `${attempt.status} (${attempt.durationMs} ms)`;
  return `not sent: ${attempt.error?.message ?? 'no answer'} (${attempt.durationMs} ms)`;
}

async function replayOne(request: RequestJson, to: URL, timeoutMs: number): Promise<ReplayAttempt> {
  const sent = buildReplay(to, {
    method: request.method,
    path: request.path,
    query: request.query,
    headers: request.headers,
    body: Buffer.from(request.body_base64, 'base64'),
  });
  return sendReplay(sent, { timeoutMs });
}

/** Replays one request or a bin's requests from this machine; resolves to the exit code. */
async function runReplay(source: ReplaySource, to: URL, options: Options): Promise<number> {
  const get = apiClient(source.server, options.token || undefined);
  const out = (text: string) => process.stdout.write(`${text}\n`);
  const timeoutMs = options.timeout === undefined ? 30_000 : Number(options.timeout) * 1000;

  if (source.kind === 'request') {
    const request = await findRequest(get, source.server, source.binId, source.requestId);
    const attempt = await replayOne(request, to, timeoutMs);
    out(`${request.method} ${request.url} → ${attempt.request.url}: ${outcome(attempt)}`);
    return attempt.status === undefined ? 1 : 0;
  }

  const requests = await selectRequests(get, source.server, source.binId, {
    ...(options.query ? { q: options.query } : {}),
    ...(options.event ? { event: options.event } : {}),
    ...(options.since !== undefined ? { since: parseSince(options.since) } : {}),
    limit: options.limit === undefined ? DEFAULT_LIMIT : Number(options.limit),
  });
  if (requests.length === 0) {
    out(`Nothing to replay: no request in bin "${source.binId}" matches.`);
    return 0;
  }
  process.stderr.write(
    `Replaying ${requests.length} request${requests.length === 1 ? '' : 's'} of bin "${source.binId}" to ${to.href}, oldest first.\n`,
  );
  const statuses = new Map<number, number>();
  let failed = 0;
  let index = 0;
  for (const summary of requests) {
    index += 1;
    const prefix = `[${index}/${requests.length}] ${summary.method} ${summary.url}`;
    const request = await get<RequestJson>(
      `/api/bins/${encodeURIComponent(source.binId)}/requests/${encodeURIComponent(summary.id)}`,
    );
    if (!request) {
      failed += 1;
      out(`${prefix} → skipped: deleted meanwhile`);
      continue;
    }
    const attempt = await replayOne(request, to, timeoutMs);
    if (attempt.status === undefined) failed += 1;
    else statuses.set(attempt.status, (statuses.get(attempt.status) ?? 0) + 1);
    out(`${prefix} → ${outcome(attempt)}`);
  }
  const sent = requests.length - failed;
  const byStatus = [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${count} × ${status}`)
    .join(', ');
  out(`Sent ${sent} of ${requests.length}${byStatus ? ` (${byStatus})` : ''}; ${failed} failed.`);
  return failed > 0 ? 1 : 0;
}

const EXAMPLES = `
Examples:
  $ umhooks replay req_0lq3k2v8xAbCdEfGhIjKlMnOp --to http://localhost:3000/webhooks
  $ umhooks replay 'http://127.0.0.1:8787/#/bins/my-bin/req_0lq3k2v8xAbCdEfGhIjKlMnOp' --to http://localhost:3000/webhooks
  $ umhooks replay my-bin --to http://localhost:3000/webhooks --since 1h
  $ umhooks replay my-bin --to http://localhost:3000/webhooks --event payment_received --limit 5
  $ umhooks replay https://hooks.example.com/b/my-bin --to http://localhost:3000/hooks --token "$UMHOOKS_TOKEN"

Sends from this machine (the server needs no access to the target): the same method, headers
(order, case, duplicates; not hop-by-hop ones; Host set for the target) and exact body bytes,
so a Standard Webhooks, Svix or Stripe signature still verifies (within its timestamp
tolerance). The path and query below the bin are appended to the --to URL.

With a bin, its matching requests (--query, --event, --since; the newest --limit of them) are
sent one after another in the order they arrived, with a line each and a summary. The exit
code is 1 when a request could not be sent (the target's own statuses are reported, not
judged). Replays made here are not recorded on the server; the UI and the API record theirs.`;

export function replayCommand(): Command {
  return new Command('replay')
    .description('Send captured requests again, from this machine, to any URL.')
    .argument('<request-or-bin>', 'request id (req_…) or URL, or a bin id or URL')
    .requiredOption('--to <url>', 'where to send, e.g. http://localhost:3000/webhooks')
    .addOption(
      new Option(
        '--server <url>',
        `umhooks server (default: the URL's, else ${DEFAULT_SERVER})`,
      ).env('UMHOOKS_SERVER'),
    )
    .addOption(
      new Option('--token <token>', 'access token, when the server requires one').env(
        'UMHOOKS_TOKEN',
      ),
    )
    .option('--bin <bin>', 'the bin of a bare request id (else every bin is searched)')
    .option('--query <text>', 'with a bin: only requests containing this text')
    .option('--event <event>', 'with a bin: only requests recognized as this event')
    .option('--since <when>', 'with a bin: only requests since then (30m, 2h, 1d, or a date)')
    .option('--limit <n>', `with a bin: at most n requests, the newest (default ${DEFAULT_LIMIT})`)
    .option('--timeout <seconds>', 'how long to wait for each answer (default 30)')
    .addHelpText('after', EXAMPLES)
    .action(async (argument: string, options: Options) => {
      let source: ReplaySource;
      try {
        // An empty UMHOOKS_SERVER means unset.
        source = parseReplaySource(argument, options.server || undefined, options.bin);
      } catch (error) {
        fail(
          error instanceof TypeError ? `${argument} is not a valid URL.` : (error as Error).message,
          2,
        );
      }
      const to = URL.canParse(options.to) ? new URL(options.to) : undefined;
      if (to?.protocol !== 'http:' && to?.protocol !== 'https:') {
        fail(
          `--to ${options.to} is not an http(s) URL: give where to send, e.g. http://localhost:3000/webhooks.`,
          2,
        );
      }
      if (source.kind === 'request') {
        for (const flag of ['query', 'event', 'since', 'limit'] as const) {
          if (options[flag] !== undefined) {
            fail(`--${flag} selects requests of a bin: give a bin, not one request.`, 2);
          }
        }
      }
      if (
        options.limit !== undefined &&
        !(Number.isInteger(Number(options.limit)) && Number(options.limit) >= 1)
      ) {
        fail(`--limit ${options.limit} is not a whole number of at least 1.`, 2);
      }
      if (
        options.timeout !== undefined &&
        !(Number(options.timeout) > 0 && Number(options.timeout) <= 600)
      ) {
        fail(`--timeout ${options.timeout} is not a number of seconds from 0 to 600.`, 2);
      }
      if (options.since !== undefined) {
        try {
          parseSince(options.since);
        } catch (error) {
          fail((error as Error).message, 2);
        }
      }
      try {
        process.exitCode = await runReplay(source, to!, options);
      } catch (error) {
        if (error instanceof ReplayError) fail(error.message, 1);
        throw error;
      }
    });
}
