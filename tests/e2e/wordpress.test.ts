// The plugin profile against the real thing: Debian's WordPress (PHP, Requests over php-curl)
// makes Ultimate Multisite's exact wp_remote_post call for every delivered event into a capture
// bin of a real umhooks server, core `deliver` with the plugin profile posts the same payload to
// the same URL, and the bin must hold the same header lines (names, case, order, values) and the
// same body bytes. The same PHP run checks core's PHP JSON encoder against wp_json_encode.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { catalog, deliver, encodePhpJson, type EventDefinition } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../bin-server/src/server.js';
import type { RequestJson } from '../../bin-server/src/wire/request.js';
import { startTestServer } from '../support/server.js';
import {
  runWordPress,
  wordpressAvailable,
  type WordPressPost,
  type WordPressResult,
} from '../support/wordpress.js';

const hasWordPress = wordpressAvailable();
const WU_VERSION = '2.4.12';
/** The throwaway site's URL: WordPress names it in its User-Agent. */
const SITE_URL = 'http://127.0.0.1';

const delivered = catalog.filter((event) => event.delivery === 'webhook');

function floatKeys(event: EventDefinition): string[] {
  return event.fields.filter((field) => field.encodesAsFloat).map((field) => field.key);
}

interface Case {
  event: EventDefinition;
  /** WordPress's `blocking` argument (the plugin's "Wait for Response"). */
  blocking: boolean;
  binId: string;
  url: string;
  /** Blocking posts carry the realistic sample, non-blocking ones the plugin's mock sample. */
  payload: Record<string, unknown>;
}

interface Recorded {
  method: string;
  url: string;
  rawHeaders: string[];
  body: Buffer;
}

/**
 * Beyond the bin: a plain server on 127.0.0.1 that redirects (WordPress's rules: 302 and 303
 * become GET, 307 keeps POST, a relative Location is resolved) and records every hop.
 */
async function startRedirector(): Promise<{ url: string; hops: Recorded[]; server: http.Server }> {
  const hops: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { method = '', url = '', rawHeaders } = req;
      hops.push({ method, url, rawHeaders, body: Buffer.concat(chunks) });
      const location = { '/302': '/after-302', '/303': 'after-303?q=1', '/307': '/after-307' }[url];
      if (location) res.writeHead(Number(url.slice(1)), { Location: location }).end();
      else res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hops, server };
}

