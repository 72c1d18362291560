import type { ApiSlice } from '../slice.js';
import { json, operation } from './dsl.js';
import type { OpenApiDocument } from './document.js';

/** `GET /api/openapi.json`: this document, with the server's own base URL. */
export function openApiDocumentApi(document: () => OpenApiDocument): ApiSlice {
  return {
    name: 'openapi',
    routes(router, context) {
      router.get('/openapi.json', (_req, res) => {
        res.json({ ...document(), servers: [{ url: context.baseUrl() }] });
      });
    },
    openapi: () => ({
      tags: [{ name: 'meta', description: 'About this server and its API.' }],
      paths: {
        '/api/openapi.json': {
          get: operation({
            id: 'getOpenApi',
            summary: 'This OpenAPI 3.1 document',
            tag: 'meta',
            responses: {
              200: json('The OpenAPI document describing every route.', { type: 'object' }),
            },
          }),
        },
      },
    }),
  };
}
