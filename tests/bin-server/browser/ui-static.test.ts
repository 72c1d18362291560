import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { ensureUiBuilt, sendRaw } from '../../support/browser.js';
import { startTestServer } from '../../support/server.js';

// The UI's files over plain HTTP (no browser needed): types, caching, security headers, the token link.
describe('serving the built UI', () => {
  let server: RunningServer;
  beforeAll(async () => {
    ensureUiBuilt();
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves index.html revalidated, and hashed assets immutable with the right types', async () => {
    const index = await fetch(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('referrer-policy')).toBe('no-referrer');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await index.text();
    const script = /<script type="module" src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const style = /<link rel="stylesheet" href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(style).toBeDefined();

    const js = await fetch(`${server.url}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const css = await fetch(`${server.url}${style}`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const icon = await fetch(`${server.url}/favicon.svg`);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(icon.headers.get('cache-control')).toBe('no-cache');

    // Revalidation: the ETag answers 304 without a body.
    const etag = index.headers.get('etag')!;
    const again = await fetch(`${server.url}/`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('refuses paths outside the app and methods other than GET and HEAD', async () => {
    const attempts = [
      '/../../package.json',
      '/%2e%2e/%2e%2e/package.json',
      '/assets/..%2f..%2f..%2fpackage.json',
      '/assets/%5c..%5c..%5cpackage.json',
      '/nope.js',
    ];
    for (const path of attempts) {
      const response = await sendRaw(`${server.url}${path}`, { method: 'GET' });
      expect(response.status, path).toBe(404);
      expect(response.body).not.toContain('"name"');
    }
    const post = await fetch(`${server.url}/`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${server.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('the access-token link', () => {
  const token = 'test-token-0123456789abcdef';
  let server: RunningServer;
  beforeAll(async () => {
    ensureUiBuilt();
    server = await startTestServer({ token });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('turns /?token= into an HttpOnly SameSite=Strict cookie and a clean address', async () => {
    expect((await fetch(`${server.url}/`)).status).toBe(401);
    expect(
      (await fetch(`${server.url}/?token=wrong-token-0000000000`, { redirect: 'manual' })).status,
    ).toBe(401);

    const link = await fetch(`${server.url}/?token=${token}`, { redirect: 'manual' });
    expect(link.status).toBe(303);
    expect(link.headers.get('location')).toBe('/');
    const cookie = link.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`umhooks_token=${token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');

    const withCookie = await fetch(`${server.url}/`, {
      headers: { cookie: `umhooks_token=${token}` },
    });
    expect(withCookie.status).toBe(200);
    expect(await withCookie.text()).toContain('<div id="app">');
  });

  it('lets a fresh /?token= link through even when a stale cookie from an earlier run is sent', async () => {
    const link = await fetch(`${server.url}/?token=${token}`, {
      redirect: 'manual',
      headers: { cookie: 'umhooks_token=token-of-an-earlier-run-000000' },
    });
    expect(link.status).toBe(303);
    expect(link.headers.get('set-cookie') ?? '').toContain(`umhooks_token=${token}`);
    const staleOnly = await fetch(`${server.url}/`, {
      headers: { cookie: 'umhooks_token=token-of-an-earlier-run-000000' },
    });
    expect(staleOnly.status).toBe(401);
  });
});
