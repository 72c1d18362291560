import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinJson } from '../../../bin-server/src/wire/bin.js';
import { startApi, type ApiClient } from '../../support/api-client.js';

let api: ApiClient;

beforeAll(async () => {
  api = await startApi({ maxRequests: 20 });
});
afterAll(() => api.close());

async function capture(bin: BinJson, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const sent = await fetch(`${bin.url}/n${i}`, { method: 'POST', body: String(i) });
    expect(sent.status).toBe(200);
  }
}

async function kept(bin: BinJson): Promise<number[]> {
  const page = await api.call(`/api/bins/${bin.id}/requests?include_body=false&limit=100`);
  return (page.json as { items: Array<{ seq: number }> }).items.map((r) => r.seq);
}

describe("a bin's own request limit", () => {
  it('is the server limit until set, and evicts the oldest at once when lowered', async () => {
    const bin = await api.createBin();
    expect(bin).toMatchObject({ max_requests: 20, own_max_requests: null, evicted_count: 0 });
    await capture(bin, 8);

    const lowered = await api.send('PATCH', `/api/bins/${bin.id}`, { max_requests: 5 });
    expect(lowered.status).toBe(200);
    expect(lowered.json).toMatchObject({
      max_requests: 5,
      own_max_requests: 5,
      request_count: 8,
      evicted_count: 3,
    });
    expect(await kept(bin)).toEqual([8, 7, 6, 5, 4]);

    // Capture keeps to it.
    await capture(bin, 2);
    expect(await kept(bin)).toEqual([10, 9, 8, 7, 6]);
    expect((await api.call(`/api/bins/${bin.id}`)).json).toMatchObject({
      request_count: 10,
      evicted_count: 5,
    });

    const reset = await api.send('PATCH', `/api/bins/${bin.id}`, { max_requests: null });
    expect(reset.json).toMatchObject({ max_requests: 20, own_max_requests: null });
    await capture(bin, 3);
    expect(await kept(bin)).toHaveLength(8);
  });

  it('can be given at creation', async () => {
    const created = await api.createBin({ max_requests: 3 });
    expect(created).toMatchObject({ max_requests: 3, own_max_requests: 3 });
  });

  it("refuses more than the server's --max-requests, and what is not a count", async () => {
    const bin = await api.createBin();
    const tooMany = await api.send('PATCH', `/api/bins/${bin.id}`, { max_requests: 21 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json).toMatchObject({ error: 'invalid_request', field: 'max_requests' });
    expect((tooMany.json as { message: string }).message).toContain('at most 20');
    for (const bad of [0, 2.5, '5', -1]) {
      const answer = await api.send('PATCH', `/api/bins/${bin.id}`, { max_requests: bad });
      expect(answer.status).toBe(400);
    }
    const created = await api.send('POST', '/api/bins', { max_requests: 21 });
    expect(created.status).toBe(400);
    expect((await api.call(`/api/bins/${bin.id}`)).json).toMatchObject({ own_max_requests: null });
  });
});
