import { STATUS_CODES } from 'node:http';
import type { BinResponse, CapturedRequest } from '../../store/types.js';
import { contentTypeOf } from '../../store/columns.js';
import { headerPairs } from '../../wire/request.js';
import { receivedText, utf8Text } from './text.js';

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/). Custom fields start with `_`.

interface HarNameValue {
  name: string;
  value: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    queryString: HarNameValue[];
    postData?: { mimeType: string; text: string; encoding?: 'base64'; params?: HarNameValue[] };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    content: { size: number; mimeType: string; text?: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
    comment: string;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  _id: string;
  _bin: string;
  _remoteAddress: string;
}

export interface HarCreator {
  name: string;
  version: string;
}

function cookiesOf(headers: Array<[string, string]>): HarNameValue[] {
  const cookies: HarNameValue[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'cookie') continue;
    for (const part of value.split(';')) {
      const at = part.indexOf('=');
      if (at <= 0) continue;
      cookies.push({ name: part.slice(0, at).trim(), value: part.slice(at + 1).trim() });
    }
  }
  return cookies;
}

/** The body as HAR posts it: text when UTF-8, else base64 with `encoding` (as HAR `content` does). */
function postDataOf(body: Uint8Array, mimeType: string): HarEntry['request']['postData'] {
  const text = utf8Text(body);
  if (text !== undefined) return { mimeType, text };
  return { mimeType, text: Buffer.from(body).toString('base64'), encoding: 'base64' };
}

/**
 * The answer to put in the entry. Responses are not stored, so it is the bin's current setting
 * (or the default answer), and the entry says so.
 */
function responseOf(
  request: CapturedRequest,
  response: BinResponse | undefined,
): HarEntry['response'] {
  const common = {
    httpVersion: 'HTTP/1.1',
    cookies: [],
    redirectURL: '',
    headersSize: -1,
    comment:
      'umhooks stores requests, not responses: this is the answer the bin is configured to give now.',
  };
  if (!response) {
    return {
      ...common,
      status: 200,
      statusText: 'OK',
      headers: [
        { name: 'content-type', value: 'application/json; charset=utf-8' },
        { name: 'x-request-id', value: request.id },
      ],
      content: { size: -1, mimeType: 'application/json; charset=utf-8' },
      bodySize: -1,
    };
  }
  const size = Buffer.byteLength(response.body, 'utf8');
  const headers = response.headers.map(([name, value]) => ({ name, value }));
  headers.push({ name: 'x-request-id', value: request.id });
  const mimeType =
    response.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  return {
    ...common,
    status: response.status,
    statusText: STATUS_CODES[response.status] ?? '',
    headers,
    content: { size, mimeType, text: response.body },
    bodySize: size,
  };
}

/** One captured request as a HAR entry; `url` is the full capture URL it was sent to. */
export function toHarEntry(
  request: CapturedRequest,
  url: string,
  response: BinResponse | undefined,
): HarEntry {
  const headers = headerPairs(request.rawHeaders).map(
    ([name, value]) => [name, receivedText(value)] as [string, string],
  );
  const entry: HarEntry = {
    startedDateTime: new Date(request.receivedAt).toISOString(),
    time: 0,
    request: {
      method: request.method,
      url,
      httpVersion: 'HTTP/1.1',
      cookies: cookiesOf(headers),
      headers: headers.map(([name, value]) => ({ name, value })),
      queryString: [...new URLSearchParams(request.query)].map(([name, value]) => ({
        name,
        value,
      })),
      headersSize: -1,
      bodySize: request.body.byteLength,
    },
    response: responseOf(request, response),
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    _id: request.id,
    _bin: request.binId,
    _remoteAddress: request.remoteAddress,
  };
  if (request.body.byteLength > 0) {
    entry.request.postData = postDataOf(
      request.body,
      contentTypeOf(request.rawHeaders) || 'application/octet-stream',
    );
  }
  return entry;
}

/** The text before the entries of a HAR log; `HAR_END` closes it. Lets big exports stream. */
export function harStart(creator: HarCreator): string {
  const head = JSON.stringify({ log: { version: '1.2', creator, pages: [], entries: [] } });
  // `…"entries":[]}}` → `…"entries":[`
  return head.slice(0, -3);
}

export const HAR_END = ']}}';

export function toHar(creator: HarCreator, entries: HarEntry[]): string {
  return `${harStart(creator)}${entries.map((e) => JSON.stringify(e)).join(',')}${HAR_END}`;
}
