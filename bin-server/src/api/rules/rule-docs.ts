import { error, json, jsonBody, operation, ref } from '../openapi/dsl.js';
import type { ApiSlice } from '../slice.js';
import { rulePreviewJson, rulesInput } from '../../wire/rules.js';
import { binPath } from '../bins/schemas.js';
import { previewInput } from './schemas.js';

const notFound = error('`bin_not_found`: no such bin (deleted, expired or never created).');
const badBody = {
  413: error('`body_too_large`: the JSON body is over 100 KB.'),
  415: error('`unsupported_media_type`: the body is not `application/json`.'),
};

export const ruleDocs: ApiSlice['openapi'] = () => ({
  tags: [
    {
      name: 'rules',
      description:
        'Response rules: an ordered list per bin; the first that matches a request answers it (status, headers, a body or template, a delay, an injected failure), else the bin’s response.',
    },
  ],
  outputs: { RulesJson: rulesInput, RulePreviewJson: rulePreviewJson },
  inputs: { RulesInput: rulesInput, RulePreviewInput: previewInput },
  paths: {
    '/api/bins/{id}/rules': {
      get: operation({
        id: 'getBinRules',
        summary: 'Read a bin’s response rules',
        tag: 'rules',
        path: binPath,
        responses: { 200: json('The rules, in order.', ref('RulesJson')), 404: notFound },
      }),
      put: operation({
        id: 'setBinRules',
        summary: 'Replace a bin’s response rules',
        description:
          'Validated as a whole (a bad glob, a template that does not parse, a percentage over 100… are 400 `invalid_request` naming the field, e.g. `rules.0.match.path`). Saving starts the fault counts (first N, percentage) again.',
        tag: 'rules',
        path: binPath,
        body: jsonBody(ref('RulesInput')),
        responses: { 200: json('The rules saved.', ref('RulesJson')), 404: notFound, ...badBody },
      }),
    },
    '/api/bins/{id}/rules/preview': {
      post: operation({
        id: 'previewBinRules',
        summary: 'Which rule answers a captured request, with the body rendered',
        description:
          'Uses the saved rules, or `rules` if given (nothing is saved or counted). The body is returned as text.',
        tag: 'rules',
        path: binPath,
        body: jsonBody(ref('RulePreviewInput')),
        responses: {
          200: json('The rule that answers and its body.', ref('RulePreviewJson')),
          404: error('`bin_not_found` or `request_not_found`.'),
          ...badBody,
        },
      }),
    },
  },
});
