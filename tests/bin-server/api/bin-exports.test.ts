import { generateSecret, sign } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRow } from '../../../bin-server/src/api/exports/csv.js';
import type { BinJson } from '../../../bin-server/src/wire/bin.js';
import { exportLineJson } from '../../../bin-server/src/wire/export.js';
import { requestJson, type RequestJson } from '../../../bin-server/src/wire/request.js';
import { rawRequest, startApi, type ApiClient } from '../../support/api-client.js';

let api: ApiClient;
let bin: BinJson;
let host: string;
/** The three requests as the API shows them, oldest first. */
const sent: RequestJson[] = [];
const secret = generateSecret();

async function newest(binId: string): Promise<RequestJson> {
  const answer = await api.call(`/api/bins/${binId}/requests/latest`);
  expect(answer.status).toBe(200);
  return requestJson.parse(answer.json);
}

beforeAll(async () => {
  api = await startApi();
  bin = await api.createBin({ name: 'exports' });
  host = new URL(api.url).host;
  expect((await api.send('PATCH', `/api/bins/${bin.id}`, { signing_secret: secret })).status).toBe(
    200,
  );
  // Commas and quotes in the query and the content type, a newline and quotes in the body.
  await rawRequest(api.url, {
    method: 'POST',
    path: `/b/${bin.id}/orders?note=a,b&q=%22x%22`,
    headers: [['Content-Type', 'multipart/mixed; boundary="a,b"']],
    body: 'line one\nline "two", three',
  });
  sent.push(await newest(bin.id));
  // A body that is not UTF-8, and cells a spreadsheet would run as formulas.
  await rawRequest(api.url, {
    method: 'PUT',
    path: `/b/${bin.id}/bytes?=1+1`,
    headers: [['Content-Type', '@evil']],
    body: Buffer.from([0xff, 0xfe, 0x00, 0x41]),
  });
  sent.push(await newest(bin.id));
  // A payment_received, signed with the bin's secret.
  const event = (await api.call('/api/events/payment_received')).json as { sample: unknown };
  const body = JSON.stringify(event.sample);
  const timestamp = Math.floor(Date.now() / 1000);
  await rawRequest(api.url, {
    method: 'POST',
    path: `/b/${bin.id}/payment_received`,
    headers: [
      ['Content-Type', 'application/json'],
      ['webhook-id', 'msg_1'],
      ['webhook-timestamp', String(timestamp)],
      ['webhook-signature', sign({ secret, id: 'msg_1', timestamp, body })],
    ],
    body,
  });
  sent.push(await newest(bin.id));
});
afterAll(async () => {
  await api.close();
});

describe('GET /api/bins/:id/csv', () => {
  it('writes RFC 4180 CSV of the metadata, oldest first, with formula cells defused', async () => {
    const response = await fetch(`${api.url}/api/bins/${bin.id}/csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="${bin.id}.csv"`,
    );
    const [first, second, third] = sent as [RequestJson, RequestJson, RequestJson];
    expect(first.signature?.reason).toBe('missing-header');
    expect(third.signature?.valid).toBe(true);
    expect(await response.text()).toBe(
      'id,received_at,method,path,query,content_type,size,event,signature\r\n' +
        `${first.id},${first.received_at},POST,/orders,"note=a,b&q=%22x%22","multipart/mixed; boundary=""a,b""",26,,missing-header\r\n` +
        `${second.id},${second.received_at},PUT,/bytes,'=1+1,'@evil,4,,missing-header\r\n` +
        `${third.id},${third.received_at},POST,/payment_received,,application/json,${third.size},payment_received,valid\r\n`,
    );
  });

  it('takes the list filters', async () => {
    const onlyPut = await (await fetch(`${api.url}/api/bins/${bin.id}/csv?method=PUT`)).text();
    expect(onlyPut.split('\r\n')).toEqual([
      'id,received_at,method,path,query,content_type,size,event,signature',
      `${sent[1]!.id},${sent[1]!.received_at},PUT,/bytes,'=1+1,'@evil,4,,missing-header`,
      '',
    ]);
    const event = await (
      await fetch(`${api.url}/api/bins/${bin.id}/csv?event=payment_received`)
    ).text();
    expect(event.trimEnd().split('\r\n').slice(1)).toHaveLength(1);
    expect(event).toContain(sent[2]!.id);
    const searched = await (await fetch(`${api.url}/api/bins/${bin.id}/csv?q=line%20one`)).text();
    expect(
      searched
        .trimEnd()
        .split('\r\n')
        .slice(1)
        .map((row) => row.split(',')[0]),
    ).toEqual([sent[0]!.id]);
    expect((await api.call('/api/bins/missing-bin/csv')).status).toBe(404);
    expect((await api.call(`/api/bins/${bin.id}/csv?method=NOT%20A%20METHOD`)).status).toBe(400);
  });

  it('quotes newlines and quotes, and defuses every formula start', () => {
    expect(csvRow(['a\nb', 'say "hi"', '-2', '+1', '@x', '=A1', '\tx', 'plain', ''])).toBe(
      `"a\nb","say ""hi""",'-2,'+1,'@x,'=A1,'\tx,plain,\r\n`,
    );
  });
});

describe('GET /api/bins/:id/jsonl', () => {
  it('writes one JSON object per line with the body as UTF-8 text or base64', async () => {
    const response = await fetch(`${api.url}/api/bins/${bin.id}/jsonl`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/jsonl; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="${bin.id}.jsonl"`,
    );
    const text = await response.text();
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(3);
    const [first, second, third] = sent as [RequestJson, RequestJson, RequestJson];
    const summary = (r: RequestJson) => {
      const { body_base64: _b, body_text: _t, signature: _s, ...rest } = r;
      return rest;
    };
    expect(lines[0]).toBe(
      JSON.stringify({
        ...summary(first),
        event: '',
        signature: first.signature,
        body: 'line one\nline "two", three',
        body_encoding: 'utf8',
      }),
    );
    expect(first.headers).toEqual([
      ['Host', host],
      ['Content-Type', 'multipart/mixed; boundary="a,b"'],
      ['Content-Length', '26'],
      ['Connection', 'close'],
    ]);
    expect(lines[1]).toBe(
      JSON.stringify({
        ...summary(second),
        event: '',
        signature: second.signature,
        body: '//4AQQ==',
        body_encoding: 'base64',
      }),
    );
    const signed = exportLineJson.parse(JSON.parse(lines[2]!));
    expect(signed).toMatchObject({
      id: third.id,
      event: 'payment_received',
      signature: { valid: true, reason: null },
      body_encoding: 'utf8',
      body: third.body_text,
    });
    expect(signed.recognition?.expected).toBe('payment_received');

    const onlyPut = (await (await fetch(`${api.url}/api/bins/${bin.id}/jsonl?method=put`)).text())
      .trimEnd()
      .split('\n')
      .map((line) => exportLineJson.parse(JSON.parse(line)).id);
    expect(onlyPut).toEqual([second.id]);
  });
});
