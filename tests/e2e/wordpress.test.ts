// The plugin profile against the real thing: Debian's WordPress (PHP, Requests over php-curl)
// makes Ultimate Multisite's exact wp_remote_post call for every delivered event into a capture
// bin of a real umhooks server, core `deliver` with the plugin profile posts the same payload to
// the same URL, and the bin must hold the same header lines (names, case, order, values) and the
// same body bytes. The same PHP run checks core's PHP JSON encoder against wp_json_encode.
import { catalog, deliver, encodePhpJson, type EventDefinition } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../bin-server/src/server.js';
import type { RequestJson } from '../../bin-server/src/views/request.js';
import { startTestServer } from '../helpers/server.js';
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

describe.runIf(hasWordPress)('the plugin profile against Debian’s WordPress', () => {
  let server: RunningServer;
  let wordpress: WordPressResult;
  const cases: Case[] = [];

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
  }, 180_000);

  afterAll(async () => {
    await server?.close();
  });

  it('is WordPress posting over cURL (the transport the plugin profile imitates)', () => {
    expect(wordpress.wpVersion).toMatch(/^6\.\d+/);
    expect(wordpress.siteUrl).toBe(SITE_URL);
    expect(wordpress.transports).toEqual(cases.map(() => 'curl'));
    cases.forEach((item, index) => {
      const outcome = wordpress.posts[index];
      // Non-blocking posts report no status (WordPress does not read the answer).
      expect(outcome, item.url).toEqual(item.blocking ? { status: 200 } : { status: 0 });
    });
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
