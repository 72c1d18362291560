import { generateSecret, sign } from '@umhooks/core';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binJson } from '../../../bin-server/src/wire/bin.js';
import { errorJson } from '../../../bin-server/src/wire/error.js';
import { requestJson, requestSummaryJson } from '../../../bin-server/src/wire/request.js';
import { requestWithReplaysJson } from '../../../bin-server/src/wire/replay.js';
import { startApi, type ApiClient } from '../../support/api-client.js';

let api: ApiClient;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

const body = '{"payment_id":42,"payment_total":29.9}';

/** Posts to the bin; resolves to the captured request id. */
async function post(url: string, headers: Record<string, string>, payload = body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: payload,
  });
  await response.arrayBuffer();
  expect(response.status).toBe(200);
  return response.headers.get('x-request-id')!;
}

async function signatureOf(binId: string, requestId: string) {
  const answer = await api.call(`/api/bins/${binId}/requests/${requestId}`);
  expect(answer.status, answer.text).toBe(200);
  return requestWithReplaysJson.strict().parse(answer.json).signature;
}

function standardHeaders(secret: string, id: string, timestamp: number, payload = body) {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': sign({ secret, id, timestamp, body: payload }),
  };
}

const now = () => Math.floor(Date.now() / 1000);

describe('a bin with a signing secret', () => {
  it('has none by default, and then reports no signature check', async () => {
    const bin = await api.createBin();
    expect(binJson.strict().parse(bin).signing_secret).toBeNull();
    const id = await post(bin.url, standardHeaders(generateSecret(), 'msg_a', now()));
    expect(await signatureOf(bin.id, id)).toBeNull();
  });

  it('verifies what an independent Standard Webhooks or Svix library signed', async () => {
    const secret = generateSecret();
    const bin = await api.createBin({ signing_secret: secret });
    expect(bin.signing_secret).toBe(secret);

    const stamp = new Date();
    const standard = new StandardWebhook(secret).sign('msg_std', stamp, body);
    const first = await post(bin.url, {
      'webhook-id': 'msg_std',
      'webhook-timestamp': String(Math.floor(stamp.getTime() / 1000)),
      'webhook-signature': standard,
    });
    expect(await signatureOf(bin.id, first)).toEqual({
      valid: true,
      reason: null,
      message: "Signed with this bin's secret (message msg_std).",
    });

    const svix = new SvixWebhook(secret).sign('msg_svix', stamp, body);
    const second = await post(bin.url, {
      'svix-id': 'msg_svix',
      'svix-timestamp': String(Math.floor(stamp.getTime() / 1000)),
      'svix-signature': svix,
    });
    expect((await signatureOf(bin.id, second))?.valid).toBe(true);
  });

  it('says why a request does not verify: changed body, no headers, stale, wrong secret', async () => {
    const secret = generateSecret();
    const bin = await api.createBin({ signing_secret: secret });

    const tampered = await post(
      bin.url,
      standardHeaders(secret, 'msg_t', now()),
      body.replace('29.9', '0.01'),
    );
    expect(await signatureOf(bin.id, tampered)).toMatchObject({
      valid: false,
      reason: 'no-match',
      message: expect.stringMatching(/body was changed, or the secret/) as unknown,
    });

    const unsigned = await post(bin.url, {});
    expect(await signatureOf(bin.id, unsigned)).toMatchObject({
      valid: false,
      reason: 'missing-header',
      message: 'Missing required header(s): webhook-id, webhook-timestamp, webhook-signature.',
    });

    // Judged at arrival: signed 10 minutes before it came is stale whenever it is read.
    const stale = await post(bin.url, standardHeaders(secret, 'msg_old', now() - 600));
    expect(await signatureOf(bin.id, stale)).toMatchObject({ valid: false, reason: 'too-old' });

    const other = await post(bin.url, standardHeaders(generateSecret(), 'msg_o', now()));
    expect((await signatureOf(bin.id, other))?.reason).toBe('no-match');

    // Signature rotation: one of several signatures matching is enough.
    const headers = standardHeaders(secret, 'msg_r', now());
    const rotated = await post(bin.url, {
      ...headers,
      'webhook-signature': `${standardHeaders(generateSecret(), 'msg_r', now())['webhook-signature']} ${headers['webhook-signature']}`,
    });
    expect((await signatureOf(bin.id, rotated))?.valid).toBe(true);
  });

  it('checks stored requests against the secret as it is now: set, changed, removed', async () => {
    const secret = generateSecret();
    const bin = await api.createBin();
    const id = await post(bin.url, standardHeaders(secret, 'msg_c', now()));
    expect(await signatureOf(bin.id, id)).toBeNull();

    const set = await api.send('PATCH', `/api/bins/${bin.id}`, { signing_secret: secret });
    expect(binJson.strict().parse(set.json).signing_secret).toBe(secret);
    expect((await signatureOf(bin.id, id))?.valid).toBe(true);

    // Renaming leaves the secret alone.
    const renamed = await api.send('PATCH', `/api/bins/${bin.id}`, { name: 'renamed' });
    expect(binJson.parse(renamed.json).signing_secret).toBe(secret);

    await api.send('PATCH', `/api/bins/${bin.id}`, { signing_secret: generateSecret() });
    expect((await signatureOf(bin.id, id))?.reason).toBe('no-match');

    const cleared = await api.send('PATCH', `/api/bins/${bin.id}`, { signing_secret: null });
    expect(binJson.parse(cleared.json).signing_secret).toBeNull();
    expect(await signatureOf(bin.id, id)).toBeNull();
  });

  it('comes with every request: list with and without bodies, and latest', async () => {
    const secret = generateSecret();
    const bin = await api.createBin({ signing_secret: secret });
    await post(bin.url, standardHeaders(secret, 'msg_l', now()));
    const list = await api.call(`/api/bins/${bin.id}/requests`);
    const items = (list.json as { items: unknown[] }).items.map((i) => requestJson.parse(i));
    expect(items.map((i) => i.signature?.valid)).toEqual([true]);
    const latest = await api.call(`/api/bins/${bin.id}/requests/latest`);
    expect(requestJson.parse(latest.json).signature?.valid).toBe(true);
    // Rows of a list without bodies carry the verdict too (the server read the signed body).
    await post(bin.url, standardHeaders(generateSecret(), 'msg_other', now()));
    await post(bin.url, {});
    const summaries = await api.call(`/api/bins/${bin.id}/requests?include_body=false`);
    const rows = (summaries.json as { items: unknown[] }).items.map((i) =>
      requestSummaryJson.parse(i),
    );
    expect(rows.map((r) => r.signature?.reason ?? (r.signature?.valid ? 'valid' : null))).toEqual([
      'missing-header',
      'no-match',
      'valid',
    ]);
  });

  it('refuses a secret that is not one, naming the field', async () => {
    for (const signing_secret of ['nope', 'whsec_', 'whsec_!!!!', 'whsec_c2hvcnQ=', 42]) {
      const created = await api.send('POST', '/api/bins', { signing_secret });
      expect(created.status, String(signing_secret)).toBe(400);
      const error = errorJson.strict().parse(created.json);
      expect(error).toMatchObject({ error: 'invalid_request', field: 'signing_secret' });
    }
    const bin = await api.createBin();
    const patched = await api.send('PATCH', `/api/bins/${bin.id}`, { signing_secret: 'whsec_x' });
    expect(patched.status).toBe(400);
    expect((patched.json as { message: string }).message).toMatch(
      /"whsec_" followed by the base64 key/,
    );
  });
});
