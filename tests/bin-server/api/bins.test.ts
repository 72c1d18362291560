import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binJson, type BinJson } from '../../../bin-server/src/wire/bin.js';
import { errorJson } from '../../../bin-server/src/wire/error.js';
import { rawRequest, recordBus, startApi, type ApiClient } from '../../support/api-client.js';

let api: ApiClient;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

/** An error answer: the right status, the documented shape, the code (and the field). */
function expectError(
  answer: { status: number; json: unknown; text: string },
  status: number,
  error: string,
  field?: string,
) {
  expect(answer.status, answer.text).toBe(status);
  const body = errorJson.strict().parse(answer.json);
  expect(body.error).toBe(error);
  expect(body.message.length).toBeGreaterThan(10);
  if (field !== undefined) {
    expect(body.field).toBe(field);
    expect(body.message).toContain(field);
  }
  // Never a stack trace or a file path.
  expect(answer.text).not.toMatch(/\bat .+:\d+:\d+|node_modules|\.ts:\d+/);
}

describe('POST /api/bins', () => {
  it('creates a bin with a generated id of 128 random bits', async () => {
    const answer = await api.send('POST', '/api/bins', {});
    expect(answer.status).toBe(201);
    const bin = binJson.strict().parse(answer.json);
    expect(bin.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(bin.id, 'base64url')).toHaveLength(16);
    expect(bin.url).toBe(`${api.url}/b/${bin.id}`);
    expect(answer.headers.get('location')).toBe(`/api/bins/${bin.id}`);
    expect(bin).toMatchObject({ name: '', request_count: 0, evicted_count: 0, response: null });
    expect(Date.parse(bin.expires_at) - Date.parse(bin.last_used_at)).toBe(
      api.server.context.config.ttl,
    );
  });

  it('also creates one from an empty POST (no body at all)', async () => {
    const answer = await api.call('/api/bins', { method: 'POST' });
    expect(answer.status).toBe(201);
    expect(binJson.parse(answer.json).id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('never repeats a generated id', async () => {
    const ids = await Promise.all(Array.from({ length: 30 }, () => api.createBin()));
    expect(new Set(ids.map((b) => b.id)).size).toBe(30);
  });

  it('takes a custom id, a name and response settings (with defaults)', async () => {
    const answer = await api.send('POST', '/api/bins', {
      id: 'custom_Bin-1',
      name: 'Staging network',
      response: { status: 202, headers: [['X-Reply', 'yes']] },
    });
    expect(answer.status).toBe(201);
    const bin = binJson.strict().parse(answer.json);
    expect(bin.id).toBe('custom_Bin-1');
    expect(bin.name).toBe('Staging network');
    expect(bin.response).toEqual({
      status: 202,
      headers: [['X-Reply', 'yes']],
      body: '',
      delay_ms: 0,
    });
  });

  it('answers 409 bin_exists for a taken id', async () => {
    await api.createBin({ id: 'taken-id' });
    expectError(await api.send('POST', '/api/bins', { id: 'taken-id' }), 409, 'bin_exists', 'id');
  });

  const invalid: Array<[string, unknown, string]> = [
    ['too short id', { id: 'abc' }, 'id'],
    ['id with a slash', { id: 'ab/cd' }, 'id'],
    ['id with dots', { id: '../..' }, 'id'],
    ['id too long', { id: 'a'.repeat(65) }, 'id'],
    ['id of the wrong type', { id: 1234 }, 'id'],
    ['name too long', { name: 'n'.repeat(101) }, 'name'],
    ['name of the wrong type', { name: ['x'] }, 'name'],
    ['status too low', { response: { status: 99 } }, 'response.status'],
    ['status too high', { response: { status: 600 } }, 'response.status'],
    ['fractional status', { response: { status: 200.5 } }, 'response.status'],
    ['status as a string', { response: { status: '200' } }, 'response.status'],
    [
      'eleven headers',
      { response: { headers: Array.from({ length: 11 }, (_, i) => [`X-H${i}`, 'v']) } },
      'response.headers',
    ],
    [
      'header name with a space',
      { response: { headers: [['Bad Name', 'v']] } },
      'response.headers.0.0',
    ],
    [
      'header value with CR LF',
      { response: { headers: [['X-Ok', 'a\r\nSet-Cookie: x=1']] } },
      'response.headers.0.1',
    ],
    [
      'header value with NUL',
      { response: { headers: [['X-Ok', 'a\u0000b']] } },
      'response.headers.0.1',
    ],
    [
      'reserved header',
      { response: { headers: [['Content-Length', '5']] } },
      'response.headers.0.0',
    ],
    ['header not a pair', { response: { headers: [['X-Only']] } }, 'response.headers.0'],
    ['header not an array', { response: { headers: { 'X-A': 'b' } } }, 'response.headers'],
    ['body over 10 KB', { response: { body: 'x'.repeat(10 * 1024 + 1) } }, 'response.body'],
    ['body over 10 KB in UTF-8 bytes', { response: { body: 'é'.repeat(5121) } }, 'response.body'],
    ['delay over 30 s', { response: { delay_ms: 30_001 } }, 'response.delay_ms'],
    ['negative delay', { response: { delay_ms: -1 } }, 'response.delay_ms'],
    ['unknown field', { nmae: 'typo' }, 'nmae'],
    ['unknown response field', { response: { code: 200 } }, 'response.code'],
    ['an array instead of an object', [], 'body'],
  ];
  it.each(invalid)(
    'answers 400 invalid_request naming the field: %s',
    async (_what, body, field) => {
      expectError(await api.send('POST', '/api/bins', body), 400, 'invalid_request', field);
    },
  );

  it('accepts the limits exactly', async () => {
    const answer = await api.send('POST', '/api/bins', {
      name: 'n'.repeat(100),
      response: {
        status: 599,
        headers: Array.from({ length: 10 }, (_, i) => [`X-H${i}`, `v${i}\tcafé`]),
        body: 'é'.repeat(5120),
        delay_ms: 30_000,
      },
    });
    expect(answer.status, answer.text).toBe(201);
    expect(binJson.parse(answer.json).response?.headers).toHaveLength(10);
  });

  it('answers 400 invalid_json for malformed JSON and for JSON that is not an object or array', async () => {
    for (const body of ['{"id":', '{id: "x"}', '"just a string"', 'null', '12']) {
      const answer = await api.call('/api/bins', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expectError(answer, 400, 'invalid_json');
    }
  });

  it('answers 415 for a body that is not JSON, 413 for one over 100 KB', async () => {
    const text = await api.call('/api/bins', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"id":"plain-text"}',
    });
    expectError(text, 415, 'unsupported_media_type');
    expect((await api.call('/api/bins/plain-text')).status).toBe(404);

    const big = await api.send('POST', '/api/bins', { name: 'x'.repeat(200 * 1024) });
    expectError(big, 413, 'body_too_large');
  });
});

describe('GET /api/bins and /api/bins/:id', () => {
  it('lists bins newest first', async () => {
    const context = api.server.context;
    const realNow = context.now;
    const base = Date.now() + 60_000;
    const created: BinJson[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        context.now = () => base + i * 1000;
        created.push(await api.createBin({ id: `order-${i}` }));
      }
    } finally {
      context.now = realNow;
    }
    const answer = await api.call('/api/bins');
    expect(answer.status).toBe(200);
    const items = (answer.json as { items: unknown[] }).items.map((b) => binJson.strict().parse(b));
    const ids = items.map((b) => b.id);
    expect(ids.slice(0, 3)).toEqual(['order-2', 'order-1', 'order-0']);
    for (let i = 1; i < items.length; i++) {
      expect(Date.parse(items[i - 1]!.created_at)).toBeGreaterThanOrEqual(
        Date.parse(items[i]!.created_at),
      );
    }
  });

  it('reads one bin; 404 bin_not_found for an unknown one, 400 for an impossible id', async () => {
    const bin = await api.createBin({ name: 'read me' });
    const answer = await api.call(`/api/bins/${bin.id}`);
    expect(answer.status).toBe(200);
    expect(binJson.strict().parse(answer.json)).toMatchObject({ id: bin.id, name: 'read me' });

    expectError(await api.call('/api/bins/no-such-bin'), 404, 'bin_not_found');
    expectError(await api.call('/api/bins/a.b'), 400, 'invalid_request', 'id');
    expectError(await api.call('/api/bins/%E0%A4%A'), 400, 'invalid_request');
  });

  it('refreshes the TTL on API use, not on listing and not on captured traffic', async () => {
    const context = api.server.context;
    const realNow = context.now;
    const t0 = Date.now();
    try {
      context.now = () => t0;
      const bin = await api.createBin();
      context.now = () => t0 + 3_600_000;
      await api.call('/api/bins');
      await fetch(bin.url, { method: 'POST', body: 'traffic' });
      expect((await context.store.bins.get(bin.id))!.lastUsedAt).toBe(t0);

      const read = binJson.parse((await api.call(`/api/bins/${bin.id}`)).json);
      expect(read.last_used_at).toBe(new Date(t0 + 3_600_000).toISOString());
      expect(read.expires_at).toBe(new Date(t0 + 3_600_000 + context.config.ttl).toISOString());

      context.now = () => t0 + 7_200_000;
      await api.call(`/api/bins/${bin.id}/requests?include_body=false`);
      expect((await context.store.bins.get(bin.id))!.lastUsedAt).toBe(t0 + 7_200_000);
    } finally {
      context.now = realNow;
    }
  });
});

describe('PATCH /api/bins/:id', () => {
  it('renames, sets the response the capture then gives, and publishes bin.updated', async () => {
    const bin = await api.createBin();
    const bus = recordBus(api.server, bin.id);
    try {
      const answer = await api.send('PATCH', `/api/bins/${bin.id}`, {
        name: 'renamed',
        response: {
          status: 418,
          headers: [
            ['X-Teapot', 'short and stout'],
            ['Content-Type', 'text/plain'],
          ],
          body: 'I am a teapot',
        },
      });
      expect(answer.status).toBe(200);
      const updated = binJson.strict().parse(answer.json);
      expect(updated.name).toBe('renamed');
      expect(updated.response).toEqual({
        status: 418,
        headers: [
          ['X-Teapot', 'short and stout'],
          ['Content-Type', 'text/plain'],
        ],
        body: 'I am a teapot',
        delay_ms: 0,
      });
      expect(bus.messages).toEqual([{ type: 'bin.updated', bin: bin.id, value: updated }]);

      const captured = await fetch(bin.url, { method: 'POST', body: '{}' });
      expect(captured.status).toBe(418);
      expect(captured.headers.get('x-teapot')).toBe('short and stout');
      expect(await captured.text()).toBe('I am a teapot');

      // Absent fields stay; null restores the default answer.
      const renamed = await api.send('PATCH', `/api/bins/${bin.id}`, { name: 'again' });
      expect(binJson.parse(renamed.json).response?.status).toBe(418);
      const reset = await api.send('PATCH', `/api/bins/${bin.id}`, { response: null });
      expect(binJson.parse(reset.json)).toMatchObject({ name: 'again', response: null });
      const plain = await fetch(bin.url, { method: 'POST', body: '{}' });
      expect(plain.status).toBe(200);
    } finally {
      bus.stop();
    }
  });

  it('validates like creation, and answers 404 for an unknown bin', async () => {
    const bin = await api.createBin();
    expectError(
      await api.send('PATCH', `/api/bins/${bin.id}`, { response: { status: 1000 } }),
      400,
      'invalid_request',
      'response.status',
    );
    expectError(
      await api.send('PATCH', `/api/bins/${bin.id}`, { id: 'rename-attempt' }),
      400,
      'invalid_request',
      'id',
    );
    expectError(
      await api.send('PATCH', '/api/bins/missing-bin', { name: 'x' }),
      404,
      'bin_not_found',
    );
  });
});

describe('DELETE /api/bins/:id', () => {
  it('deletes the bin and its requests, publishes bin.deleted, then answers 404', async () => {
    const bin = await api.createBin();
    await fetch(bin.url, { method: 'POST', body: 'x' });
    const bus = recordBus(api.server, bin.id);
    try {
      const answer = await api.call(`/api/bins/${bin.id}`, { method: 'DELETE' });
      expect(answer.status).toBe(204);
      expect(answer.text).toBe('');
      expect(bus.messages).toEqual([{ type: 'bin.deleted', bin: bin.id }]);
    } finally {
      bus.stop();
    }
    expectError(await api.call(`/api/bins/${bin.id}`), 404, 'bin_not_found');
    expectError(await api.call(`/api/bins/${bin.id}`, { method: 'DELETE' }), 404, 'bin_not_found');
    expect((await fetch(bin.url, { method: 'POST', body: 'x' })).status).toBe(404);
  });
});

describe('the API as a whole', () => {
  it('answers unknown routes with 404 JSON and wrong methods with 405 and Allow', async () => {
    expectError(await api.call('/api/nothing-here'), 404, 'not_found');
    expectError(await api.call('/api'), 404, 'not_found');
    expectError(await api.call('/api/bins/some-bin/requests/r/unknown'), 404, 'not_found');
    const put = await api.call('/api/bins/some-bin', { method: 'PUT' });
    expectError(put, 405, 'method_not_allowed');
    expect(put.headers.get('allow')).toBe('GET, HEAD, PATCH, DELETE');
    const post = await api.call('/api/info', { method: 'POST' });
    expectError(post, 405, 'method_not_allowed');
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('sends no x-powered-by, no caching, nosniff', async () => {
    const answer = await api.call('/api/bins');
    expect(answer.headers.get('x-powered-by')).toBeNull();
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('GET /api/info describes the server', async () => {
    const answer = await api.call('/api/info');
    expect(answer.status).toBe(200);
    const config = api.server.context.config;
    const key =
      (await api.server.context.store.settings.get('sandbox.api_key')) ?? config.apiKey ?? '';
    expect(answer.json).toEqual({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      base_url: api.url,
      capture_url_prefix: `${api.url}/b/`,
      limits: {
        body_limit: config.bodyLimit,
        max_requests: config.maxRequests,
        ttl_ms: config.ttl,
      },
      store: 'memory',
      outbound: 'any',
      sandbox: {
        rest_url: `${api.url}/wp-json/wu/v2`,
        api_key: key,
        api_secret: expect.any(String),
      },
    });
  });

  it('GET /api/info reports the sandbox credentials stored in the settings', async () => {
    const settings = api.server.context.store.settings;
    await settings.set('sandbox.api_key', 'key_for_info_test');
    await settings.set('sandbox.api_secret', 'secret_for_info_test');
    const info = (await api.call('/api/info')).json as { sandbox: object };
    expect(info.sandbox).toMatchObject({
      api_key: 'key_for_info_test',
      api_secret: 'secret_for_info_test',
    });
  });

  it('refuses other Host names on a token-less server (DNS rebinding) and cross-site writes', async () => {
    const rebound = await rawRequest(`${api.url}/api/bins`, {
      headers: [['Host', 'evil.example:80']],
    });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body.toString()).error).toBe('forbidden_host');

    const localhost = await rawRequest(`${api.url}/api/bins`, {
      headers: [['Host', `localhost:${new URL(api.url).port}`]],
    });
    expect(localhost.status).toBe(200);

    // The same guard covers the UI and live updates; capture URLs stay open to any Host.
    const reboundUi = await rawRequest(`${api.url}/`, { headers: [['Host', 'evil.example:80']] });
    expect(reboundUi.status).toBe(403);
    const reboundWs = await rawRequest(`${api.url}/ws?bin=abcd`, {
      headers: [
        ['Host', 'evil.example:80'],
        ['Connection', 'Upgrade'],
        ['Upgrade', 'websocket'],
        ['Sec-WebSocket-Version', '13'],
        ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
      ],
    });
    expect(reboundWs.status).toBe(403);
    const bin = (await api.send('POST', '/api/bins', {})).json as BinJson;
    const captured = await rawRequest(`${api.url}/b/${bin.id}`, {
      method: 'POST',
      headers: [['Host', 'hooks.example.com']],
      body: '{}',
    });
    expect(captured.status).toBe(200);

    const crossSite = await rawRequest(`${api.url}/api/bins`, {
      method: 'POST',
      headers: [
        ['Origin', 'https://evil.example'],
        ['Content-Type', 'application/json'],
      ],
      body: '{"id":"cross-site-bin"}',
    });
    expect(crossSite.status).toBe(403);
    expect(JSON.parse(crossSite.body.toString()).error).toBe('forbidden_origin');
    expect((await api.call('/api/bins/cross-site-bin')).status).toBe(404);

    const sameSite = await rawRequest(`${api.url}/api/bins`, {
      method: 'POST',
      headers: [
        ['Origin', api.url],
        ['Content-Type', 'application/json'],
      ],
      body: '{"id":"same-site-bin"}',
    });
    expect(sameSite.status).toBe(201);
  });
});

describe('with an access token', () => {
  const token = 'x'.repeat(24);
  let secured: ApiClient;
  beforeAll(async () => {
    secured = await startApi({ token });
  });
  afterAll(async () => {
    await secured.close();
  });

  it('answers 401 without the token or with a wrong one, and serves it with Bearer', async () => {
    expect((await secured.call('/api/bins')).status).toBe(401);
    expect(
      (await secured.call('/api/bins', { headers: { authorization: `Bearer ${'y'.repeat(24)}` } }))
        .status,
    ).toBe(401);
    const created = await secured.call('/api/bins', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'token-bin' }),
    });
    expect(created.status).toBe(201);
    const listed = await secured.call('/api/bins', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(listed.status).toBe(200);
    expect((listed.json as { items: BinJson[] }).items.map((b) => b.id)).toContain('token-bin');
    // Capture URLs stay open.
    expect((await fetch(`${secured.url}/b/token-bin`, { method: 'POST', body: 'x' })).status).toBe(
      200,
    );
  });

  it('with the token, any Host name is served (the token is the protection)', async () => {
    const answer = await rawRequest(`${secured.url}/api/bins`, {
      headers: [
        ['Host', 'hooks.example.com'],
        ['Authorization', `Bearer ${token}`],
      ],
    });
    expect(answer.status).toBe(200);
  });
});
