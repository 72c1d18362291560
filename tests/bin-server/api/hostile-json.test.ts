import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../support/sandbox.js';

/**
 * Hostile JSON into both APIs (/api and the plugin's /wp-json/wu/v2) of a server running in this
 * process, so that its Object.prototype is the one checked: every body gets a clear 4xx (or, on
 * /wp-json, exactly what WordPress's json_decode does), nothing is half stored, no prototype
 * changes.
 */

let sandbox: Sandbox;
let webhookId: number;
const BIN = 'hostile-json-bin';

const deepArrays = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const deepObjects = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const invalidUtf8 = (before: string, after: string) =>
  Buffer.concat([Buffer.from(before), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(after)]);

async function post(
  method: string,
  path: string,
  body: string | Buffer,
  auth = false,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth) headers.authorization = sandbox.basic;
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers,
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as Record<string, unknown> };
}

/** Everything these bodies could have written, as it is stored. */
async function storedState(): Promise<unknown> {
  const { store } = sandbox.server.context;
  return {
    bins: await store.bins.list(),
    webhooks: await store.webhooks.list({ orderby: 'id', order: 'asc', limit: 1000, offset: 0 }),
    deliveries: (await store.deliveries.list({ limit: 1000 })).items.map((d) => d.id),
  };
}

function prototypes(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].flatMap(
    (proto) => Reflect.ownKeys(proto).map(String),
  );
}

const before = { prototypes: [] as string[] };

beforeAll(async () => {
  sandbox = await startSandbox();
  before.prototypes = prototypes();
  await sandbox.api('POST', '/bins', { id: BIN, name: 'hostile' });
  const created = await sandbox.api<{ id: number }>('POST', '/sandbox/webhooks', {
    name: 'Hostile input target',
    webhook_url: 'http://127.0.0.1:9/never-called',
    event: 'payment_received',
    active: false,
  });
  webhookId = created.json.id;
});
afterAll(async () => {
  await sandbox.close();
});

describe('hostile JSON into /api: a clear 400 or 413, nothing stored', () => {
  const endpoints: Array<[string, string, (body: string) => string]> = [
    ['POST', '/api/bins', (inner) => `{"name":${inner}}`],
    ['PATCH', `/api/bins/${BIN}`, (inner) => `{"name":${inner}}`],
    [
      'POST',
      '/api/sandbox/webhooks',
      (inner) =>
        `{"name":${inner},"webhook_url":"http://127.0.0.1:9/x","event":"payment_received"}`,
    ],
    ['PATCH', '/api/sandbox/webhooks/:id', (inner) => `{"name":${inner}}`],
    [
      'POST',
      '/api/sandbox/fire',
      (inner) => `{"event":"payment_received","payload":{"name":${inner}}}`,
    ],
  ];
  const bodies: Array<
    [string, (wrap: (inner: string) => string) => string | Buffer, number, RegExp]
  > = [
    ['10,000 levels of arrays', (wrap) => wrap(deepArrays(10_000)), 400, /levels deep/],
    ['10,000 levels of objects', (wrap) => wrap(deepObjects(10_000)), 400, /levels deep/],
    ['512 levels (one past PHP json_decode)', (wrap) => wrap(deepArrays(511)), 400, /levels deep/],
    ['a 1 MiB string', (wrap) => wrap(JSON.stringify('x'.repeat(1 << 20))), 413, /larger than/],
    [
      'invalid UTF-8 inside a string',
      (wrap) => {
        const [head, tail] = wrap('"MARK"').split('MARK');
        return invalidUtf8(head!, tail!);
      },
      400,
      /not valid UTF-8/,
    ],
    ['an unpaired surrogate escape', (wrap) => wrap('"a\\ud800b"'), 400, /unpaired surrogate/],
    ['a duplicate key', (wrap) => wrap('"first","name":"second"'), 400, /twice/],
    [
      'a top-level __proto__ key',
      (wrap) => `{"__proto__":{"polluted":true},${wrap('"p"').slice(1)}`,
      400,
      /__proto__/,
    ],
    [
      'a top-level constructor key',
      (wrap) => `{"constructor":{"prototype":{"polluted":true}},${wrap('"p"').slice(1)}`,
      400,
      /constructor/,
    ],
  ];

  for (const [method, path, wrap] of endpoints) {
    for (const [name, body, status, message] of bodies) {
      it(`${method} ${path}: ${name}`, async () => {
        const state = await storedState();
        const reply = await post(method, path.replace(':id', String(webhookId)), body(wrap));
        expect(reply.status, JSON.stringify(reply.json)).toBe(status);
        expect(reply.json.message).toMatch(message);
        expect(reply.json.error).toMatch(/^(invalid_json|invalid_request|body_too_large)$/);
        expect(await storedState()).toEqual(state);
        expect(prototypes()).toEqual(before.prototypes);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });
    }
  }

  it('numbers past 2^53 where an integer is expected: 400 naming the field', async () => {
    for (const [method, path] of [
      ['POST', '/api/bins'],
      ['PATCH', `/api/bins/${BIN}`],
    ] as const) {
      const state = await storedState();
      const reply = await post(
        method,
        path,
        '{"name":"n","response":{"status":200,"delay_ms":9007199254740993}}',
      );
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject({ error: 'invalid_request', field: 'response.delay_ms' });
      expect(await storedState()).toEqual(state);
    }
    const hook = await post('PATCH', `/api/sandbox/webhooks/${webhookId}`, '{"active":1e400}');
    expect(hook.status).toBe(400);
    expect(hook.json).toMatchObject({ field: 'active' });
  });

  it('__proto__ and constructor inside a fired payload stay data and change no prototype', async () => {
    const reply = await post(
      'POST',
      '/api/sandbox/fire',
      '{"event":"payment_received","force":true,"payload":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"n":9007199254740993}}',
    );
    expect(reply.status).toBe(202);
    expect(prototypes()).toEqual(before.prototypes);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a body at the limits that is fine is accepted (511 levels, unique keys)', async () => {
    const reply = await post(
      'POST',
      '/api/sandbox/fire',
      `{"event":"payment_received","force":true,"payload":{"a":${deepArrays(509)}}}`,
    );
    expect(reply.status).toBe(202);
  });
});

