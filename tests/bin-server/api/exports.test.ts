import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinJson } from '../../../bin-server/src/wire/bin.js';
import { requestJson, type RequestJson } from '../../../bin-server/src/wire/request.js';
import { commandWorks, need } from '../../support/requirements.js';
import { rawRequest, startApi, type ApiClient } from '../../support/api-client.js';

let api: ApiClient;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

async function newest(binId: string): Promise<RequestJson> {
  const answer = await api.call(`/api/bins/${binId}/requests/latest`);
  expect(answer.status).toBe(200);
  return requestJson.parse(answer.json);
}

describe('GET …/requests/:rid/raw', () => {
  it('serves the exact bytes as a download with the original type, never rendered', async () => {
    const bin = await api.createBin();
    await fetch(bin.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-custom; charset=binary' },
      body: allBytes,
    });
    const request = await newest(bin.id);
    const response = await fetch(`${api.url}/api/bins/${bin.id}/requests/${request.id}/raw`);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(allBytes);
    expect(response.headers.get('content-type')).toBe('application/x-custom; charset=binary');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="${request.id}.bin"`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe('sandbox');
    expect(response.headers.get('content-length')).toBe('256');
  });

  it('serves HTML as an inert attachment, and untyped bodies as application/octet-stream', async () => {
    const bin = await api.createBin();
    const html = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    await fetch(bin.url, { method: 'POST', headers: { 'content-type': 'text/html' }, body: html });
    const htmlRequest = await newest(bin.id);
    const response = await fetch(`${api.url}/api/bins/${bin.id}/requests/${htmlRequest.id}/raw`);
    expect(await response.text()).toBe(html);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(response.headers.get('content-security-policy')).toBe('sandbox');

    await rawRequest(bin.url, { method: 'PUT', body: Buffer.from([1, 2, 3]) });
    const untyped = await newest(bin.id);
    const raw = await fetch(`${api.url}/api/bins/${bin.id}/requests/${untyped.id}/raw`);
    expect(raw.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await raw.arrayBuffer())).toEqual(Buffer.from([1, 2, 3]));
  });

  it('names the download with an extension for its content type, never .html', async () => {
    const bin = await api.createBin();
    const cases: Array<[string | undefined, string]> = [
      ['application/json; charset=utf-8', 'json'],
      ['application/vnd.api+json', 'json'],
      ['application/xml', 'xml'],
      ['application/atom+xml', 'xml'],
      ['text/plain', 'txt'],
      ['text/csv', 'csv'],
      ['application/x-www-form-urlencoded', 'txt'],
      ['image/png', 'png'],
      ['text/html; charset=utf-8', 'txt'],
      ['image/svg+xml', 'txt'],
      ['application/javascript', 'txt'],
      ['application/octet-stream', 'bin'],
      [undefined, 'bin'],
    ];
    for (const [type, extension] of cases) {
      await rawRequest(bin.url, {
        method: 'POST',
        headers: type === undefined ? [] : [['Content-Type', type]],
        body: 'x',
      });
      const request = await newest(bin.id);
      const raw = await fetch(`${api.url}/api/bins/${bin.id}/requests/${request.id}/raw`);
      expect([type, raw.headers.get('content-disposition')]).toEqual([
        type,
        `attachment; filename="${request.id}.${extension}"`,
      ]);
    }
  });

  it('answers 404 JSON for unknown requests', async () => {
    const bin = await api.createBin();
    const answer = await api.call(`/api/bins/${bin.id}/requests/req_nothing/raw`);
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ error: 'request_not_found' });
  });
});

const hasCurl = need(
  'curl and bash',
  commandWorks('curl') && commandWorks('bash'),
  'apt-get install curl bash',
);

/** Runs the command as a script on the shell's stdin, as pasting it into a terminal would. */
function run(shell: string, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      shell,
      ['-s'],
      { timeout: 20_000, maxBuffer: 64 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (error)
          reject(
            new Error(`${shell} failed: ${error.message}\n${stderr}\n${command.slice(0, 2000)}`),
          );
        else resolve();
      },
    );
    child.stdin!.end(command);
  });
}

/** Headers the transport sets (or curl computes): not part of what must be reproduced. */
const TRANSPORT = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'expect']);
const meaningful = (headers: Array<[string, string]>) =>
  headers.filter(([name]) => !TRANSPORT.has(name.toLowerCase()));

describe.runIf(hasCurl)('GET …/requests/:rid/curl (run with curl)', () => {
  let bin: BinJson;
  beforeAll(async () => {
    bin = await api.createBin();
  });

  /** Captures `send`, runs its curl command, and checks the replay is the same request. */
  async function roundTrip(
    send: Parameters<typeof rawRequest>[1] & { suffix?: string },
    shell = 'bash',
  ): Promise<string> {
    const path = `/b/${bin.id}${send.suffix ?? ''}`;
    await rawRequest(api.url, { ...send, path });
    const original = await newest(bin.id);
    const answer = await api.call(`/api/bins/${bin.id}/requests/${original.id}/curl`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const command = answer.text;
    // Nothing a terminal could act on is shown literally (line breaks aside).
    expect(command).not.toMatch(/[^\P{Cc}\n]|[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/u);

    await run(shell, `${command.trimEnd()} --silent --output /dev/null --fail\n`);
    const replay = await newest(bin.id);
    expect(replay.id).not.toBe(original.id);
    expect(replay.method).toBe(original.method);
    expect(replay.path).toBe(original.path);
    expect(replay.query).toBe(original.query);
    expect(replay.body_base64).toBe(original.body_base64);
    expect(meaningful(replay.headers)).toEqual(meaningful(original.headers));
    return command;
  }

  it('reproduces a JSON POST: headers in order with duplicates, quotes and shell syntax', async () => {
    const command = await roundTrip({
      method: 'POST',
      suffix: '/payment_received?a[]=1&a[]=2&q={x}&sp=%20',
      headers: [
        ['Content-Type', 'application/json'],
        ['User-Agent', 'WordPress/6.5; https://example.com'],
        ['X-Dup', 'one'],
        ['x-dup', 'two'],
        ['X-Quote', `it's "quoted" $(whoami) \`id\` \\ ! *`],
        ['X-Empty', ''],
      ],
      body: JSON.stringify({
        name: "O'Brien",
        cmd: '$(rm -rf /)',
        note: 'line1\nline2',
        emoji: '✓',
      }),
    });
    expect(command).toMatch(/^curl /);
    expect(command).not.toContain('Host:');
  });

  it('reproduces a binary body (every byte value, NUL included) through printf, in bash and sh', async () => {
    const command = await roundTrip({
      method: 'PUT',
      suffix: '/upload',
      headers: [['Content-Type', 'application/octet-stream']],
      body: allBytes,
    });
    expect(command).toMatch(/^printf '/);
    expect(command).toContain('--data-binary @-');
    await roundTrip(
      {
        method: 'PUT',
        suffix: '/upload',
        headers: [['Content-Type', 'application/octet-stream']],
        body: allBytes,
      },
      'sh',
    );
  });

  it('escapes control and invisible characters in text bodies (CR, ESC, bidi overrides)', async () => {
    await roundTrip({
      method: 'POST',
      headers: [['Content-Type', 'text/plain; charset=utf-8']],
      body: 'café ✓ a\r\nb\tc \u001b[31mred\u001b[0m \u202eevil\u202c \u200b end\n',
    });
    const command = (
      await api.call(`/api/bins/${bin.id}/requests/${(await newest(bin.id)).id}/curl`)
    ).text;
    // Visible UTF-8 stays readable in the printf format.
    expect(command).toContain("printf 'café ✓ a\\r\\nb");
  });

  it('reproduces header bytes that are not UTF-8', async () => {
    await roundTrip({
      method: 'POST',
      headers: [
        ['X-Latin1', 'caf\u00e9'],
        ['Content-Type', 'text/plain'],
      ],
      body: 'x',
    });
  });

  it('reproduces a GET without User-Agent or Accept (curl must not add its own)', async () => {
    const command = await roundTrip({
      method: 'GET',
      suffix: '/ping?x=1',
      headers: [['X-Only', 'me']],
    });
    expect(command).not.toContain('--request');
  });

  it('reproduces a large text body (piped, no argument-length limit) and an empty PATCH', async () => {
    const line = '{"k":"value with spaces and a \' quote"}\n';
    await roundTrip({
      method: 'POST',
      headers: [['Content-Type', 'application/x-ndjson']],
      body: line.repeat(Math.ceil((200 * 1024) / line.length)),
    });
    await roundTrip({ method: 'PATCH', headers: [['Content-Type', 'application/json']], body: '' });
    await roundTrip({ method: 'DELETE', suffix: '/things/1' });
  });
});

