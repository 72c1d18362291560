import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../support/sandbox.js';

// The plugin's check_authorization (inc/class-api.php): HTTP Basic key:secret when both parts are
// non-empty, else api_key/api_secret or api-key/api-secret request parameters (query or body).
// A refusal is WordPress's rest_forbidden with status 401.

const forbidden = {
  code: 'rest_forbidden',
  message: 'Sorry, you are not allowed to do that.',
  data: { status: 401 },
};

describe('sandbox REST auth', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ networkName: 'Acme Network' });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const welcome = () => ({ success: true, label: 'Acme Network', message: 'Welcome to our API' });

  it('generates a 24-character alphanumeric key pair and stores it', () => {
    expect(sandbox.key).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(sandbox.secret).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(sandbox.key).not.toBe(sandbox.secret);
  });

  it('accepts HTTP Basic key:secret', async () => {
    const res = await sandbox.rest('GET', '/auth');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(res.json).toEqual(welcome());
  });

  for (const [keyName, secretName] of [
    ['api_key', 'api_secret'],
    ['api-key', 'api-secret'],
  ] as const) {
    it(`accepts ${keyName}/${secretName} in the query string`, async () => {
      const query = new URLSearchParams({ [keyName]: sandbox.key, [secretName]: sandbox.secret });
      const res = await sandbox.rest('GET', `/auth?${query}`, { auth: false });
      expect(res.status).toBe(200);
      expect(res.json).toEqual(welcome());
    });

    it(`accepts ${keyName}/${secretName} in a JSON body`, async () => {
      const res = await sandbox.rest('POST', '/webhook', {
        auth: false,
        body: {
          [keyName]: sandbox.key,
          [secretName]: sandbox.secret,
          name: `Auth ${keyName}`,
          webhook_url: 'https://example.com/hook',
          event: 'payment_received',
          integration: 'manual',
        },
      });
      expect(res.status).toBe(200);
      expect((res.json as { name: string }).name).toBe(`Auth ${keyName}`);
    });

    it(`accepts ${keyName}/${secretName} in a form-encoded body`, async () => {
      const res = await sandbox.rest('POST', '/webhook', {
        auth: false,
        body: new URLSearchParams({
          [keyName]: sandbox.key,
          [secretName]: sandbox.secret,
          name: `Form ${keyName}`,
          webhook_url: 'https://example.com/form',
          event: 'site_published',
          integration: 'manual',
        }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(200);
      expect((res.json as { event: string }).event).toBe('site_published');
    });

    it(`refuses a wrong ${secretName}`, async () => {
      const query = new URLSearchParams({ [keyName]: sandbox.key, [secretName]: 'wrong' });
      const res = await sandbox.rest('GET', `/auth?${query}`, { auth: false });
      expect(res.status).toBe(401);
      expect(res.json).toEqual(forbidden);
    });
  }

  it('refuses no credentials, a wrong key, a wrong Basic pair and swapped key/secret', async () => {
    const attempts = [
      sandbox.rest('GET', '/auth', { auth: false }),
      sandbox.rest('GET', `/auth?api_key=nope&api_secret=${sandbox.secret}`, { auth: false }),
      sandbox.rest('GET', '/auth', {
        auth: false,
        headers: {
          authorization: `Basic ${Buffer.from(`${sandbox.key}:nope`).toString('base64')}`,
        },
      }),
      sandbox.rest('GET', `/auth?api_key=${sandbox.secret}&api_secret=${sandbox.key}`, {
        auth: false,
      }),
      sandbox.rest('GET', `/auth?api_key=${sandbox.key}`, { auth: false }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(401);
      expect(res.json).toEqual(forbidden);
    }
  });

  it('lets a complete Basic pair win over parameters, and falls back to them when Basic is partial', async () => {
    const wrongBasic = `Basic ${Buffer.from('wrong:pair').toString('base64')}`;
    const good = `api_key=${sandbox.key}&api_secret=${sandbox.secret}`;
    const basicWins = await sandbox.rest('GET', `/auth?${good}`, {
      auth: false,
      headers: { authorization: wrongBasic },
    });
    expect(basicWins.status).toBe(401);

    const partial = `Basic ${Buffer.from(`${sandbox.key}:`).toString('base64')}`;
    const fallback = await sandbox.rest('GET', `/auth?${good}`, {
      auth: false,
      headers: { authorization: partial },
    });
    expect(fallback.status).toBe(200);
  });

  it('protects every route, /hooks and webhook CRUD included', async () => {
    for (const [method, path] of [
      ['GET', '/hooks'],
      ['GET', '/webhook'],
      ['GET', '/webhook/1'],
      ['DELETE', '/webhook/1'],
      ['PATCH', '/webhook/1'],
    ] as const) {
      const res = await sandbox.rest(method, path, { auth: false });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.json).toEqual(forbidden);
    }
  });

  it('keeps the generated pair across restarts of the same data, and --api-key/--api-secret replace it', async () => {
    const { tempDir } = await import('../../support/server.js');
    const data = `${tempDir('umhooks-sandbox-auth-')}/data.db`;
    const first = await startSandbox({ memory: false, data });
    const generated = { key: first.key, secret: first.secret };
    await first.close();
    const second = await startSandbox({ memory: false, data });
    expect({ key: second.key, secret: second.secret }).toEqual(generated);
    await second.close();

    const configured = await startSandbox({
      memory: false,
      data,
      apiKey: 'configured-key-1',
      apiSecret: 'configured-secret-1',
    });
    const ok = await configured.rest(
      'GET',
      '/auth?api_key=configured-key-1&api_secret=configured-secret-1',
      {
        auth: false,
      },
    );
    expect(ok.status).toBe(200);
    const old = await configured.rest(
      'GET',
      `/auth?api_key=${generated.key}&api_secret=${generated.secret}`,
      { auth: false },
    );
    expect(old.status).toBe(401);
    // /api/info shows what is in force.
    const info = await configured.api('GET', '/info');
    expect((info.json as { sandbox: unknown }).sandbox).toEqual({
      rest_url: `${configured.url}/wp-json/wu/v2`,
      api_key: 'configured-key-1',
      api_secret: 'configured-secret-1',
    });
    await configured.close();
  });
});
