import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinJson } from '../../../bin-server/src/wire/bin.js';
import type { RequestJson } from '../../../bin-server/src/wire/request.js';
import { startApi, type ApiClient } from '../../support/api-client.js';

let api: ApiClient;
let bin: BinJson;

beforeAll(async () => {
  api = await startApi();
  bin = await api.createBin({ name: 'recognition' });
});
afterAll(() => api.close());

/** Posts `body` below the bin and reads the stored request back over the API. */
async function capture(path: string, body: string, contentType = 'application/json') {
  const sent = await fetch(`${bin.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  expect(sent.status).toBe(200);
  const id = sent.headers.get('x-request-id')!;
  const read = await api.call(`/api/bins/${bin.id}/requests/${id}`);
  return read.json as RequestJson;
}

describe('recognition with an expected event', () => {
  it("includes the expected event's own candidate, however low it ranks", async () => {
    // payment_failed ranks fifth for this body: beyond the top candidates kept.
    const { recognition } = await capture('/payment_failed', '{"membership_id":1}');
    expect(recognition!.expected).toBe('payment_failed');
    expect(recognition!.checked_event).toBe('payment_failed');
    const own = recognition!.candidates.find((c) => c.event === 'payment_failed');
    expect(own).toBeDefined();
    expect(own!.missing.length).toBeGreaterThan(0);
    expect(own!.score).toBeGreaterThan(0);
    expect(own!.score).toBeLessThan(0.5);
    // The others still come best first.
    expect(recognition!.candidates[0]!.score).toBeGreaterThanOrEqual(own!.score);
  });
});

describe('invalid JSON', () => {
  it('says where a body with a JSON content type stops parsing', async () => {
    const { recognition } = await capture('/broken', '{\n  "a": 1,\n  "b": 2,,\n  "c": 3\n}');
    expect(recognition).not.toBeNull();
    expect(recognition!.json_error).toMatchObject({ line: 3, column: 10 });
    expect(recognition!.json_error!.message).toMatch(/\S/);
    expect(recognition!.json_error!.message).not.toMatch(/position/);
    expect(recognition!.candidates).toEqual([]);
  });

  it('places a body cut short at its end, for +json types and non-object starts too', async () => {
    const cut = await capture('/cut', '{"a": [1, 2', 'application/vnd.api+json');
    expect(cut.recognition!.json_error).toMatchObject({ line: 1, column: 12 });
    const text = await capture('/text', 'hello', 'application/json; charset=utf-8');
    expect(text.recognition!.json_error).toMatchObject({ line: 1, column: 1 });
  });

  it('names the place in the issue of an expected event', async () => {
    const { recognition } = await capture('/payment_received', '{"payment_id": }');
    expect(recognition!.json_error).toMatchObject({ line: 1, column: 16 });
    expect(recognition!.issues[0]!.message).toMatch(/line 1, column 16/);
  });

  it('places an error V8 does not place in a large body when the request is read whole', async () => {
    // 27 KB, and V8 names no position for an unexpected token: the search waits for a reader.
    const body = `[\n${'1,\n'.repeat(9000)}}`;
    const { id, recognition } = await capture('/large', body);
    expect(recognition!.json_error).toEqual({
      message: "Unexpected token '}'",
      line: 9002,
      column: 1,
    });
    const listed = await api.call(`/api/bins/${bin.id}/requests?include_body=false&limit=1`);
    const [summary] = (listed.json as { items: RequestJson[] }).items;
    expect(summary!.id).toBe(id);
    expect(summary!.recognition!.json_error).toEqual({ message: "Unexpected token '}'" });
  });

  it('leaves valid JSON, empty bodies and other content types alone', async () => {
    expect((await capture('/ok', '{"a":1}')).recognition!.json_error).toBeNull();
    expect((await capture('/empty', '')).recognition).toBeNull();
    expect((await capture('/plain', '{oops', 'text/plain')).recognition).toBeNull();
  });
});