interface HarLog {
  log: {
    version: string;
    creator: { name: string; version: string };
    entries: Array<{
      startedDateTime: string;
      time: number;
      request: {
        method: string;
        url: string;
        httpVersion: string;
        cookies: Array<{ name: string; value: string }>;
        headers: Array<{ name: string; value: string }>;
        queryString: Array<{ name: string; value: string }>;
        postData?: { mimeType: string; text: string; encoding?: string };
        headersSize: number;
        bodySize: number;
      };
      response: {
        status: number;
        statusText: string;
        httpVersion: string;
        cookies: unknown[];
        headers: Array<{ name: string; value: string }>;
        content: { size: number; mimeType: string; text?: string };
        redirectURL: string;
        headersSize: number;
        bodySize: number;
      };
      cache: object;
      timings: { send: number; wait: number; receive: number };
    }>;
  };
}

/** The HAR 1.2 required fields and types (http://www.softwareishard.com/blog/har-12-spec/). */
function expectValidHar(value: unknown): HarLog {
  const har = value as HarLog;
  expect(har.log.version).toBe('1.2');
  expect(har.log.creator).toEqual({ name: 'umhooks', version: expect.any(String) });
  expect(Array.isArray(har.log.entries)).toBe(true);
  for (const entry of har.log.entries) {
    expect(new Date(entry.startedDateTime).toISOString()).toBe(entry.startedDateTime);
    expect(typeof entry.time).toBe('number');
    const { request, response, timings } = entry;
    expect(typeof request.method).toBe('string');
    expect(() => new URL(request.url)).not.toThrow();
    expect(request.httpVersion).toMatch(/^HTTP\//);
    for (const list of [request.cookies, request.headers, request.queryString, response.headers]) {
      for (const pair of list)
        expect(pair).toEqual({ name: expect.any(String), value: expect.any(String) });
    }
    expect(Number.isInteger(request.headersSize) && Number.isInteger(request.bodySize)).toBe(true);
    if (request.postData) {
      expect(typeof request.postData.mimeType).toBe('string');
      expect(typeof request.postData.text).toBe('string');
    }
    expect(Number.isInteger(response.status)).toBe(true);
    expect(typeof response.statusText).toBe('string');
    expect(Array.isArray(response.cookies)).toBe(true);
    expect(typeof response.content.size).toBe('number');
    expect(typeof response.content.mimeType).toBe('string');
    expect(typeof response.redirectURL).toBe('string');
    expect(typeof entry.cache).toBe('object');
    for (const phase of ['send', 'wait', 'receive'] as const) {
      expect(timings[phase]).toBeGreaterThanOrEqual(0);
    }
  }
  return har;
}

function postDataBytes(postData: { text: string; encoding?: string } | undefined): Buffer {
  if (!postData) return Buffer.alloc(0);
  return postData.encoding === 'base64'
    ? Buffer.from(postData.text, 'base64')
    : Buffer.from(postData.text, 'utf8');
}

describe('HAR export', () => {
  let bin: BinJson;
  const sent: Array<{ id: string; body: Buffer }> = [];
  beforeAll(async () => {
    bin = await api.createBin({
      response: { status: 201, headers: [['X-Ack', 'ok']], body: 'thanks' },
    });
    const bodies = [
      Buffer.from('{"customer":"Ada"}'),
      allBytes,
      Buffer.from('name=J%C3%BCrgen&x=1+2'),
      Buffer.alloc(0),
    ];
    const types = [
      'application/json',
      'application/octet-stream',
      'application/x-www-form-urlencoded',
      '',
    ];
    for (let i = 0; i < bodies.length; i++) {
      const headers: Array<[string, string]> = [['X-Order', `${i}`]];
      if (types[i]) headers.push(['Content-Type', types[i]!]);
      headers.push(['Cookie', 'session=abc; theme=dark']);
      await rawRequest(api.url, {
        method: i === 3 ? 'GET' : 'POST',
        path: `/b/${bin.id}/hook/${i}?tag=a&tag=b&sp=x%20y`,
        headers,
        body: i === 3 ? undefined : bodies[i],
      });
      sent.push({ id: (await newest(bin.id)).id, body: bodies[i]! });
    }
  });

  it('exports one request as HAR 1.2 that round-trips the body bytes', async () => {
    for (const { id, body } of sent) {
      const response = await fetch(`${api.url}/api/bins/${bin.id}/requests/${id}/har`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${id}.har"`);
      const har = expectValidHar(await response.json());
      expect(har.log.entries).toHaveLength(1);
      const entry = har.log.entries[0]!;
      const original = requestJson.parse(
        (await api.call(`/api/bins/${bin.id}/requests/${id}`)).json,
      );
      expect(entry.request.url).toBe(`${bin.url}${original.url}`);
      expect(entry.request.method).toBe(original.method);
      expect(entry.request.headers.map((h) => [h.name, h.value])).toEqual(original.headers);
      expect(entry.request.queryString).toEqual([
        { name: 'tag', value: 'a' },
        { name: 'tag', value: 'b' },
        { name: 'sp', value: 'x y' },
      ]);
      expect(entry.request.cookies).toEqual([
        { name: 'session', value: 'abc' },
        { name: 'theme', value: 'dark' },
      ]);
      expect(entry.request.bodySize).toBe(body.length);
      expect(postDataBytes(entry.request.postData)).toEqual(body);
      expect(entry.startedDateTime).toBe(original.received_at);
      expect(entry.response.status).toBe(201);
      expect(entry.response.content.text).toBe('thanks');
      expect(entry.response.headers).toContainEqual({ name: 'X-Ack', value: 'ok' });
    }
    const binary = await (
      await fetch(`${api.url}/api/bins/${bin.id}/requests/${sent[1]!.id}/har`)
    ).json();
    expect((binary as HarLog).log.entries[0]!.request.postData?.encoding).toBe('base64');
    const text = await (
      await fetch(`${api.url}/api/bins/${bin.id}/requests/${sent[0]!.id}/har`)
    ).json();
    expect((text as HarLog).log.entries[0]!.request.postData).toEqual({
      mimeType: 'application/json',
      text: '{"customer":"Ada"}',
    });
  });

  it('exports the whole bin oldest first, and takes the list filters', async () => {
    const response = await fetch(`${api.url}/api/bins/${bin.id}/har`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="${bin.id}.har"`,
    );
    const har = expectValidHar(await response.json());
    expect(har.log.entries.map((e) => (e as unknown as { _id: string })._id)).toEqual(
      sent.map((s) => s.id),
    );
    har.log.entries.forEach((entry, i) => {
      expect(postDataBytes(entry.request.postData)).toEqual(sent[i]!.body);
    });

    const onlyGet = expectValidHar(
      await (await fetch(`${api.url}/api/bins/${bin.id}/har?method=GET`)).json(),
    );
    expect(onlyGet.log.entries).toHaveLength(1);
    expect(onlyGet.log.entries[0]!.request.method).toBe('GET');

    const empty = await api.createBin();
    const none = expectValidHar(await (await fetch(`${api.url}/api/bins/${empty.id}/har`)).json());
    expect(none.log.entries).toEqual([]);
    expect((await api.call('/api/bins/missing-bin/har')).status).toBe(404);
  });
});
