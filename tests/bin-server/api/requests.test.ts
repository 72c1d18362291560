import { catalog } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_BODY_BUDGET } from '../../../bin-server/src/api/requests/request-routes.js';
import type { BinJson } from '../../../bin-server/src/wire/bin.js';
import { errorJson } from '../../../bin-server/src/wire/error.js';
import {
  requestJson,
  requestPageJson,
  requestSummaryJson,
} from '../../../bin-server/src/wire/request.js';
import { requestWithReplaysJson } from '../../../bin-server/src/wire/replay.js';
import { rawRequest, recordBus, startApi, type ApiClient } from '../../support/api-client.js';

let api: ApiClient;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

/** A real capture; resolves to the request id the bin answered with. */
async function capture(url: string, init: RequestInit = {}): Promise<string> {
  const response = await fetch(url, { method: 'POST', ...init });
  await response.arrayBuffer();
  expect(response.status).toBe(200);
  return response.headers.get('x-request-id')!;
}

async function page(binId: string, params: string) {
  const answer = await api.call(`/api/bins/${binId}/requests?${params}`);
  expect(answer.status, answer.text).toBe(200);
  return requestPageJson.strict().parse(answer.json);
}

function expectError(
  answer: { status: number; json: unknown },
  status: number,
  error: string,
  field?: string,
) {
  expect(answer.status).toBe(status);
  const body = errorJson.strict().parse(answer.json);
  expect(body.error).toBe(error);
  if (field !== undefined) expect(body.field).toBe(field);
}

describe('GET /api/bins/:id/requests', () => {
  let bin: BinJson;
  const sent: string[] = [];
  beforeAll(async () => {
    bin = await api.createBin();
    for (let i = 0; i < 7; i++)
      sent.push(await capture(`${bin.url}/n/${i}`, { body: `body-${i}` }));
  });

  it('pages newest first through an opaque cursor with no duplicates or gaps', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const current = await page(
        bin.id,
        `limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      sizes.push(current.items.length);
      for (const item of current.items) {
        const request = requestJson.strict().parse(item);
        expect(request.body_text).toBe(`body-${request.path.slice(3)}`);
        seen.push(request.id);
      }
      cursor = current.next_cursor;
      if (cursor) expect(cursor).not.toMatch(/^\d+$/);
    } while (cursor);
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual([...sent].reverse());
  });

  it('keeps pagination consistent while new requests arrive', async () => {
    const first = await page(bin.id, 'limit=4&include_body=false');
    await capture(bin.url, { body: 'late arrival' });
    const second = await page(bin.id, `limit=4&include_body=false&cursor=${first.next_cursor}`);
    const ids = [...first.items, ...second.items].map((i) => i.id);
    expect(ids).toEqual([...sent].reverse());
  });

  it('leaves the body out with include_body=false (and 0)', async () => {
    for (const flag of ['false', '0']) {
      const current = await page(bin.id, `include_body=${flag}&limit=2`);
      for (const item of current.items) {
        expect(item).not.toHaveProperty('body_base64');
        expect(item).not.toHaveProperty('body_text');
        requestSummaryJson.strict().parse(item);
      }
    }
    const withBodies = await page(bin.id, 'include_body=true&limit=2');
    for (const item of withBodies.items) expect(item).toHaveProperty('body_base64');
  });

  it('defaults to 50 and accepts up to 500', async () => {
    const many = await api.createBin();
    await Promise.all(Array.from({ length: 55 }, (_, i) => capture(many.url, { body: `${i}` })));
    const first = await page(many.id, 'include_body=false');
    expect(first.items).toHaveLength(50);
    expect(first.next_cursor).not.toBeNull();
    const all = await page(many.id, 'include_body=false&limit=500');
    expect(all.items).toHaveLength(55);
    expect(all.next_cursor).toBeNull();
    const seqs = all.items.map((i) => i.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
  });

  const invalid: Array<[string, string]> = [
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['include_body=maybe', 'include_body'],
    ['cursor=not-a-cursor', 'cursor'],
    [`cursor=${Buffer.from('{"v":1,"before":-4}').toString('base64url')}`, 'cursor'],
    ['method=P%20OST', 'method'],
    ['event=a%20b', 'event'],
    [`q=${'x'.repeat(1001)}`, 'q'],
  ];
  it.each(invalid)('answers 400 naming the parameter for %s', async (params, field) => {
    const answer = await api.call(`/api/bins/${bin.id}/requests?${params}`);
    expectError(answer, 400, 'invalid_request', field);
  });

  it('answers 404 for an unknown bin', async () => {
    expectError(await api.call('/api/bins/unknown-bin/requests'), 404, 'bin_not_found');
  });

  it('cuts pages at a body budget and continues with the cursor', async () => {
    const heavy = await api.createBin();
    const size = Math.ceil(PAGE_BODY_BUDGET / 2.5);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await capture(heavy.url, { body: Buffer.alloc(size, 65 + i) }));
    }
    const first = await page(heavy.id, 'limit=50');
    expect(first.items).toHaveLength(2);
    expect(first.next_cursor).not.toBeNull();
    const second = await page(heavy.id, `limit=50&cursor=${first.next_cursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.next_cursor).toBeNull();
    const items = [...first.items, ...second.items].map((i) => requestJson.parse(i));
    expect(items.map((i) => i.id)).toEqual([...ids].reverse());
    expect(items.map((i) => Buffer.from(i.body_base64, 'base64').length)).toEqual([
      size,
      size,
      size,
    ]);
  });
});

