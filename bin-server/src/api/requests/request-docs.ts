import { binPath } from '../bins/schemas.js';
import { error, json, noContent, operation, ref } from '../openapi/dsl.js';
import type { ApiSlice } from '../slice.js';
import {
  recognitionJson,
  requestJson,
  requestPageJson,
  requestSummaryJson,
  candidateJson,
  payloadIssueJson,
} from '../../wire/request.js';
import { latestQuery, listQuery, requestPath } from './schemas.js';

const binNotFound = error('`bin_not_found`: no such bin.');
const notFound = error('`bin_not_found` or `request_not_found`.');

export const requestDocs: ApiSlice['openapi'] = () => ({
  tags: [{ name: 'requests', description: 'Requests captured by a bin.' }],
  outputs: {
    RequestJson: requestJson,
    RequestSummaryJson: requestSummaryJson,
    RequestPage: requestPageJson,
    RecognitionJson: recognitionJson,
    Candidate: candidateJson,
    PayloadIssue: payloadIssueJson,
  },
  paths: {
    '/api/bins/{id}/requests': {
      get: operation({
        id: 'listRequests',
        summary: 'List captured requests, newest first, with cursor pagination',
        description:
          'Pages hold at most `limit` requests and, with bodies, about 8 MiB of body bytes (at least one request); `next_cursor` continues where the page stopped. A text search (`q`) scans a bounded number of requests per call and may return a short page with a cursor.',
        tag: 'requests',
        path: binPath,
        query: listQuery,
        responses: { 200: json('A page of requests.', ref('RequestPage')), 404: binNotFound },
      }),
      delete: operation({
        id: 'clearRequests',
        summary: 'Delete every request of a bin',
        description: 'Live viewers receive `requests.cleared`.',
        tag: 'requests',
        path: binPath,
        responses: { 204: noContent('Cleared.'), 404: binNotFound },
      }),
    },
    '/api/bins/{id}/requests/latest': {
      get: operation({
        id: 'getLatestRequest',
        summary: 'The newest request, optionally waiting for the next one (long-poll)',
        description:
          'Without `wait`: the newest request (newer than `after` when given), else 204. With `wait`: if there is none newer than `after` (or, without `after`, none arriving after the call), waits up to `wait` seconds for one: 200 when it arrives, 204 when the wait ends or the server stops. Loop with `after=<the id you got>` to receive each request.',
        tag: 'requests',
        path: binPath,
        query: latestQuery,
        responses: {
          200: json('The newest request.', ref('RequestJson')),
          204: noContent('No (new) request in time.'),
          404: error(
            '`bin_not_found` (also when the bin is deleted during the wait), or `request_not_found` for an unknown `after`.',
          ),
        },
      }),
    },
    '/api/bins/{id}/requests/{rid}': {
      get: operation({
        id: 'getRequest',
        summary:
          'One request, body included (base64, and text when UTF-8), with its replays and its two-way forwarding outcome',
        tag: 'requests',
        path: requestPath,
        responses: {
          200: json(
            'The request, its replays and how a responding forwarder answered it.',
            ref('RequestWithReplaysJson'),
          ),
          404: notFound,
        },
      }),
      delete: operation({
        id: 'deleteRequest',
        summary: 'Delete one request',
        description: 'Live viewers receive `request.deleted`.',
        tag: 'requests',
        path: requestPath,
        responses: { 204: noContent('Deleted.'), 404: notFound },
      }),
    },
  },
});
