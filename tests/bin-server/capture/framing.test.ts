import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import type { CapturedRequest } from '../../../bin-server/src/store/types.js';
import { exchangeRaw, parseResponses, type RawResponse } from '../../support/raw-http.js';
import { startTestServer } from '../../support/server.js';

/**
 * HTTP/1.1 message framing on the capture path (RFC 9112), over raw TCP: every ambiguous or
 * invalid framing is refused with 400 and stores nothing, every valid one is processed exactly
 * once and stored byte for byte, and no byte of a body is ever read as the next request.
 */

const LIMIT = 2 * 1024 * 1024;
const BIN = 'framing-bin';
let server: RunningServer;

/** Writes `bytes` on a fresh connection; the responses sent before the server closed it. */
async function exchange(bytes: Buffer | string, timeoutMs = 30_000): Promise<RawResponse[]> {
  return parseResponses(await exchangeRaw(server.url, [bytes], timeoutMs));
}

async function stored(): Promise<Array<Omit<CapturedRequest, 'body'> & { body: Buffer }>> {
  const page = await server.context.store.requests.list(BIN, { limit: 500, includeBody: true });
  return page.items.reverse().map((item) => ({ ...item, body: Buffer.from(item.body!) }));
}

function head(lines: string[]): string {
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** A request someone would like the server to see as a second one, hidden in a body. */
const SMUGGLED = head([`POST /b/${BIN}/smuggled HTTP/1.1`, 'Host: x', 'Content-Length: 0']);

beforeAll(async () => {
  server = await startTestServer({ bodyLimit: LIMIT });
  await server.context.store.bins.create({ id: BIN, name: 'framing', now: Date.now() });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  await server.context.store.requests.clear(BIN);
});

describe('framing: ambiguous or invalid messages are refused with 400 and store nothing', () => {
  const refused: Array<[string, string]> = [
    [
      'Content-Length and Transfer-Encoding (CL.TE)',
      head([
        `POST /b/${BIN}/clte HTTP/1.1`,
        'Host: x',
        `Content-Length: ${5 + SMUGGLED.length}`,
        'Transfer-Encoding: chunked',
      ]) + `0\r\n\r\n${SMUGGLED}`,
    ],
    [
      'Transfer-Encoding and Content-Length (TE.CL)',
      head([
        `POST /b/${BIN}/tecl HTTP/1.1`,
        'Host: x',
        'Transfer-Encoding: chunked',
        'Content-Length: 4',
      ]) + `${SMUGGLED.length.toString(16)}\r\n${SMUGGLED}\r\n0\r\n\r\n`,
    ],
    [
      'two different Content-Length values',
      head([`POST /b/${BIN}/twocl HTTP/1.1`, 'Host: x', 'Content-Length: 2', 'Content-Length: 7']) +
        `hi${SMUGGLED}`,
    ],
    [
      'two equal Content-Length lines',
      head([
        `POST /b/${BIN}/samecl HTTP/1.1`,
        'Host: x',
        'Content-Length: 2',
        'Content-Length: 2',
      ]) + 'hi',
    ],
    [
      'a Content-Length list',
      head([`POST /b/${BIN}/clist HTTP/1.1`, 'Host: x', 'Content-Length: 2, 2']) + 'hi',
    ],
    ...['+2', '-1', '0x2', '2 2', ''].map((value): [string, string] => [
      `Content-Length "${value}"`,
      head([`POST /b/${BIN}/badcl HTTP/1.1`, 'Host: x', `Content-Length: ${value}`]) + 'hi',
    ]),
    [
      'obsolete line folding',
      head([
        `POST /b/${BIN}/fold HTTP/1.1`,
        'Host: x',
        'X-Folded: one',
        ' two',
        'Content-Length: 2',
      ]) + 'hi',
    ],
    [
      'a folded Content-Length',
      head([`POST /b/${BIN}/foldcl HTTP/1.1`, 'Host: x', 'Content-Length:', ' 2']) + 'hi',
    ],
    ['bare LF line endings', `POST /b/${BIN}/lf HTTP/1.1\nHost: x\nContent-Length: 2\n\nhi`],
    [
      'one header ended by a bare LF',
      `POST /b/${BIN}/lf1 HTTP/1.1\r\nHost: x\nContent-Length: 2\r\n\r\nhi`,
    ],
    [
      'chunk lines ended by a bare LF',
      head([`POST /b/${BIN}/lfchunk HTTP/1.1`, 'Host: x', 'Transfer-Encoding: chunked']) +
        '2\nhi\n0\n\n',
    ],
    [
      'a bare CR inside the header section',
      `POST /b/${BIN}/cr HTTP/1.1\r\nHost: x\rX-After: y\r\nContent-Length: 2\r\n\r\nhi`,
    ],
    [
      'whitespace between a header name and its colon',
      head([`POST /b/${BIN}/space HTTP/1.1`, 'Host: x', 'Transfer-Encoding : chunked']) +
        '2\r\nhi\r\n0\r\n\r\n',
    ],
    [
      'Transfer-Encoding whose last coding is not chunked',
      head([`POST /b/${BIN}/tegz HTTP/1.1`, 'Host: x', 'Transfer-Encoding: chunked, gzip']) + 'hi',
    ],
    [
      'Transfer-Encoding: identity',
      head([`POST /b/${BIN}/teid HTTP/1.1`, 'Host: x', 'Transfer-Encoding: identity']) + 'hi',
    ],
    [
      'an unknown transfer coding',
      head([`POST /b/${BIN}/tex HTTP/1.1`, 'Host: x', 'Transfer-Encoding: xchunked']) +
        '2\r\nhi\r\n0\r\n\r\n',
    ],
    [
      'a second Transfer-Encoding line after chunked',
      head([
        `POST /b/${BIN}/te2 HTTP/1.1`,
        'Host: x',
        'Transfer-Encoding: chunked',
        'Transfer-Encoding: identity',
      ]) + '2\r\nhi\r\n0\r\n\r\n',
    ],
    [
      'a negative chunk size',
      head([`POST /b/${BIN}/neg HTTP/1.1`, 'Host: x', 'Transfer-Encoding: chunked']) +
        '-2\r\nhi\r\n0\r\n\r\n',
    ],
    [
      'a chunk size past 64 bits',
      head([`POST /b/${BIN}/huge HTTP/1.1`, 'Host: x', 'Transfer-Encoding: chunked']) +
        'fffffffffffffffff\r\nhi\r\n0\r\n\r\n',
    ],
    ['HTTP/1.1 without Host', head([`POST /b/${BIN}/nohost HTTP/1.1`, 'Content-Length: 2']) + 'hi'],
    [
      'two Host lines',
      head([`POST /b/${BIN}/twohost HTTP/1.1`, 'Host: a', 'Host: b', 'Content-Length: 2']) + 'hi',
    ],
    [
      'an absolute-form target with user info',
      head([
        `POST http://user@127.0.0.1/b/${BIN}/userinfo HTTP/1.1`,
        'Host: x',
        'Content-Length: 2',
      ]) + 'hi',
    ],
    [
      'an absolute-form target of another scheme',
      head([`POST ftp://127.0.0.1/b/${BIN}/ftp HTTP/1.1`, 'Host: x', 'Content-Length: 2']) + 'hi',
    ],
  ];

  for (const [name, bytes] of refused) {
    it(name, async () => {
      const responses = await exchange(bytes);
      // One answer, a 400, and the connection closed: nothing after it was read as a request.
      expect(responses.map((r) => r.status)).toEqual([400]);
      expect(responses[0]!.headers.connection?.toLowerCase()).toBe('close');
      expect(await stored()).toEqual([]);
    });
  }
});

describe('framing: valid messages are processed exactly once and stored exactly', () => {
  it('HTTP/1.0 without Host', async () => {
    const responses = await exchange(`POST /b/${BIN}/old HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi`);
    expect(responses.map((r) => r.status)).toEqual([200]);
    const [request] = await stored();
    expect(request).toMatchObject({
      method: 'POST',
      path: '/old',
      rawHeaders: ['Content-Length', '2'],
    });
    expect(request!.body.toString()).toBe('hi');
    expect(await stored()).toHaveLength(1);
  });

  it('an absolute-form target, whose authority replaces Host', async () => {
    const authority = new URL(server.url).host;
    const responses = await exchange(
      head([
        `PUT http://${authority}/b/${BIN}/absolute/x?q=1&r=%20 HTTP/1.1`,
        'Host: some-other-host',
        'Content-Length: 5',
        'Connection: close',
      ]) + 'hello',
    );
    expect(responses.map((r) => r.status)).toEqual([200]);
    const requests = await stored();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: 'PUT', path: '/absolute/x', query: 'q=1&r=%20' });
    expect(requests[0]!.body.toString()).toBe('hello');
  });

  it('a body that holds a whole request stays a body', async () => {
    const body = `${SMUGGLED}GET /b/${BIN}/also-smuggled HTTP/1.1\r\n\r\n`;
    const responses = await exchange(
      head([
        `POST /b/${BIN}/carrier HTTP/1.1`,
        'Host: x',
        `Content-Length: ${body.length}`,
        'Connection: close',
      ]) + body,
    );
    expect(responses.map((r) => r.status)).toEqual([200]);
    const requests = await stored();
    expect(requests.map((r) => r.path)).toEqual(['/carrier']);
    expect(requests[0]!.body.toString('latin1')).toBe(body);
  });

  it('chunk extensions and trailers', async () => {
    const responses = await exchange(
      head([
        `POST /b/${BIN}/ext HTTP/1.1`,
        'Host: x',
        'Transfer-Encoding: chunked',
        'Connection: close',
      ]) + '2;name=value\r\nhi\r\n3\r\n!!!\r\n0\r\nX-Trailer: t\r\n\r\n',
    );
    expect(responses.map((r) => r.status)).toEqual([200]);
    const requests = await stored();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body.toString()).toBe('hi!!!');
  });

  it('pipelined requests, each once and in order, bodies exact', async () => {
    const bodies = ['first', SMUGGLED, '', '{"third":true}'];
    const wire = bodies
      .map(
        (body, i) =>
          head([
            `POST /b/${BIN}/pipe-${i} HTTP/1.1`,
            'Host: x',
            `Content-Length: ${body.length}`,
            ...(i === bodies.length - 1 ? ['Connection: close'] : []),
          ]) + body,
      )
      .join('');
    const responses = await exchange(wire);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const requests = await stored();
    expect(requests.map((r) => r.path)).toEqual(['/pipe-0', '/pipe-1', '/pipe-2', '/pipe-3']);
    expect(requests.map((r) => r.body.toString('latin1'))).toEqual(bodies);
    // Each answer names the request it stored, in the order sent.
    expect(responses.map((r) => JSON.parse(r.body.toString()).id)).toEqual(
      requests.map((r) => r.id),
    );
  });

  it('pipelined requests where one declares a body over the limit: 413, and nothing after it is read', async () => {
    const wire =
      head([`POST /b/${BIN}/before HTTP/1.1`, 'Host: x', 'Content-Length: 2']) +
      'hi' +
      head([`POST /b/${BIN}/over HTTP/1.1`, 'Host: x', `Content-Length: ${LIMIT + 1}`]) +
      SMUGGLED +
      head([`POST /b/${BIN}/after HTTP/1.1`, 'Host: x', 'Content-Length: 0']);
    const responses = await exchange(wire);
    expect(responses.map((r) => r.status)).toEqual([200, 413]);
    expect(responses[1]!.headers.connection?.toLowerCase()).toBe('close');
    expect((await stored()).map((r) => r.path)).toEqual(['/before']);
  });

  it('pipelined requests where a chunked body passes the limit: 413, and its bytes never become a request', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61).toString('latin1');
    const chunks = Array.from({ length: LIMIT / chunk.length + 1 }, () => chunk).map(
      (data) => `${data.length.toString(16)}\r\n${data}\r\n`,
    );
    const wire =
      head([`POST /b/${BIN}/before HTTP/1.1`, 'Host: x', 'Content-Length: 2']) +
      'hi' +
      head([`POST /b/${BIN}/over HTTP/1.1`, 'Host: x', 'Transfer-Encoding: chunked']) +
      chunks.join('') +
      `${SMUGGLED.length.toString(16)}\r\n${SMUGGLED}\r\n0\r\n\r\n` +
      head([`POST /b/${BIN}/after HTTP/1.1`, 'Host: x', 'Content-Length: 0']);
    const responses = await exchange(wire);
    expect(responses.map((r) => r.status)).toEqual([200, 413]);
    expect((await stored()).map((r) => r.path)).toEqual(['/before']);
  });

  it('a request pipelined before bytes that do not parse gets its 200 first, then the 400', async () => {
    for (const bad of [
      'NOT A REQUEST\r\n\r\n',
      head([`POST /b/${BIN}/bad HTTP/1.1`, 'Host: x', 'Content-Length: 1', 'Content-Length: 2']),
      head([`POST /b/${BIN}/bad HTTP/1.1`, 'Host: x', 'Transfer-Encoding: chunked']) + 'zz\r\n',
    ]) {
      await server.context.store.requests.clear(BIN);
      const responses = await exchange(
        head([`POST /b/${BIN}/before HTTP/1.1`, 'Host: x', 'Content-Length: 2']) + 'hi' + bad,
      );
      expect(responses.map((r) => r.status)).toEqual([200, 400]);
      const requests = await stored();
      expect(requests.map((r) => r.id)).toEqual([JSON.parse(responses[0]!.body.toString()).id]);
    }
  });

  it('a million one-byte chunks make one request with the exact body', async () => {
    const count = 1_000_000;
    const body = Buffer.alloc(count);
    const start = Buffer.from(
      head([
        `POST /b/${BIN}/million HTTP/1.1`,
        'Host: x',
        'Transfer-Encoding: chunked',
        'Connection: close',
      ]),
    );
    const wire = Buffer.alloc(start.length + count * 6 + 5);
    start.copy(wire);
    let at = start.length;
    for (let i = 0; i < count; i++) {
      body[i] = 0x20 + (i % 95);
      wire[at++] = 0x31; // "1"
      wire[at++] = 0x0d;
      wire[at++] = 0x0a;
      wire[at++] = body[i]!;
      wire[at++] = 0x0d;
      wire[at++] = 0x0a;
    }
    wire.write('0\r\n\r\n', at, 'latin1');
    const responses = await exchange(wire, 60_000);
    expect(responses.map((r) => r.status)).toEqual([200]);
    const requests = await stored();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body.equals(body)).toBe(true);
  }, 90_000);
});
