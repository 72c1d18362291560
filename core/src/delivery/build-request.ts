// Builds the exact request of one attempt for either profile.
import { randomBytes } from 'node:crypto';
import { getEvent } from '../events/catalog.js';
import { encodePhpJson } from './php-json.js';
import { sign } from './signature.js';
import type { AttemptRequest, DeliverOptions } from './types.js';
import {
  DEFAULT_SITE_URL,
  DEFAULT_WP_VERSION,
  DEFAULT_WU_VERSION,
  hostOf,
  pluginHeaders,
  wordpressHeaderLines,
} from './wordpress.js';

/** Keep equal to core/package.json's version (a test checks it). */
const CORE_VERSION = '0.1.0';
const STANDARD_USER_AGENT = `umhooks/${CORE_VERSION}`;

/** A target that cannot be sent to: not a URL, or not http/https. */
export class InvalidTargetError extends TypeError {
  override readonly name = 'InvalidTargetError';
}

export function parseTarget(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new InvalidTargetError(`"${target.slice(0, 200)}" is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidTargetError(
      `Only http and https URLs can receive webhooks (got ${url.protocol.replace(':', '')}).`,
    );
  }
  return url;
}

function generateMessageId(): string {
  return 'msg_' + randomBytes(18).toString('base64url');
}

/** The plugin's flat payload with `wu_version` set as `$payload['wu_version'] = …` does. */
function withWuVersion(payload: unknown, wuVersion: string | undefined): Record<string, unknown> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new TypeError('A webhook payload must be a JSON object (the plugin posts flat objects).');
  }
  const record = payload as Record<string, unknown>;
  if (wuVersion === undefined && 'wu_version' in record) return record;
  return { ...record, wu_version: wuVersion ?? DEFAULT_WU_VERSION };
}

/** Keys the catalog says PHP holds as floats, so the encoder can write them as PHP does. */
function floatKeysOf(eventId: string | undefined): Set<string> {
  const event = eventId === undefined ? undefined : getEvent(eventId);
  return new Set(event?.fields.filter((field) => field.encodesAsFloat).map((field) => field.key));
}

const encodedBodies = new WeakMap<object, Map<string, string>>();
const notCacheable = new WeakSet<object>();

/** Frozen all the way down, plain data only (no getters, no class instances): cannot change. */
function isImmutableData(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return typeof value !== 'function';
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return false;
  if (!Object.isFrozen(value)) return false;
  for (const descriptor of Object.values(Object.getOwnPropertyDescriptors(value))) {
    if (!('value' in descriptor) || !isImmutableData(descriptor.value)) return false;
  }
  return true;
}

/**
 * `encode()`, done once per encoding for a payload that cannot change (deeply frozen plain data:
 * the catalog samples, the sandbox's fired payloads). A fire sends one payload to every webhook
 * of its event, and encoding ~2 KB of JSON cost more than signing it (measured: 10 µs of the
 * ~50 µs core spent per delivery). Anything else is encoded on every call.
 */
function encodeOnce(payload: unknown, encoding: string, encode: () => string): string {
  if (typeof payload !== 'object' || payload === null || !Object.isFrozen(payload)) {
    return encode();
  }
  let bodies = encodedBodies.get(payload);
  if (bodies === undefined) {
    if (notCacheable.has(payload)) return encode();
    if (!isImmutableData(payload)) {
      notCacheable.add(payload);
      return encode();
    }
    bodies = new Map();
    encodedBodies.set(payload, bodies);
  }
  let body = bodies.get(encoding);
  if (body === undefined) {
    body = encode();
    bodies.set(encoding, body);
  }
  return body;
}

export interface Content {
  body: string;
  /** The profile's headers that do not depend on the target (recorded for an invalid one). */
  headers: Array<[string, string]>;
  /** Every header line written for a request to `url`, in order and case. */
  lines(url: URL): Array<[string, string]>;
}

/** Body and headers of an attempt; the lines that depend on the URL come from `lines`. */
export function buildContent(payload: unknown, options: DeliverOptions): Content {
  const wuVersion = options.wuVersion;
  if (options.profile === 'plugin') {
    const body = encodeOnce(payload, `plugin ${wuVersion} ${options.eventId}`, () =>
      encodePhpJson(withWuVersion(payload, wuVersion), {
        floatKeys: floatKeysOf(options.eventId),
      }),
    );
    const headers = pluginHeaders(
      options.wpVersion ?? DEFAULT_WP_VERSION,
      options.siteUrl ?? DEFAULT_SITE_URL,
    );
    const bytes = Buffer.byteLength(body);
    return { body, headers, lines: (url) => wordpressHeaderLines(url, headers, bytes) };
  }
  // Same flat payload (with wu_version) as the plugin profile, so receivers parse one shape;
  // ordinary JSON, signed over these exact bytes.
  const body = encodeOnce(payload, `standard ${wuVersion}`, () =>
    JSON.stringify(withWuVersion(payload, wuVersion)),
  );
  if (!options.secret) {
    throw new TypeError(
      'The standard profile signs every message: pass a `whsec_…` secret (see generateSecret()).',
    );
  }
  const id = options.messageId ?? generateMessageId();
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Array<[string, string]> = [
    ['User-Agent', STANDARD_USER_AGENT],
    ['Content-Type', 'application/json'],
    ['webhook-id', id],
    ['webhook-timestamp', String(timestamp)],
    ['webhook-signature', sign({ secret: options.secret, id, timestamp, body })],
  ];
  const length = String(Buffer.byteLength(body));
  return {
    body,
    headers,
    // The lines undici writes itself: host and connection first, content-length last.
    lines: (url) => [
      ['host', hostOf(url)],
      ['connection', 'keep-alive'],
      ...headers,
      ['content-length', length],
    ],
  };
}

export function frame(url: URL, content: Content): AttemptRequest {
  return { method: 'POST', url: url.href, headers: content.lines(url), body: content.body };
}

/**
 * The request of one attempt: the header lines exactly as they are written (WordPress's for the
 * plugin profile, undici's for the standard one) and the exact body. Throws a TypeError for an invalid target, payload or secret: those are the caller's
 * mistakes, not delivery failures.
 */
export function buildRequest(
  target: string,
  payload: unknown,
  options: DeliverOptions,
): AttemptRequest {
  const url = parseTarget(target);
  return frame(url, buildContent(payload, options));
}

/**
 * The same request sent to another URL (a followed redirect): new Host and Referer (Requests
 * points the referer at each hop's own URL), the other headers and the body unchanged.
 */
export function retarget(
  request: AttemptRequest,
  url: URL,
  method: AttemptRequest['method'],
): AttemptRequest {
  return {
    method,
    url: url.href,
    headers: request.headers.map(([name, value]): [string, string] => {
      if (name.toLowerCase() === 'host') return [name, hostOf(url)];
      return name === 'Referer' ? [name, url.href] : [name, value];
    }),
    body: request.body,
  };
}
