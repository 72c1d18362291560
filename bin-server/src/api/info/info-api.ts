import { z } from 'zod';
import type { Context } from '../../context.js';
import { json, operation, ref } from '../openapi/dsl.js';
import type { ApiSlice } from '../slice.js';
import { serverVersion } from '../version.js';

export const infoJson = z.object({
  version: z.string(),
  base_url: z.string().describe('Where this server is reached (`--public-url`, else its address).'),
  capture_url_prefix: z.string().describe('`<base_url>/b/`: a bin URL is this plus the bin id.'),
  limits: z.object({
    body_limit: z.number().int().describe('Largest captured body, bytes.'),
    max_requests: z.number().int().describe('Requests kept per bin; older ones are evicted.'),
    ttl_ms: z.number().int().describe('A bin unused (UI/API) this long is deleted.'),
  }),
  store: z.enum(['sqlite', 'memory', 'postgres']),
  sandbox: z.object({
    rest_url: z.string().describe("The sandbox's plugin-compatible REST base."),
    api_key: z.string().describe('Empty until the sandbox has generated its credentials.'),
    api_secret: z.string(),
  }),
});

async function sandboxCredential(context: Context, key: 'api_key' | 'api_secret'): Promise<string> {
  const stored = await context.store.settings.get(`sandbox.${key}`);
  return stored ?? (key === 'api_key' ? context.config.apiKey : context.config.apiSecret) ?? '';
}

export const infoApi: ApiSlice = {
  name: 'info',
  routes(router, context) {
    router.get('/info', async (_req, res) => {
      const base = context.baseUrl();
      const info: z.output<typeof infoJson> = {
        version: serverVersion,
        base_url: base,
        capture_url_prefix: `${base}/b/`,
        limits: {
          body_limit: context.config.bodyLimit,
          max_requests: context.config.maxRequests,
          ttl_ms: context.config.ttl,
        },
        store: context.store.kind,
        sandbox: {
          rest_url: `${base}/wp-json/wu/v2`,
          api_key: await sandboxCredential(context, 'api_key'),
          api_secret: await sandboxCredential(context, 'api_secret'),
        },
      };
      res.json(info);
    });
  },
  openapi: {
    outputs: { InfoJson: infoJson },
    paths: {
      '/api/info': {
        get: operation({
          id: 'getInfo',
          summary: 'Server version, URLs, limits, store, sandbox credentials',
          tag: 'meta',
          responses: { 200: json('About this server.', ref('InfoJson')) },
        }),
      },
    },
  },
};