describe('hostile JSON into /wp-json/wu/v2: what WordPress answers, nothing stored', () => {
  const create = (extra: string) =>
    `{"name":"Hostile hook","webhook_url":"http://127.0.0.1:9/x","event":"payment_received","integration":"zapier"${extra}}`;
  const routes: Array<[string, string]> = [
    ['POST', '/wp-json/wu/v2/webhook'],
    ['POST', '/wp-json/wu/v2/webhook/:id'],
    ['PUT', '/wp-json/wu/v2/webhook/:id'],
  ];
  const refused: Array<[string, string | Buffer, number, number, string]> = [
    [
      '10,000 levels',
      create(`,"x":${deepObjects(10_000)}`),
      400,
      1,
      'Maximum stack depth exceeded',
    ],
    ['512 levels', create(`,"x":${deepArrays(511)}`), 400, 1, 'Maximum stack depth exceeded'],
    [
      'invalid UTF-8 inside a string',
      invalidUtf8(create('').slice(0, -1) + ',"x":"', '"}'),
      400,
      5,
      'Malformed UTF-8 characters, possibly incorrectly encoded',
    ],
    [
      'an unpaired surrogate escape',
      create(',"x":"\\udc00"'),
      400,
      10,
      'Single unpaired UTF-16 surrogate in unicode escape',
    ],
  ];
  for (const [method, route] of routes) {
    for (const [name, body, status, code, message] of refused) {
      it(`${method} ${route}: ${name}`, async () => {
        const state = await storedState();
        const reply = await post(method, route.replace(':id', String(webhookId)), body, true);
        expect(reply.status).toBe(status);
        expect(reply.json).toMatchObject({
          code: 'rest_invalid_json',
          data: { status, json_error_code: code, json_error_message: message },
        });
        expect(await storedState()).toEqual(state);
        expect(prototypes()).toEqual(before.prototypes);
      });
    }
    it(`${method} ${route}: a 1 MiB string is refused with 413`, async () => {
      const state = await storedState();
      const reply = await post(
        method,
        route.replace(':id', String(webhookId)),
        create(`,"x":${JSON.stringify('x'.repeat(1 << 20))}`),
        true,
      );
      expect(reply.status).toBe(413);
      expect(reply.json).toMatchObject({ code: 'rest_request_too_large' });
      expect(await storedState()).toEqual(state);
    });
  }

  it('__proto__ and constructor keys are ignored parameters, as in PHP, and change no prototype', async () => {
    const reply = await post(
      'POST',
      '/wp-json/wu/v2/webhook',
      create(',"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}'),
      true,
    );
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ name: 'Hostile hook', event: 'payment_received' });
    expect(prototypes()).toEqual(before.prototypes);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const deleted = await post(
      'DELETE',
      `/wp-json/wu/v2/webhook/${String(reply.json.id)}`,
      '',
      true,
    );
    expect(deleted.status).toBe(200);
  });

  it('a repeated key keeps its last value, as json_decode does', async () => {
    const reply = await post(
      'POST',
      `/wp-json/wu/v2/webhook/${webhookId}`,
      '{"name":"First name","name":"Second name"}',
      true,
    );
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ name: 'Second name' });
  });

  it('an id past 2^53 names no webhook', async () => {
    const reply = await post(
      'POST',
      '/wp-json/wu/v2/webhook/9007199254740993',
      '{"name":"Big id"}',
      true,
    );
    expect(reply.status).toBe(404);
    expect(prototypes()).toEqual(before.prototypes);
  });
});
