import { generateSecret } from '@umhooks/core';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  replayJson,
  replayListJson,
  requestWithReplaysJson,
} from '../../../bin-server/src/wire/replay.js';
import { errorJson } from '../../../bin-server/src/wire/error.js';
import { rawRequest, recordBus, startApi, type ApiClient } from '../../support/api-client.js';
import { startReceiver, type Receiver } from '../../support/receiver.js';

let api: ApiClient;
let target: Receiver;
beforeAll(async () => {
  api = await startApi();
  // The developer's app: answers with its own headers and a body that is not HTML-safe.
  target = await startReceiver((request) => ({
    status: request.url.includes('fail') ? 503 : 202,
    headers: { 'x-app': 'yes', 'content-type': 'text/html' },
    body: `<b>got ${request.method} ${request.url}</b>`,
  }));
});
afterAll(async () => {
  await target.close();
  await api.close();
});

const secret = generateSecret();

/** Captures a Standard Webhooks request with duplicate, mixed-case and hop-by-hop headers. */
async function captureSigned(binUrl: string, suffix = '/orders/7?x=1&x=2') {
  const body = Buffer.from('{"event":"payment_received","amount":29.9,"note":"caf\u00e9"}');
  const timestamp = new Date();
  const signature = new StandardWebhook(secret).sign('msg_replay', timestamp, body.toString());
  const endToEnd: Array<[string, string]> = [
    ['Content-Type', 'application/json'],
    ['X-Dup', 'first'],
    ['x-dup', 'second'],
    ['webhook-id', 'msg_replay'],
    ['webhook-timestamp', String(Math.floor(timestamp.getTime() / 1000))],
    ['webhook-signature', signature],
  ];
  const url = new URL(binUrl);
  const sent = await rawRequest(binUrl, {
    method: 'PUT',
    path: `${url.pathname}${suffix}`,
    headers: [
      ['Host', url.host],
      ...endToEnd,
      ['Content-Length', String(body.length)],
      ['Connection', 'keep-alive, X-Hop'],
      ['X-Hop', 'for the bin only'],
      ['Keep-Alive', 'timeout=5'],
    ],
    body,
  });
  expect(sent.status).toBe(200);
  return { id: String(sent.headers['x-request-id']), body, endToEnd };
}

async function replay(binId: string, requestId: string, input: object) {
  return api.send('POST', `/api/bins/${binId}/requests/${requestId}/replay`, input);
}