describe('filters', () => {
  let bin: BinJson;
  const ids: Record<string, string> = {};
  const event = catalog.find((e) => e.delivery === 'webhook') ?? catalog[0]!;
  beforeAll(async () => {
    bin = await api.createBin();
    ids.json = await capture(`${bin.url}/hooks?source=Stripe`, {
      headers: { 'content-type': 'application/json', 'X-Signature': 'SIG-abc' },
      body: '{"Customer":"Ada Lovelace"}',
    });
    ids.put = await capture(bin.url, { method: 'PUT', body: 'updated thing' });
    ids.event = await capture(`${bin.url}/${event.id}`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event.sample),
    });
  });

  const idsOf = async (params: string) =>
    (await page(bin.id, `include_body=false&${params}`)).items.map((i) => i.id);

  it('q searches the body, headers, path and query, case-insensitively', async () => {
    expect(catalog.length).toBeGreaterThan(0);
    expect(await idsOf('q=ada%20LOVELACE')).toEqual([ids.json]);
    expect(await idsOf('q=sig-ABC')).toEqual([ids.json]);
    expect(await idsOf('q=source%3Dstripe')).toEqual([ids.json]);
    expect(await idsOf('q=UPDATED')).toEqual([ids.put]);
    expect(await idsOf('q=nothing-matches-this')).toEqual([]);
    expect(await idsOf('q=')).toHaveLength(3);
  });

  it('method filters by method, case-insensitively', async () => {
    expect(await idsOf('method=put')).toEqual([ids.put]);
    expect(await idsOf('method=POST')).toEqual([ids.event, ids.json]);
    expect(await idsOf('method=DELETE')).toEqual([]);
  });

  it('event filters by recognised event', async () => {
    expect(await idsOf(`event=${event.id}`)).toEqual([ids.event]);
    const other = catalog.find((e) => e.id !== event.id)!;
    expect(await idsOf(`event=${other.id}`)).not.toContain(ids.event);
    const full = requestJson.parse(
      (await api.call(`/api/bins/${bin.id}/requests/${ids.event}`)).json,
    );
    expect(full.recognition?.checked_event).toBe(event.id);
  });

  it('filters combine', async () => {
    expect(await idsOf(`method=POST&q=lovelace`)).toEqual([ids.json]);
    expect(await idsOf(`method=PUT&q=lovelace`)).toEqual([]);
  });
});