describe.runIf(hasWordPress)('the plugin profile against Debian’s WordPress', () => {
  let server: RunningServer;
  let redirector: Awaited<ReturnType<typeof startRedirector>>;
  let wordpress: WordPressResult;
  const cases: Case[] = [];
  /** Redirects, a URL without a path, a body of 1 MiB (Expect: 100-Continue). */
  let extras: Array<{ url: string; data: Record<string, unknown> }> = [];
  let extraHops: { wordpress: Recorded[]; umhooks: Recorded[] };

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    expect(response.ok, `${method} ${path}`).toBe(true);
    return (await response.json()) as T;
  }

  async function captured(binId: string): Promise<RequestJson[]> {
    const page = await api<{ items: RequestJson[] }>('GET', `/bins/${binId}/requests?limit=100`);
    return [...page.items].sort((a, b) => a.seq - b.seq);
  }

  beforeAll(async () => {
    server = await startTestServer();
    redirector = await startRedirector();
    const small = { customer_id: 7, customer_name: 'Zoë' };
    extras = [
      ...['/302', '/303', '/307', ''].map((path) => ({ url: redirector.url + path, data: small })),
      { url: `${redirector.url}/big`, data: { ...small, filler: 'x'.repeat(1024 * 1024) } },
    ];
    for (const event of delivered) {
      const bin = await api<{ id: string; url: string }>('POST', '/bins', {});
      for (const blocking of [true, false]) {
        cases.push({
          event,
          blocking,
          binId: bin.id,
          url: `${bin.url}/${event.id}${blocking ? '' : '/nonblocking'}`,
          payload: (blocking ? event.sample : event.pluginSample) as Record<string, unknown>,
        });
      }
    }
    const posts: WordPressPost[] = cases.map((item) => ({
      url: item.url,
      data: item.payload,
      wuVersion: WU_VERSION,
      blocking: item.blocking,
      floatKeys: floatKeys(item.event),
    }));
    for (const extra of extras)
      posts.push({ ...extra, wuVersion: WU_VERSION, blocking: true, floatKeys: [] });
    const encode = catalog.flatMap((event) =>
      [event.sample, event.pluginSample].map((data) => ({ data, floatKeys: floatKeys(event) })),
    );
    // All of WordPress in one PHP process: install, every post, every encoding, drop.
    wordpress = await runWordPress(SITE_URL, { posts, encode });
    // Then umhooks, to the same URLs, named like the site WordPress just was.
    for (const item of cases) {
      const attempt = await deliver(item.url, item.payload, {
        profile: 'plugin',
        eventId: item.event.id,
        wuVersion: WU_VERSION,
        wpVersion: wordpress.wpVersion,
        siteUrl: wordpress.siteUrl,
      });
      expect(attempt.status, `${item.event.id}: ${attempt.error?.message}`).toBe(200);
    }
    const fromWordPress = redirector.hops.splice(0);
    for (const extra of extras) {
      const attempt = await deliver(extra.url, extra.data, {
        profile: 'plugin',
        wuVersion: WU_VERSION,
        wpVersion: wordpress.wpVersion,
        siteUrl: wordpress.siteUrl,
      });
      expect(attempt.status, `${extra.url}: ${attempt.error?.message}`).toBe(200);
    }
    extraHops = { wordpress: fromWordPress, umhooks: redirector.hops.splice(0) };
  }, 180_000);

  afterAll(async () => {
    redirector?.server.close();
    await server?.close();
  });

  it('is WordPress posting over cURL (the transport the plugin profile imitates)', () => {
    expect(wordpress.wpVersion).toMatch(/^6\.\d+/);
    expect(wordpress.siteUrl).toBe(SITE_URL);
    expect(wordpress.transports).toEqual([...cases, ...extras].map(() => 'curl'));
    cases.forEach((item, index) => {
      const outcome = wordpress.posts[index];
      // Non-blocking posts report no status (WordPress does not read the answer).
      expect(outcome, item.url).toEqual(item.blocking ? { status: 200 } : { status: 0 });
    });
    expect(wordpress.posts.slice(cases.length)).toEqual(extras.map(() => ({ status: 200 })));
  });

  it('follows redirects, resolves a bare URL and sends 1 MiB bodies hop for hop as WordPress does', () => {
    const summary = (hops: Recorded[]) =>
      hops.map((hop) => ({
        method: hop.method,
        url: hop.url,
        rawHeaders: hop.rawHeaders,
        body: hop.body.toString('base64'),
      }));
    // 302, 303 and 307 each take two hops; the bare URL and the big body one.
    expect(extraHops.wordpress.map((hop) => `${hop.method} ${hop.url}`)).toEqual([
      'POST /302',
      'GET /after-302',
      'POST /303',
      'GET /after-303?q=1',
      'POST /307',
      'POST /after-307',
      'POST /',
      'POST /big',
    ]);
    expect(extraHops.wordpress.at(-1)!.rawHeaders).toContain('100-Continue');
    expect(summary(extraHops.umhooks)).toEqual(summary(extraHops.wordpress));
  });

  it.each(delivered.map((event) => [event.id]))(
    '%s: the bin holds the same header lines and body bytes from WordPress and from umhooks',
    async (eventId) => {
      const requests = await captured(cases.find((item) => item.event.id === eventId)!.binId);
      expect(requests).toHaveLength(4);
      for (const blocking of [true, false]) {
        const path = `/${eventId}${blocking ? '' : '/nonblocking'}`;
        // WordPress posted first (the PHP run), umhooks after.
        const [fromWordPress, fromUmhooks] = requests.filter((request) => request.path === path);
        expect(fromWordPress, path).toBeDefined();
        expect(fromUmhooks!.method).toBe(fromWordPress!.method);
        expect(fromUmhooks!.url).toBe(fromWordPress!.url);
        expect(fromUmhooks!.headers, path).toEqual(fromWordPress!.headers);
        expect(fromUmhooks!.body_base64, path).toBe(fromWordPress!.body_base64);
        // Stored whole even when WordPress did not wait for the answer.
        expect(Buffer.from(fromWordPress!.body_base64, 'base64').length).toBe(
          Number(fromWordPress!.headers.find(([name]) => name === 'Content-Length')?.[1]),
        );
      }
    },
  );

  it('wp_json_encode writes every catalog sample and plugin sample as core’s PHP encoder does', () => {
    const expected = catalog.flatMap((event) =>
      [event.sample, event.pluginSample].map((data) =>
        encodePhpJson(data, { floatKeys: new Set(floatKeys(event)) }),
      ),
    );
    expect(wordpress.encoded).toHaveLength(catalog.length * 2);
    expect(wordpress.encoded).toEqual(expected);
  });
});
