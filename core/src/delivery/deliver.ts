// One delivery attempt: build the request, send it (the plugin profile over node:http with
// WordPress's header lines, following redirects like WordPress; the standard one over undici,
// never redirected), and record what happened. Network problems
// become attempts with an error kind; only caller mistakes (bad payload, missing secret) throw.
import net from 'node:net';
import { buildContent, frame, InvalidTargetError, parseTarget, retarget } from './build-request.js';
import { exchange, exchangeOverWire } from './http-exchange.js';
import {
  blockedAddressError,
  deliveryLookup,
  isPrivateAddress,
  sharedAgent,
} from './network-guard.js';
import { parseRetryAfter } from './retry-after.js';
import type {
  Attempt,
  AttemptRequest,
  DeliverOptions,
  ExchangeResult,
  RedirectHop,
} from './types.js';
import {
  EXPECT_CONTINUE_TIMEOUT_MS,
  isFollowedRedirect,
  PLUGIN_CONNECT_TIMEOUT_MS,
  PLUGIN_MAX_REDIRECTS,
  PLUGIN_TIMEOUT_MS,
  redirectMethod,
} from './wordpress.js';

export { buildRequest } from './build-request.js';

const STANDARD_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

function headerValue(
  headers: Array<[string, string]> | undefined,
  name: string,
): string | undefined {
  return headers?.find(([key]) => key.toLowerCase() === name)?.[1];
}

function responseFields(result: ExchangeResult, receivedAtMs: number): Partial<Attempt> {
  if (result.status === undefined) return result.error ? { error: result.error } : {};
  const retryAfterMs = parseRetryAfter(headerValue(result.headers, 'retry-after'), receivedAtMs);
  return {
    status: result.status,
    responseHeaders: result.headers ?? [],
    responseBody: result.body ?? '',
    responseTruncated: result.truncated ?? false,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(result.error ? { error: result.error } : {}),
  };
}

export async function deliver(
  target: string,
  payload: unknown,
  options: DeliverOptions,
): Promise<Attempt> {
  const plugin = options.profile === 'plugin';
  if (plugin && options.dispatcher) {
    // Silently ignoring it could drop a guard or resolver the caller relies on.
    throw new TypeError(
      'The plugin profile sends over node:http (to write the header lines WordPress writes) and ' +
        'takes no dispatcher: pass `lookup` and `blockPrivateNetworks` instead.',
    );
  }
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const content = buildContent(payload, options);
  const attempt = (request: AttemptRequest, fields: Partial<Attempt>): Attempt => ({
    startedAt,
    durationMs: Math.round(performance.now() - started),
    request,
    ...fields,
  });

  let url: URL;
  try {
    url = parseTarget(target);
  } catch (error) {
    if (!(error instanceof InvalidTargetError)) throw error;
    const request: AttemptRequest = {
      method: 'POST',
      url: target,
      headers: content.headers,
      body: content.body,
    };
    return attempt(request, { error: { kind: 'invalid-url', message: error.message } });
  }

  const request = frame(url, content);
  const timeoutMs = options.timeoutMs ?? (plugin ? PLUGIN_TIMEOUT_MS : STANDARD_TIMEOUT_MS);
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const blockPrivate = options.blockPrivateNetworks ?? false;
  const send = (
    current: AttemptRequest,
    currentUrl: URL,
    limits: { timeoutMs: number },
    local: boolean,
  ) => {
    const common = {
      ...limits,
      maxResponseBytes,
      ...(options.signal ? { signal: options.signal } : {}),
    };
    if (local && options.local) return options.local.exchange(current, common);
    if (!plugin) {
      return exchange(options.dispatcher ?? sharedAgent(blockPrivate), current, common, currentUrl);
    }
    const lookup = deliveryLookup(blockPrivate, options.lookup, options.blockedHint);
    return exchangeOverWire(current, {
      ...common,
      connectTimeoutMs: PLUGIN_CONNECT_TIMEOUT_MS,
      expectContinueMs: EXPECT_CONTINUE_TIMEOUT_MS,
      ...(lookup ? { lookup } : {}),
    });
  };
  const redirects: RedirectHop[] = [];
  const trail = (): Partial<Attempt> =>
    redirects.length > 0 ? { redirects, finalUrl: redirects.at(-1)!.location } : {};

  for (let current = request, currentUrl = url; ;) {
    // Literal IPs never reach a DNS lookup, so they are checked here (the agent checks names).
    // A local answer (this server's own capture URL) is never refused.
    const isLocal = options.local?.handles(currentUrl) ?? false;
    const host = blockPrivate && !isLocal ? currentUrl.hostname.replace(/^\[(.*)\]$/, '$1') : '';
    if (host !== '' && net.isIP(host) && isPrivateAddress(host)) {
      const message = blockedAddressError(host, host, options.blockedHint).message;
      return attempt(request, { ...trail(), error: { kind: 'blocked', message } });
    }
    const remaining = Math.max(1, Math.round(timeoutMs - (performance.now() - started)));
    const result = await send(current, currentUrl, { timeoutMs: remaining }, isLocal);
    const fields = responseFields(result, Date.now());
    // Only the plugin profile follows redirects (WordPress does).
    const location = plugin ? headerValue(result.headers, 'location') : undefined;
    const status = result.status;
    if (
      !plugin ||
      status === undefined ||
      result.error ||
      !isFollowedRedirect(status) ||
      location === undefined
    ) {
      return attempt(request, redirects.length > 0 ? { ...trail(), ...fields } : fields);
    }

    if (redirects.length >= PLUGIN_MAX_REDIRECTS) {
      const message = `Too many redirects: WordPress follows at most ${PLUGIN_MAX_REDIRECTS}.`;
      return attempt(request, { ...trail(), ...fields, error: { kind: 'redirect', message } });
    }
    let next: URL;
    try {
      next = new URL(location, currentUrl);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new TypeError();
    } catch {
      const message = `Redirect to "${location.slice(0, 200)}" not followed: only HTTP(S) requests are handled.`;
      return attempt(request, { ...trail(), ...fields, error: { kind: 'redirect', message } });
    }
    redirects.push({ method: current.method, url: current.url, status, location: next.href });
    current = retarget(current, next, redirectMethod(status, current.method));
    currentUrl = next;
  }
}
