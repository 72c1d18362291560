import { binPath } from '../bins/schemas.js';
import { CSV_COLUMNS, exportLineJson } from '../../wire/export.js';
import { error, operation, ref } from '../openapi/dsl.js';
import type { ApiSlice } from '../slice.js';
import { requestFilters, requestPath } from '../requests/schemas.js';
import type { ResponseObject } from '../openapi/types.js';

const notFound = error('`bin_not_found` or `request_not_found`.');

const har = (description: string): ResponseObject => ({
  description,
  headers: {
    'Content-Disposition': {
      description: 'attachment; filename="<id>.har"',
      schema: { type: 'string' },
    },
  },
  content: {
    'application/json': {
      schema: {
        type: 'object',
        description:
          'HAR 1.2: `log.entries[]` with `request` (headers in order, `queryString`, `postData` as text, or base64 with `encoding: "base64"` when not UTF-8), `response` (the bin’s current answer: responses are not stored) and `timings`.',
        properties: {
          log: {
            type: 'object',
            properties: {
              version: { const: '1.2' },
              creator: { type: 'object' },
              entries: { type: 'array', items: { type: 'object' } },
            },
            required: ['version', 'creator', 'entries'],
          },
        },
        required: ['log'],
      },
    },
  },
});

const attachment = (file: string) => ({
  'Content-Disposition': {
    description: `attachment; filename="<bin id>.${file}"`,
    schema: { type: 'string' },
  },
});

export const exportDocs: ApiSlice['openapi'] = () => ({
  outputs: { ExportLine: exportLineJson },
  tags: [
    {
      name: 'exports',
      description:
        'A captured request as raw bytes, a curl command or HAR; a bin as HAR, JSON lines or CSV.',
    },
  ],
  paths: {
    '/api/bins/{id}/requests/{rid}/raw': {
      get: operation({
        id: 'getRequestRaw',
        summary: 'The exact body bytes, as a download',
        description:
          'Served with the original Content-Type (application/octet-stream when none) but as an attachment, with `X-Content-Type-Options: nosniff` and `Content-Security-Policy: sandbox`, so a browser never renders it.',
        tag: 'exports',
        path: requestPath,
        responses: {
          200: {
            description: 'The body bytes.',
            headers: {
              'Content-Disposition': {
                description:
                  'attachment; filename="<request id>.<ext>": the extension follows the content type (json, xml, csv, txt, png, …; HTML, SVG and JavaScript are saved as .txt, unknown types as .bin).',
                schema: { type: 'string' },
              },
            },
            content: {
              'application/octet-stream': {
                schema: { type: 'string', contentMediaType: 'application/octet-stream' },
              },
            },
          },
          404: notFound,
        },
      }),
    },
    '/api/bins/{id}/requests/{rid}/curl': {
      get: operation({
        id: 'getRequestCurl',
        summary: 'A curl command that sends the request again',
        description:
          'Same method, URL (this server’s bin), headers in order (except transport headers such as Host and Content-Length) and the exact body: inline in single quotes when it is printable text, else through `printf` piped to `--data-binary @-`. Safe to paste into a POSIX shell.',
        tag: 'exports',
        path: requestPath,
        responses: {
          200: {
            description: 'The command.',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
          404: notFound,
        },
      }),
    },
    '/api/bins/{id}/requests/{rid}/har': {
      get: operation({
        id: 'getRequestHar',
        summary: 'One request as HAR 1.2',
        tag: 'exports',
        path: requestPath,
        responses: { 200: har('A HAR log with one entry.'), 404: notFound },
      }),
    },
    '/api/bins/{id}/har': {
      get: operation({
        id: 'getBinHar',
        summary: 'Every stored request of a bin as HAR 1.2, oldest first',
        description: 'Takes the same filters as the request list.',
        tag: 'exports',
        path: binPath,
        query: requestFilters,
        responses: {
          200: har('A HAR log, one entry per request.'),
          404: error('`bin_not_found`.'),
        },
      }),
    },
    '/api/bins/{id}/jsonl': {
      get: operation({
        id: 'getBinJsonLines',
        summary: 'Every stored request of a bin as JSON lines, oldest first',
        description:
          'One `ExportLine` JSON object per line (`\\n` after each): the metadata of the request list, the recognised `event`, the `signature` verdict (null when the bin has no secret) and the exact `body` — the text itself with `body_encoding: "utf8"` when it is valid UTF-8, else base64 with `body_encoding: "base64"`. Takes the same filters as the request list.',
        tag: 'exports',
        path: binPath,
        query: requestFilters,
        responses: {
          200: {
            description: 'JSON lines (https://jsonlines.org), one request per line.',
            headers: attachment('jsonl'),
            content: { 'application/jsonl': { schema: ref('ExportLine') } },
          },
          404: error('`bin_not_found`.'),
        },
      }),
    },
    '/api/bins/{id}/csv': {
      get: operation({
        id: 'getBinCsv',
        summary: 'The metadata of every stored request of a bin as CSV, oldest first',
        description: `RFC 4180: a header row (${CSV_COLUMNS.join(', ')}), CRLF line ends, a cell in double quotes when it holds a comma, quote, CR or LF (quotes doubled). \`event\` is the recognised event (ties as \`a or b\`), \`signature\` \`valid\` or the reason it fails (\`no-match\`, \`too-old\`, …), empty when the bin has no secret. Spreadsheets run a cell starting with \`=\`, \`+\`, \`-\`, \`@\`, tab or CR as a formula, so such a cell starts with an apostrophe (\`'=1+1\`). No bodies (use JSON lines or HAR). Takes the same filters as the request list.`,
        tag: 'exports',
        path: binPath,
        query: requestFilters,
        responses: {
          200: {
            description: 'CSV, UTF-8, one request per row after the header.',
            headers: attachment('csv'),
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          404: error('`bin_not_found`.'),
        },
      }),
    },
  },
});
