import { error, json, jsonBody, operation, ref } from '../openapi/dsl.js';
import type { ApiSlice } from '../slice.js';
import { requestPath } from '../requests/schemas.js';
import {
  replayEditsJson,
  replayJson,
  replayListJson,
  replaySignatureJson,
  requestWithReplaysJson,
} from '../../wire/replay.js';
import { sandboxSourceJson } from '../../wire/sandbox.js';
import { replayInput } from './schemas.js';

const tag = 'requests';
const notFound = error('`bin_not_found` or `request_not_found`.');

export const replayDocs: ApiSlice['openapi'] = () => ({
  outputs: {
    ReplayJson: replayJson,
    ReplayList: replayListJson,
    ReplayEdits: replayEditsJson,
    ReplaySignature: replaySignatureJson,
    RequestWithReplaysJson: requestWithReplaysJson,
    SandboxSourceJson: sandboxSourceJson,
  },
  inputs: { ReplayInput: replayInput },
  paths: {
    '/api/bins/{id}/requests/{rid}/replay': {
      post: operation({
        id: 'replayRequest',
        summary: 'Send a captured request again, to any URL',
        description:
          'Same method, headers (order, case and duplicates; hop-by-hop ones dropped, `Host` set for the target) and exact body bytes, so a Standard Webhooks or Stripe signature still verifies at the target; optionally with edits. The answer (status, headers, up to 64 KiB of body) or the network error is recorded with the request (its newest 50 replays are kept, deleted with it) and live viewers receive `request.replayed`. A target that cannot be reached is an attempt with an `error`, not a failed call.',
        tag,
        path: requestPath,
        body: jsonBody(ref('ReplayInput')),
        responses: {
          201: json('What was sent and what came back.', ref('ReplayJson')),
          404: notFound,
        },
      }),
    },
    '/api/bins/{id}/requests/{rid}/replays': {
      get: operation({
        id: 'listReplays',
        summary: 'The replays of a request, newest first',
        tag,
        path: requestPath,
        responses: { 200: json('Its replays.', ref('ReplayList')), 404: notFound },
      }),
    },
  },
});
