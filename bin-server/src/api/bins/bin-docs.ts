import { error, json, jsonBody, noContent, operation, ref } from '../openapi/dsl.js';
import type { ApiSlice } from '../slice.js';
import { binJson, binResponseJson } from '../../wire/bin.js';
import { binPath, createBinInput, updateBinInput } from './schemas.js';

const notFound = error('`bin_not_found`: no such bin (deleted, expired or never created).');

export const binDocs: ApiSlice['openapi'] = () => ({
  tags: [
    { name: 'bins', description: 'Capture bins: URLs that record every request sent to them.' },
  ],
  outputs: { BinJson: binJson, BinResponseJson: binResponseJson },
  inputs: { BinCreate: createBinInput, BinUpdate: updateBinInput },
  paths: {
    '/api/bins': {
      get: operation({
        id: 'listBins',
        summary: 'List bins, newest first',
        description: 'Listing does not refresh the bins’ time-to-live.',
        tag: 'bins',
        responses: {
          200: json('The bins.', {
            type: 'object',
            properties: { items: { type: 'array', items: ref('BinJson') } },
            required: ['items'],
          }),
        },
      }),
      post: operation({
        id: 'createBin',
        summary: 'Create a bin',
        description:
          'With `id`, the bin gets that stable id; without, a generated one (128 random bits). The answer’s `url` is what to paste into a webhook sender.',
        tag: 'bins',
        body: jsonBody(ref('BinCreate')),
        responses: {
          201: json('The new bin.', ref('BinJson')),
          409: error('`bin_exists`: a bin with this id exists.'),
          413: error('`body_too_large`: the JSON body is over 100 KB.'),
          415: error('`unsupported_media_type`: the body is not `application/json`.'),
        },
      }),
    },
    '/api/bins/{id}': {
      get: operation({
        id: 'getBin',
        summary: 'Read a bin (refreshes its time-to-live)',
        tag: 'bins',
        path: binPath,
        responses: { 200: json('The bin.', ref('BinJson')), 404: notFound },
      }),
      patch: operation({
        id: 'updateBin',
        summary: 'Rename a bin, change its response, signing secret or request limit',
        description: 'Live viewers of the bin receive a `bin.updated` message.',
        tag: 'bins',
        path: binPath,
        body: jsonBody(ref('BinUpdate')),
        responses: {
          200: json('The updated bin.', ref('BinJson')),
          404: notFound,
          413: error('`body_too_large`: the JSON body is over 100 KB.'),
          415: error('`unsupported_media_type`: the body is not `application/json`.'),
        },
      }),
      delete: operation({
        id: 'deleteBin',
        summary: 'Delete a bin and its requests',
        description: 'Live viewers of the bin receive a `bin.deleted` message.',
        tag: 'bins',
        path: binPath,
        responses: { 204: noContent('Deleted.'), 404: notFound },
      }),
    },
  },
});
