import { catalog, webhookRecordSchema } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../support/sandbox.js';

// The plugin's webhook REST API (inc/apis/trait-rest-api.php, inc/models/class-webhook.php,
// reference/ultimate-multisite.md): status codes, error codes and record shapes.

const RECORD_KEYS = [
  'id',
  'model',
  'slug',
  'date_created',
  'date_modified',
  'migrated_from_id',
  'name',
  'webhook_url',
  'event',
  'event_count',
  'active',
  'hidden',
  'integration',
  'date_last_failed',
];
const MYSQL_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const noRoute = {
  code: 'rest_no_route',
  message: 'No route was found matching the URL and request method.',
  data: { status: 404 },
};
const notFound = {
  code: 'wu_rest_webhook_invalid_id',
  message: 'Item not found.',
  data: { status: 404 },
};

type Rec = Record<string, unknown>;

describe('sandbox REST: /webhook', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const create = (body: Rec) => sandbox.rest('POST', '/webhook', { body });
  const valid = (over: Rec = {}): Rec => ({
    name: 'Zapier: Payment Received',
    webhook_url: 'https://hooks.zapier.com/hooks/standard/1/abc/',
    event: 'payment_received',
    integration: 'zapier',
    ...over,
  });

  it('creates a webhook: 200, the record as the plugin builds it (typed values, active false by default)', async () => {
    const res = await create(valid());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    // PHP's json_encode escapes slashes.
    expect(res.text).toContain(
      '"webhook_url":"https:\\/\\/hooks.zapier.com\\/hooks\\/standard\\/1\\/abc\\/"',
    );
    const record = res.json as Rec;
    expect(Object.keys(record)).toEqual(RECORD_KEYS);
    webhookRecordSchema.parse(record);
    expect(record).toMatchObject({
      model: 'webhook',
      slug: '',
      migrated_from_id: 0,
      name: 'Zapier: Payment Received',
      webhook_url: 'https://hooks.zapier.com/hooks/standard/1/abc/',
      event: 'payment_received',
      event_count: 0,
      active: false,
      hidden: false,
      integration: 'zapier',
      date_last_failed: '0000-00-00 00:00:00',
    });
    expect(typeof record.id).toBe('number');
    expect(record.date_created).toMatch(MYSQL_DATE);
    expect(record.date_modified).toBe(record.date_created);
  });

  it('reads it back as the database gives it (numeric strings, hidden "0")', async () => {
    const created = (await create(valid({ active: true }))).json as Rec;
    const res = await sandbox.rest('GET', `/webhook/${created.id as number}`);
    expect(res.status).toBe(200);
    const record = res.json as Rec;
    expect(Object.keys(record)).toEqual(RECORD_KEYS);
    webhookRecordSchema.parse(record);
    expect(record).toMatchObject({
      id: String(created.id),
      event_count: '0',
      active: true,
      hidden: '0',
      name: created.name,
      date_created: created.date_created,
    });
  });

  it('answers 404 wu_rest_webhook_invalid_id for a missing id (GET, update, DELETE), id 0 included', async () => {
    for (const [method, path] of [
      ['GET', '/webhook/999999'],
      ['GET', '/webhook/0'],
      ['PATCH', '/webhook/999999'],
      ['DELETE', '/webhook/999999'],
    ] as const) {
      const res = await sandbox.rest(
        method,
        path,
        method === 'PATCH' ? { body: { name: 'xx' } } : {},
      );
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json).toEqual(notFound);
    }
  });

  it('deletes: true, then 404 the second time (never 500)', async () => {
    const { id } = (await create(valid())).json as { id: number };
    const first = await sandbox.rest('DELETE', `/webhook/${id}`);
    expect(first.status).toBe(200);
    expect(first.text).toBe('true');
    const again = await sandbox.rest('DELETE', `/webhook/${id}`);
    expect(again.status).toBe(404);
    expect(again.json).toEqual(notFound);
    expect((await sandbox.rest('GET', `/webhook/${id}`)).status).toBe(404);
  });

  it('answers concurrent deletes of one webhook with one true and 404s', async () => {
    const { id } = (await create(valid())).json as { id: number };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => sandbox.rest('DELETE', `/webhook/${id}`)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 404, 404, 404, 404]);
  });

  it("updates with POST, PUT and PATCH (the plugin's EDITABLE methods)", async () => {
    const { id } = (await create(valid())).json as { id: number };
    const post = await sandbox.rest('POST', `/webhook/${id}`, { body: { name: 'Renamed' } });
    expect(post.status).toBe(200);
    expect((post.json as Rec).name).toBe('Renamed');
    const put = await sandbox.rest('PUT', `/webhook/${id}`, { body: { active: true } });
    expect((put.json as Rec).active).toBe(true);
    const patch = await sandbox.rest('PATCH', `/webhook/${id}`, {
      body: { webhook_url: 'http://127.0.0.1:9/x', event: 'site_published', active: 'false' },
    });
    expect(patch.status).toBe(200);
    const record = patch.json as Rec;
    expect(Object.keys(record)).toEqual(RECORD_KEYS);
    expect(record).toMatchObject({
      id: String(id),
      name: 'Renamed',
      webhook_url: 'http://127.0.0.1:9/x',
      event: 'site_published',
      active: false,
    });
  });

  it('ignores credential keys in an update body and refuses unknown keys with invalid_set_method', async () => {
    const { id } = (await create(valid())).json as { id: number };
    const withCredentials = await sandbox.rest('PATCH', `/webhook/${id}`, {
      auth: false,
      body: { api_key: sandbox.key, api_secret: sandbox.secret, name: 'Via params' },
    });
    expect(withCredentials.status).toBe(200);
    expect((withCredentials.json as Rec).name).toBe('Via params');

    const unknown = await sandbox.rest('PATCH', `/webhook/${id}`, { body: { colour: 'red' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({
      code: 'wu_rest_webhook_invalid_set_method',
      message: 'The WP_Ultimo\\Models\\Webhook object does not have a set_colour method',
      data: { status: 400 },
    });
    // The plugin has no setter for date_last_failed either.
    const noSetter = await sandbox.rest('PATCH', `/webhook/${id}`, {
      body: { date_last_failed: '2024-01-01 00:00:00' },
    });
    expect((noSetter.json as Rec).code).toBe('wu_rest_webhook_invalid_set_method');
    expect((await sandbox.rest('GET', `/webhook/${id}`)).json).toMatchObject({
      name: 'Via params',
    });
  });

  it('refuses missing required fields with rest_missing_callback_param, before the auth check like WordPress', async () => {
    const res = await sandbox.rest('POST', '/webhook', {
      auth: false,
      body: { webhook_url: 'https://example.com' },
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      code: 'rest_missing_callback_param',
      message: 'Missing parameter(s): name, event, integration',
      data: { status: 400, params: ['name', 'event', 'integration'] },
    });
  });

  it('refuses wrong argument types with rest_invalid_param', async () => {
    const res = await create(valid({ active: 'maybe' }));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      code: 'rest_invalid_param',
      message: 'Invalid parameter(s): active',
      data: { status: 400, params: { active: 'active is not of type boolean.' } },
    });
  });

  it("answers the model's validation errors as the plugin does: code = field, WordPress status 500", async () => {
    const cases: Array<[Rec, string, string]> = [
      [{ name: 'Z' }, 'name', 'The Name minimum is 2'],
      [{ webhook_url: 'ftp://example.com/x' }, 'webhook_url', 'The Webhook url is not valid url'],
      [{ webhook_url: 'not a url' }, 'webhook_url', 'The Webhook url is not valid url'],
      [
        { webhook_url: `https://example.com/${'a'.repeat(180)}` },
        'webhook_url',
        'The Webhook url maximum is 191',
      ],
      [{ event: 'e'.repeat(41) }, 'event', 'The Event maximum is 40'],
      [{ integration: 'z' }, 'integration', 'The Integration minimum is 2'],
    ];
    for (const [over, code, message] of cases) {
      const res = await create(valid(over));
      expect(res.status, JSON.stringify(over)).toBe(500);
      expect(res.json).toMatchObject({ code, message, data: null });
    }
    // Nothing was stored by the refused creates.
    const list = await sandbox.rest('GET', '/webhook?search=not%20stored');
    expect(list.json).toEqual([]);
  });

  it('accepts a URL of exactly 191 characters and an event slug of 40 (the column sizes)', async () => {
    const url = `https://example.com/${'a'.repeat(191 - 20)}`;
    expect(url.length).toBe(191);
    const res = await create(valid({ webhook_url: url, event: 'e'.repeat(40) }));
    expect(res.status).toBe(200);
    expect((res.json as Rec).webhook_url).toBe(url);
  });

  it('answers malformed JSON with rest_invalid_json (400)', async () => {
    const res = await sandbox.rest('POST', '/webhook', { body: '{"name": "x",' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      code: 'rest_invalid_json',
      message: 'Invalid JSON body passed.',
      data: { status: 400, json_error_code: 4, json_error_message: 'Syntax error' },
    });
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const res = await sandbox.rest('POST', '/webhook', {
      body: JSON.stringify({ ...valid(), name: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(res.status).toBe(413);
    expect((res.json as Rec).data).toEqual({ status: 413 });
  });

  it('answers unknown routes, non-numeric ids and unsupported methods with rest_no_route', async () => {
    for (const [method, path] of [
      ['GET', '/nothing'],
      ['GET', '/webhook/abc'],
      ['GET', '/webhook/-1'],
      ['PUT', '/webhook'],
      ['DELETE', '/webhook'],
      ['POST', '/hooks'],
      ['POST', '/auth'],
      ['GET', '/webhooks'],
    ] as const) {
      const res = await sandbox.rest(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json).toEqual(noRoute);
    }
    const outside = await fetch(`${sandbox.url}/wp-json/wp/v2/posts`);
    expect(outside.status).toBe(404);
    expect(await outside.json()).toEqual(noRoute);
  });

  it('matches routes case-insensitively and without a trailing slash, like WordPress', async () => {
    expect((await sandbox.rest('GET', '/AUTH')).status).toBe(200);
    expect((await sandbox.rest('GET', '/webhook/')).status).toBe(200);
  });

  it('describes routes without credentials: the index routes and OPTIONS', async () => {
    const root = await fetch(`${sandbox.url}/wp-json/`);
    expect(root.status).toBe(200);
    expect(((await root.json()) as { namespaces: string[] }).namespaces).toEqual(['wu/v2']);
    const options = await sandbox.rest('OPTIONS', '/webhook/12', { auth: false });
    expect(options.status).toBe(200);
    expect(options.headers.get('allow')).toBe('GET, POST, PUT, PATCH, DELETE');
    expect((options.json as { methods: string[] }).methods).toContain('DELETE');
  });

  it('sends WordPress REST headers', async () => {
    const res = await sandbox.rest('GET', '/auth');
    expect(res.headers.get('x-robots-tag')).toBe('noindex');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('access-control-expose-headers')).toContain('X-WP-Total');
    expect(res.headers.get('link')).toBe(`<${sandbox.url}/wp-json/>; rel="https://api.w.org/"`);
  });
});

describe('sandbox REST: GET /webhook list parameters', () => {
  let sandbox: Sandbox;
  const ids: number[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox();
    const specs = [
      { name: 'Alpha hook', event: 'payment_received', integration: 'zapier', active: true },
      { name: 'Beta hook', event: 'payment_received', integration: 'manual', active: false },
      { name: 'Gamma hook', event: 'site_published', integration: 'zapier', active: true },
      { name: 'Delta hook', event: 'customer_created', integration: 'manual', active: true },
      { name: 'Epsilon 100%', event: 'site_published', integration: 'manual', active: false },
    ];
    for (const spec of specs) {
      const res = await sandbox.rest('POST', '/webhook', {
        body: {
          ...spec,
          webhook_url: `https://example.com/${spec.name.split(' ')[0]!.toLowerCase()}`,
        },
      });
      ids.push((res.json as { id: number }).id);
    }
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const names = async (query: string) => {
    const res = await sandbox.rest('GET', `/webhook${query}`);
    expect(res.status, query).toBe(200);
    return (res.json as Array<{ name: string }>).map((r) => r.name);
  };

  it('lists everything newest first (BerlinDB: orderby id, order DESC), with X-WP-Total', async () => {
    const res = await sandbox.rest('GET', '/webhook');
    expect(res.headers.get('x-wp-total')).toBe('5');
    expect(res.headers.get('x-wp-totalpages')).toBe('1');
    expect((res.json as Array<{ id: string }>).map((r) => Number(r.id))).toEqual(
      [...ids].reverse(),
    );
  });

  it('filters by event, integration, active and search', async () => {
    expect(await names('?event=site_published')).toEqual(['Epsilon 100%', 'Gamma hook']);
    expect(await names('?integration=zapier')).toEqual(['Gamma hook', 'Alpha hook']);
    expect(await names('?active=1')).toEqual(['Delta hook', 'Gamma hook', 'Alpha hook']);
    expect(await names('?active=false&event=payment_received')).toEqual(['Beta hook']);
    expect(await names('?search=HOOK&integration=manual')).toEqual(['Delta hook', 'Beta hook']);
    expect(await names('?search=100%25')).toEqual(['Epsilon 100%']);
    expect(await names('?search=gamma.com')).toEqual([]);
    expect(await names('?search=example.com%2Fgamma')).toEqual(['Gamma hook']);
  });

  it('orders by a column either way', async () => {
    expect(await names('?orderby=name&order=asc')).toEqual([
      'Alpha hook',
      'Beta hook',
      'Delta hook',
      'Epsilon 100%',
      'Gamma hook',
    ]);
    expect((await names('?orderby=id&order=ASC'))[0]).toBe('Alpha hook');
  });

  it('pages with number/offset and with page/per_page (X-WP-TotalPages)', async () => {
    expect(await names('?orderby=id&order=asc&number=2&offset=1')).toEqual([
      'Beta hook',
      'Gamma hook',
    ]);
    const res = await sandbox.rest('GET', '/webhook?orderby=id&order=asc&per_page=2&page=3');
    expect(res.headers.get('x-wp-total')).toBe('5');
    expect(res.headers.get('x-wp-totalpages')).toBe('3');
    expect((res.json as Array<{ name: string }>).map((r) => r.name)).toEqual(['Epsilon 100%']);
    const filtered = await sandbox.rest('GET', '/webhook?active=true&per_page=2');
    expect(filtered.headers.get('x-wp-total')).toBe('3');
    expect(filtered.headers.get('x-wp-totalpages')).toBe('2');
  });

  it('refuses per_page over 100 and page below 1 with rest_invalid_param', async () => {
    for (const query of ['?per_page=101', '?per_page=0', '?page=0&per_page=5']) {
      const res = await sandbox.rest('GET', `/webhook${query}`);
      expect(res.status, query).toBe(400);
      expect((res.json as { code: string }).code).toBe('rest_invalid_param');
    }
    expect((await sandbox.rest('GET', '/webhook?per_page=100')).status).toBe(200);
  });
});

describe('sandbox REST: GET /hooks', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('lists every catalog event keyed by slug with name, desc, payload (no wu_version) and deprecated_args', async () => {
    const res = await sandbox.rest('GET', '/hooks');
    expect(res.status).toBe(200);
    const hooks = res.json as Record<string, Rec>;
    expect(Object.keys(hooks)).toEqual(catalog.map((e) => e.id));
    for (const event of catalog) {
      const hook = hooks[event.id]!;
      expect(Object.keys(hook)).toEqual(['name', 'desc', 'payload', 'deprecated_args']);
      expect(hook.name).toBe(event.name);
      expect(typeof hook.desc).toBe('string');
      const { wu_version: _v, ...payload } = event.pluginSample;
      expect(hook.payload).toEqual(payload);
      expect(hook.payload).not.toHaveProperty('wu_version');
    }
    expect(hooks.payment_received!.deprecated_args).toEqual({
      user_id: 'customer_user_id',
      amount: 'payment_total',
      gateway: 'payment_gateway',
      status: 'payment_status',
      date: 'payment_date_created',
    });
    // PHP encodes an empty array as [], not {}.
    expect(hooks.site_published!.deprecated_args).toEqual([]);
  });
});
