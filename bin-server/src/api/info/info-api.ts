import type { Context } from '../../context.js';
import { infoJson, type InfoJson } from '../../wire/info.js';
import { json, operation, ref } from '../openapi/dsl.js';
import type { ApiSlice } from '../slice.js';
import { serverVersion } from '../version.js';

async function sandboxCredential(context: Context, key: 'api_key' | 'api_secret'): Promise<string> {
  const stored = await context.store.settings.get(`sandbox.${key}`);
  return stored ?? (key === 'api_key' ? context.config.apiKey : context.config.apiSecret) ?? '';
}

export const infoApi: ApiSlice = {
  name: 'info',
  routes(router, context) {
    router.get('/info', async (_req, res) => {
      const base = context.baseUrl();
      const info: InfoJson = {
        version: serverVersion,
        base_url: base,
        capture_url_prefix: `${base}/b/`,
        limits: {
          body_limit: context.config.bodyLimit,
          max_requests: context.config.maxRequests,
          ttl_ms: context.config.ttl,
        },
        store: context.store.kind,
        outbound: context.outbound.mode,
        sandbox: {
          rest_url: `${base}/wp-json/wu/v2`,
          api_key: await sandboxCredential(context, 'api_key'),
          api_secret: await sandboxCredential(context, 'api_secret'),
        },
      };
      res.json(info);
    });
  },
  openapi: () => ({
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
  }),
};
