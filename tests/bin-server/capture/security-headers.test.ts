import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { startTestServer } from '../../support/server.js';
import { rawExchange, send, type Reply } from '../../support/http-client.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ bodyLimit: 1024 });
  const now = Date.now();
  await server.context.store.bins.create({ id: 'plain-bin', name: '', now });
  await server.context.store.bins.create({
    id: 'html-bin',
    name: '',
    now,
    response: {
      status: 200,
      // A configured policy that would allow scripts and the origin, and a sniffing opt-in.
      headers: [
        ['Content-Type', 'text/html'],
        ['Content-Security-Policy', 'sandbox allow-scripts allow-same-origin'],
        ['X-Content-Type-Options', 'sniff'],
      ],
      body: '<img src=x onerror=alert(1)>',
      delayMs: 0,
    },
  });
});
afterAll(() => server.close());

/** Every Content-Security-Policy and X-Content-Type-Options line, as sent. */
function securityLines(reply: Reply): { csp: string[]; nosniff: string[] } {
  const csp: string[] = [];
  const nosniff: string[] = [];
  for (let i = 0; i < reply.rawHeaders.length; i += 2) {
    const name = reply.rawHeaders[i]!.toLowerCase();
    if (name === 'content-security-policy') csp.push(reply.rawHeaders[i + 1]!);
    if (name === 'x-content-type-options') nosniff.push(reply.rawHeaders[i + 1]!);
  }
  return { csp, nosniff };
}

describe('capture answers never run as the UI origin', () => {
  it('sends CSP sandbox and nosniff on the default answer, preflights and every error', async () => {
    const replies: Array<[string, Reply]> = [
      ['default', await send(server.url, '/b/plain-bin/x', { body: '{}' })],
      [
        'preflight',
        await send(server.url, '/b/plain-bin', {
          method: 'OPTIONS',
          headers: { origin: 'http://example.test', 'access-control-request-method': 'PUT' },
        }),
      ],
      ['unknown bin', await send(server.url, '/b/no-such-bin', { body: '{}' })],
      ['invalid bin id', await send(server.url, '/b/%2e%2e/x', { body: '{}' })],
      ['too large', await send(server.url, '/b/plain-bin', { body: 'x'.repeat(2048) })],
      [
        'headers too large',
        await send(server.url, '/b/plain-bin', { headers: { 'x-filler': 'f'.repeat(17 * 1024) } }),
      ],
    ];
    expect(replies.map(([what, reply]) => [what, reply.status])).toEqual([
      ['default', 200],
      ['preflight', 204],
      ['unknown bin', 404],
      ['invalid bin id', 400],
      ['too large', 413],
      ['headers too large', 431],
    ]);
    for (const [what, reply] of replies) {
      expect({ what, ...securityLines(reply) }).toEqual({
        what,
        csp: ['sandbox'],
        nosniff: ['nosniff'],
      });
    }
  });

  it('answers an unparsable request 400 with the same headers', async () => {
    const raw = await rawExchange(
      server.url,
      'POST /b/plain-bin HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
    );
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw.toLowerCase()).toContain('content-security-policy: sandbox\r\n');
    expect(raw.toLowerCase()).toContain('x-content-type-options: nosniff\r\n');
  });

  it("keeps them under a bin's custom headers: a custom CSP is added, never replaces sandbox", async () => {
    const reply = await send(server.url, '/b/html-bin', { method: 'GET' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html');
    expect(reply.body.toString()).toBe('<img src=x onerror=alert(1)>');
    // Browsers enforce every policy sent: the configured one can only restrict further.
    expect(securityLines(reply)).toEqual({
      csp: ['sandbox allow-scripts allow-same-origin', 'sandbox'],
      nosniff: ['nosniff'],
    });
  });
});