describe('GET /api/bins/:id/requests/:rid', () => {
  it('returns the request with exact bytes, text only when UTF-8', async () => {
    const bin = await api.createBin();
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x41]);
    const binary = await capture(`${bin.url}/bin?x=1&x=2`, { method: 'PUT', body: bytes });
    const text = await capture(bin.url, { body: 'héllo ✓' });

    const one = requestWithReplaysJson
      .strict()
      .parse((await api.call(`/api/bins/${bin.id}/requests/${binary}`)).json);
    expect(one.replays).toEqual([]);
    expect(Buffer.from(one.body_base64, 'base64')).toEqual(bytes);
    expect(one.body_text).toBeNull();
    expect(one).toMatchObject({
      id: binary,
      bin_id: bin.id,
      method: 'PUT',
      path: '/bin',
      query: 'x=1&x=2',
      url: '/bin?x=1&x=2',
      size: 4,
    });
    const two = requestJson.parse((await api.call(`/api/bins/${bin.id}/requests/${text}`)).json);
    expect(two.body_text).toBe('héllo ✓');
  });

  it('keeps headers in order, with their case and duplicates', async () => {
    const bin = await api.createBin();
    await rawRequest(bin.url, {
      method: 'POST',
      headers: [
        ['X-First', '1'],
        ['x-dup', 'a'],
        ['X-Dup', 'b'],
        ['X-Last', 'z'],
      ],
      body: 'h',
    });
    const [item] = (await page(bin.id, 'limit=1')).items;
    const names = item!.headers.map(([n]) => n);
    expect(names.filter((n) => /^x-/i.test(n))).toEqual(['X-First', 'x-dup', 'X-Dup', 'X-Last']);
  });

  it('answers 404 request_not_found, 404 bin_not_found, 400 for an impossible id', async () => {
    const bin = await api.createBin();
    expectError(
      await api.call(`/api/bins/${bin.id}/requests/req_missing`),
      404,
      'request_not_found',
    );
    expectError(await api.call('/api/bins/gone-bin/requests/req_x'), 404, 'bin_not_found');
    expectError(await api.call(`/api/bins/${bin.id}/requests/a.b`), 400, 'invalid_request', 'rid');
  });

  it('does not show a request through another bin', async () => {
    const a = await api.createBin();
    const b = await api.createBin();
    const id = await capture(a.url, { body: 'private to a' });
    expectError(await api.call(`/api/bins/${b.id}/requests/${id}`), 404, 'request_not_found');
  });
});

