import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** `10mb`, `512kb`, `1048576` → bytes. */
function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?\s*$/i.exec(text);
  if (!match) throw new Error(`"${text}" is not a size: use a number of bytes or e.g. 512kb, 10mb`);
  const units: Record<string, number> = {
    b: 1,
    k: 1024,
    kb: 1024,
    m: 1024 ** 2,
    mb: 1024 ** 2,
    g: 1024 ** 3,
    gb: 1024 ** 3,
  };
  return Math.round(Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? 1));
}

/** `7d`, `12h`, `30m`, `45s`, `500ms`, `60000` → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (!match)
    throw new Error(`"${text}" is not a duration: use e.g. 7d, 12h, 30m, 45s or milliseconds`);
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Math.round(Number(match[1]) * (units[(match[2] ?? 'ms').toLowerCase()] ?? 1));
}

/** A number, or text for `parse`; a parser's error becomes a validation issue named after the flag. */
function amount(parse: (text: string) => number) {
  return z.union([z.number().int().positive(), z.string()]).transform((value, ctx) => {
    if (typeof value === 'number') return value;
    try {
      const result = parse(value);
      if (result > 0) return result;
      ctx.addIssue({ code: 'custom', message: `"${value}" must be more than zero` });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
    return z.NEVER;
  });
}

/** A whole number in [min, max], given as a number or as the text of a flag or variable. */
function wholeNumber(noun: string, min: number, max: number) {
  // Digits grouped by hand: toLocaleString would load ICU's locale data at start-up (~10 ms).
  const grouped = String(max).replace(/\B(?=(\d{3})+$)/g, ',');
  const range = `a whole number from ${min} to ${grouped}`;
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    const text = String(value).trim();
    const number = /^\d+$/.test(text) ? Number(text) : NaN;
    if (number >= min && number <= max) return number;
    ctx.addIssue({ code: 'custom', message: `"${value}" is not ${noun}: use ${range}` });
    return z.NEVER;
  });
}

const size = amount(parseSize);
const duration = amount(parseDuration);
const flag = z.union([
  z.boolean(),
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
    .transform((v) => ['1', 'true', 'yes'].includes(v)),
]);

const configSchema = z.object({
  host: z.string().min(1, 'give an address, e.g. 127.0.0.1 or 0.0.0.0').default('127.0.0.1'),
  port: wholeNumber('a port', 0, 65_535).default(8787),
  /** SQLite file; ignored with `memory` or `store`. */
  data: z.string().min(1).default(path.join('.umhooks', 'umhooks.db')),
  /** Throwaway in-memory SQLite. */
  memory: flag.default(false),
  /** `postgres://…` selects the PostgreSQL store (scale-out). */
  store: z.string().optional(),
  bodyLimit: size.default(10 * 1024 * 1024),
  maxRequests: wholeNumber('a request count', 1, 1_000_000).default(500),
  ttl: duration.default(7 * 86_400_000),
  /** Required for the UI and /api when bound to a non-loopback address (generated if absent). */
  token: z
    .string()
    .min(16, 'too short to be unguessable: use at least 16 characters (or leave it out to get one)')
    .optional(),
  trustProxy: flag.default(false),
  /** Public base URL used in bin URLs when behind a reverse proxy, e.g. https://hooks.example.com */
  publicUrl: z
    .url({ protocol: /^https?$/, error: 'use an http(s) base URL, e.g. https://hooks.example.com' })
    .optional(),
  /** Sandbox credentials; generated on first start and stored with the data when absent. */
  apiKey: z.string().min(8, 'use at least 8 characters').optional(),
  apiSecret: z.string().min(8, 'use at least 8 characters').optional(),
  /** The sandbox network's name (`GET /wu/v2/auth` label). */
  networkName: z.string().min(1).default('umhooks sandbox network'),
  /** Slow-client bounds (slowloris): time to receive headers and the whole request. */
  headersTimeout: duration.default(10_000),
  requestTimeout: duration.default(120_000),
  /**
   * Where the server's own requests (sandbox deliveries, Send Test Event, replays) may go:
   * `any`, or `public` (non-public addresses refused). Default: `any` on loopback, else `public`.
   */
  outbound: z
    .enum(['any', 'public'], {
      error:
        'use "any" (send anywhere) or "public" (refuse private, loopback and link-local targets)',
    })
    .optional(),
  /** Quiet start-up output (tests). */
  quiet: flag.default(false),
});

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;

export function resolveConfig(input: ConfigInput): Config {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `--${toKebab(i.path.join('.'))}: ${i.message}`);
    throw new Error(`Invalid settings:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

export function isLoopback(host: string): boolean {
  return (
    host === 'localhost' || host === '::1' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host)
  );
}

/** `--outbound`, or its default: `any` for a loopback server, `public` for one others reach. */
export function outboundMode(config: Pick<Config, 'host' | 'outbound'>): 'any' | 'public' {
  return config.outbound ?? (isLoopback(config.host) ? 'any' : 'public');
}

function toKebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * The token the UI, /api and /ws require: the configured one, else a generated one when the
 * server is reachable from other machines, else none (loopback needs no token).
 */
export function accessToken(config: Pick<Config, 'host' | 'token'>): {
  token: string | undefined;
  generated: boolean;
} {
  if (config.token !== undefined) return { token: config.token, generated: false };
  if (isLoopback(config.host)) return { token: undefined, generated: false };
  return { token: randomBytes(24).toString('base64url'), generated: true };
}

/** `--data` names the SQLite file; an existing directory gets `umhooks.db` inside it. */
export function dataFile(data: string): string {
  const resolved = path.resolve(data);
  let isDirectory = false;
  try {
    isDirectory = fs.statSync(resolved, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    // Not reachable (a parent is a file, or not searchable): opening the store says why.
  }
  return isDirectory ? path.join(resolved, 'umhooks.db') : resolved;
}