describe('POST /api/bins/:id/requests/:rid/replay', () => {
  it('sends the same method, end-to-end headers and exact bytes: the signature verifies at the target', async () => {
    const bin = await api.createBin();
    const captured = await captureSigned(bin.url);
    const live = recordBus(api.server, bin.id);
    const before = target.received.length;

    const answer = await replay(bin.id, captured.id, { url: `${target.url}/webhooks` });
    expect(answer.status, answer.text).toBe(201);
    const result = replayJson.strict().parse(answer.json);
    live.stop();

    const got = target.received[before]!;
    expect(got.method).toBe('PUT');
    expect(got.url).toBe('/webhooks/orders/7?x=1&x=2');
    expect(got.body).toEqual(captured.body);
    // Exactly these lines, in this order: the target's Host, the captured end-to-end headers
    // (hop-by-hop ones and X-Hop, which Connection named, left out), then the framing.
    expect(got.headers).toEqual([
      ['Host', `127.0.0.1:${target.port}`],
      ...captured.endToEnd,
      ['Content-Length', String(captured.body.length)],
      ['Connection', 'close'],
    ]);
    const headers = Object.fromEntries(got.headers.map(([k, v]) => [k.toLowerCase(), v]));
    expect(new StandardWebhook(secret).verify(got.body.toString(), headers)).toMatchObject({
      event: 'payment_received',
    });

    // The record: what was sent (the same lines the target read) and what came back.
    expect(result).toMatchObject({
      bin_id: bin.id,
      request_id: captured.id,
      status: 202,
      error: null,
      response_body: `<b>got PUT /webhooks/orders/7?x=1&x=2</b>`,
      response_truncated: false,
      edited: { method: false, path: false, headers: false, body: false },
      signature: { headers: ['webhook-signature'], matches: true },
      request: { method: 'PUT', url: `${target.url}/webhooks/orders/7?x=1&x=2` },
    });
    expect(result.id).toMatch(/^rpl_[\w-]{20,}$/);
    expect(result.request.headers).toEqual(got.headers);
    expect(Buffer.from(result.request.body_base64, 'base64')).toEqual(captured.body);
    expect(result.response_headers).toEqual(expect.arrayContaining([['x-app', 'yes']]));

    // Live viewers of the bin are told.
    expect(live.messages).toEqual([
      {
        type: 'request.replayed',
        bin: bin.id,
        request_id: captured.id,
        replay_id: result.id,
        status: 202,
      },
    ]);
  });

  it('applies edits, and an edited body marks the signature as no longer matching', async () => {
    const bin = await api.createBin();
    const captured = await captureSigned(bin.url);
    const before = target.received.length;
    const answer = await replay(bin.id, captured.id, {
      url: `${target.url}/base?k=v`,
      method: 'POST',
      path: '/other?y=2',
      headers: [
        ['Content-Type', 'application/json'],
        ['webhook-signature', 'v1,stale'],
        ['X-Added', 'yes'],
        ['Host', 'ignored.example'],
      ],
      body: '{"edited":true}',
    });
    expect(answer.status, answer.text).toBe(201);
    const result = replayJson.parse(answer.json);
    const got = target.received[before]!;
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/base/other?k=v&y=2');
    expect(got.body.toString()).toBe('{"edited":true}');
    expect(got.headers).toEqual([
      ['Host', `127.0.0.1:${target.port}`],
      ['Content-Type', 'application/json'],
      ['webhook-signature', 'v1,stale'],
      ['X-Added', 'yes'],
      ['Content-Length', '15'],
      ['Connection', 'close'],
    ]);
    expect(result.edited).toEqual({ method: true, path: true, headers: true, body: true });
    expect(result.signature).toMatchObject({ headers: ['webhook-signature'], matches: false });
    expect(result.signature!.message).toContain('body was edited');

    // Bytes as base64, and a body equal to the captured one is not an edit.
    const same = await replay(bin.id, captured.id, {
      url: target.url,
      body: captured.body.toString('base64'),
      body_encoding: 'base64',
    });
    expect(replayJson.parse(same.json)).toMatchObject({
      edited: { body: false },
      signature: { matches: true },
    });
    const binary = await replay(bin.id, captured.id, {
      url: target.url,
      body: Buffer.from([0, 0xff, 0x10]).toString('base64'),
      body_encoding: 'base64',
    });
    const sentBinary = replayJson.parse(binary.json);
    expect(sentBinary.request.body_text).toBeNull();
    expect(target.received.at(-1)!.body).toEqual(Buffer.from([0, 0xff, 0x10]));
  });

  it('records an unreachable target as an attempt with an error, and a bounded answer', async () => {
    const bin = await api.createBin();
    const captured = await captureSigned(bin.url, '');
    const closed = await startReceiver();
    const gone = closed.url;
    await closed.close();
    const answer = await replay(bin.id, captured.id, { url: gone });
    expect(answer.status, answer.text).toBe(201);
    expect(replayJson.parse(answer.json)).toMatchObject({
      status: null,
      response_body: null,
      error: { kind: 'refused' },
    });

    const big = await startReceiver(() => ({ body: 'x'.repeat(200 * 1024) }));
    try {
      const bounded = replayJson.parse((await replay(bin.id, captured.id, { url: big.url })).json);
      expect(bounded.status).toBe(200);
      expect(bounded.response_body).toHaveLength(64 * 1024);
      expect(bounded.response_truncated).toBe(true);
    } finally {
      await big.close();
    }
  });

  it('lists the replays with the request, newest first; they go when the request goes', async () => {
    const bin = await api.createBin();
    const captured = await captureSigned(bin.url);
    const first = replayJson.parse((await replay(bin.id, captured.id, { url: target.url })).json);
    const second = replayJson.parse(
      (await replay(bin.id, captured.id, { url: `${target.url}/fail` })).json,
    );
    expect(second.status).toBe(503);

    const one = await api.call(`/api/bins/${bin.id}/requests/${captured.id}`);
    const withReplays = requestWithReplaysJson.strict().parse(one.json);
    expect(withReplays.replays.map((r) => r.id)).toEqual([second.id, first.id]);
    const list = await api.call(`/api/bins/${bin.id}/requests/${captured.id}/replays`);
    expect(replayListJson.parse(list.json).items).toEqual(withReplays.replays);

    expect(
      (await api.call(`/api/bins/${bin.id}/requests/${captured.id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    const after = await api.call(`/api/bins/${bin.id}/requests/${captured.id}/replays`);
    expect(after.status).toBe(404);
    expect(errorJson.parse(after.json).error).toBe('request_not_found');
  });

  it('refuses bad input with a clear error naming the field, and unknown requests with 404', async () => {
    const bin = await api.createBin();
    const captured = await captureSigned(bin.url);
    const cases: Array<[object, string, RegExp]> = [
      [{}, 'url', /must be a string: where to send the request/],
      [{ url: 'localhost:3000/hooks' }, 'url', /absolute http:\/\/ or https:\/\/ URL/],
      [{ url: 'ftp://example.com/' }, 'url', /absolute http/],
      [{ url: target.url, method: 'PO ST' }, 'method', /HTTP method/],
      [{ url: target.url, path: 'no-slash' }, 'path', /must start with "\/"/],
      [{ url: target.url, headers: [['X-Bad', 'a\r\nInjected: 1']] }, 'headers.0.1', /line breaks/],
      [{ url: target.url, headers: [['Bad Name', 'x']] }, 'headers.0.0', /header name/],
      [{ url: target.url, body: '***', body_encoding: 'base64' }, 'body', /must be base64/],
      [{ url: target.url, bodyy: 'x' }, 'bodyy', /Unknown request body field "bodyy"/],
    ];
    for (const [input, field, message] of cases) {
      const answer = await replay(bin.id, captured.id, input);
      expect(answer.status, JSON.stringify(input)).toBe(400);
      const error = errorJson.parse(answer.json);
      expect(error, JSON.stringify(input)).toMatchObject({ error: 'invalid_request', field });
      expect(error.message).toMatch(message);
    }
    const unknown = await replay(bin.id, 'req_unknown', { url: target.url });
    expect(unknown.status).toBe(404);
    expect(errorJson.parse(unknown.json).error).toBe('request_not_found');
    const noBin = await replay('no-such-bin', captured.id, { url: target.url });
    expect(errorJson.parse(noBin.json).error).toBe('bin_not_found');
  });
});

describe('replays from a shared server (--outbound public)', () => {
  let shared: ApiClient;
  beforeAll(async () => {
    shared = await startApi({ outbound: 'public' });
  });
  afterAll(async () => {
    await shared.close();
  });

  it('are refused for a private target before connecting, and captured in process for an own bin', async () => {
    const bin = await shared.createBin();
    const captured = await captureSigned(bin.url);
    const before = target.received.length;
    const refused = await shared.send(
      'POST',
      `/api/bins/${bin.id}/requests/${captured.id}/replay`,
      { url: `${target.url}/webhooks` },
    );
    expect(refused.status, refused.text).toBe(201);
    const blocked = replayJson.parse(refused.json);
    expect(blocked).toMatchObject({ status: null, error: { kind: 'blocked' } });
    expect(blocked.error!.message).toMatch(/^refused by --outbound public: /);
    expect(target.received.length).toBe(before);

    // The plugin tutorial on a shared server: a replay into another bin of this server.
    const other = await shared.createBin();
    const own = await shared.send('POST', `/api/bins/${bin.id}/requests/${captured.id}/replay`, {
      url: other.url,
    });
    const inProcess = replayJson.parse(own.json);
    expect(inProcess.status, JSON.stringify(inProcess.error)).toBe(200);
    const latest = await shared.call(`/api/bins/${other.id}/requests/latest`);
    const copy = latest.json as { path: string; body_base64: string; signature: unknown };
    expect(copy.path).toBe('/orders/7');
    expect(Buffer.from(copy.body_base64, 'base64')).toEqual(captured.body);
  });
});