describe('GET /api/bins/:id/requests/latest', () => {
  const latest = (binId: string, params = '', init?: RequestInit) =>
    api.call(`/api/bins/${binId}/requests/latest${params ? `?${params}` : ''}`, init);

  it('answers 204 when empty, else the newest request', async () => {
    const bin = await api.createBin();
    expect((await latest(bin.id)).status).toBe(204);
    await capture(bin.url, { body: 'one' });
    const second = await capture(bin.url, { body: 'two' });
    const answer = await latest(bin.id);
    expect(answer.status).toBe(200);
    const request = requestJson.strict().parse(answer.json);
    expect(request.id).toBe(second);
    expect(request.body_text).toBe('two');
  });

  it('with after: the newest if newer, else 204', async () => {
    const bin = await api.createBin();
    const first = await capture(bin.url, { body: 'one' });
    const second = await capture(bin.url, { body: 'two' });
    expect((await latest(bin.id, `after=${second}`)).status).toBe(204);
    // Something newer exists: answered at once, even with a long wait.
    const answer = await latest(bin.id, `after=${first}&wait=60`);
    expect(answer.status).toBe(200);
    expect(requestJson.parse(answer.json).id).toBe(second);
    expectError(await latest(bin.id, 'after=req_unknown'), 404, 'request_not_found');
  });

  it('waits for a request captured during the wait', async () => {
    const bin = await api.createBin();
    const before = await capture(bin.url, { body: 'already here' });
    const poll = latest(bin.id, 'wait=20');
    // Keep sending until the long-poll answers: it must answer with one sent after the call.
    const sentDuring: string[] = [];
    let done = false;
    void poll.then(() => (done = true));
    while (!done) {
      sentDuring.push(await capture(bin.url, { body: `during ${sentDuring.length}` }));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const answer = await poll;
    expect(answer.status).toBe(200);
    const request = requestJson.parse(answer.json);
    expect(request.id).not.toBe(before);
    expect(sentDuring).toContain(request.id);
  });

  it('loops with after to receive each request', async () => {
    const bin = await api.createBin();
    let last = await capture(bin.url, { body: 'start' });
    for (let i = 0; i < 3; i++) {
      const poll = latest(bin.id, `after=${last}&wait=20`);
      const id = await capture(bin.url, { body: `next ${i}` });
      const answer = await poll;
      expect(answer.status).toBe(200);
      expect(requestJson.parse(answer.json).id).toBe(id);
      last = id;
    }
  });

  it('answers 204 when the wait ends with nothing new', async () => {
    const bin = await api.createBin();
    await capture(bin.url, { body: 'old' });
    const answer = await latest(bin.id, 'wait=0.4');
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
  });

  it('answers 404 when the bin is deleted during the wait', async () => {
    const bin = await api.createBin();
    const poll = latest(bin.id, 'wait=20');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await api.call(`/api/bins/${bin.id}`, { method: 'DELETE' });
    expectError(await poll, 404, 'bin_not_found');
  });

  it('validates wait and after', async () => {
    const bin = await api.createBin();
    expectError(await latest(bin.id, 'wait=61'), 400, 'invalid_request', 'wait');
    expectError(await latest(bin.id, 'wait=-1'), 400, 'invalid_request', 'wait');
    expectError(await latest(bin.id, 'wait=soon'), 400, 'invalid_request', 'wait');
    expectError(await latest(bin.id, 'after=a%20b'), 400, 'invalid_request', 'after');
    expectError(await latest('unknown-bin'), 404, 'bin_not_found');
  });

  it('stops waiting (and listening) when the client goes away', async () => {
    const bin = await api.createBin();
    const bus = api.server.context.bus;
    const subscribe = bus.subscribe;
    let listening = 0;
    bus.subscribe = (topic, handler) => {
      const off = subscribe(topic, handler);
      if (topic !== `bin:${bin.id}`) return off;
      listening++;
      return () => {
        listening--;
        off();
      };
    };
    try {
      const controller = new AbortController();
      const poll = latest(bin.id, 'wait=60', { signal: controller.signal }).catch((e: Error) => e);
      while (listening === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort();
      expect(await poll).toBeInstanceOf(Error);
      while (listening > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(listening).toBe(0);
    } finally {
      bus.subscribe = subscribe;
    }
  });

  it('ends waits when the server shuts down', async () => {
    const own = await startApi();
    try {
      const bin = await own.createBin();
      const context = own.server.context;
      const now = context.now;
      let arrived = false;
      context.now = () => {
        arrived = true;
        return now();
      };
      const poll = own.call(`/api/bins/${bin.id}/requests/latest?wait=60`);
      while (!arrived) await new Promise((resolve) => setTimeout(resolve, 20));
      const closing = own.close();
      expect((await poll).status).toBe(204);
      await closing;
    } finally {
      await own.close();
    }
  });
});

describe('deleting requests', () => {
  it('deletes one, publishes request.deleted, then 404', async () => {
    const bin = await api.createBin();
    const keep = await capture(bin.url, { body: 'keep' });
    const drop = await capture(bin.url, { body: 'drop' });
    const bus = recordBus(api.server, bin.id);
    try {
      const answer = await api.call(`/api/bins/${bin.id}/requests/${drop}`, { method: 'DELETE' });
      expect(answer.status).toBe(204);
      expect(bus.messages).toEqual([{ type: 'request.deleted', bin: bin.id, id: drop }]);
    } finally {
      bus.stop();
    }
    expectError(await api.call(`/api/bins/${bin.id}/requests/${drop}`), 404, 'request_not_found');
    expectError(
      await api.call(`/api/bins/${bin.id}/requests/${drop}`, { method: 'DELETE' }),
      404,
      'request_not_found',
    );
    expect((await page(bin.id, '')).items.map((i) => i.id)).toEqual([keep]);
  });

  it('deletes all, publishes requests.cleared, keeps the bin and its count', async () => {
    const bin = await api.createBin();
    for (let i = 0; i < 3; i++) await capture(bin.url, { body: `${i}` });
    const bus = recordBus(api.server, bin.id);
    try {
      const answer = await api.call(`/api/bins/${bin.id}/requests`, { method: 'DELETE' });
      expect(answer.status).toBe(204);
      expect(bus.messages).toEqual([{ type: 'requests.cleared', bin: bin.id }]);
    } finally {
      bus.stop();
    }
    expect((await page(bin.id, '')).items).toEqual([]);
    const after = (await api.call(`/api/bins/${bin.id}`)).json as BinJson;
    expect(after.request_count).toBe(3);
    expectError(
      await api.call('/api/bins/nope-bin/requests', { method: 'DELETE' }),
      404,
      'bin_not_found',
    );
  });
});
