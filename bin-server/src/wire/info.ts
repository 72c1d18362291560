import { z } from 'zod';

/** `GET /api/info`: what a client needs to know about this server. */
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
  outbound: z
    .enum(['any', 'public'])
    .describe(
      "`--outbound`: where the server's own requests (sandbox deliveries, replays) may go. `public` refuses loopback, private, link-local and reserved targets; this server's bins are always reached.",
    ),
  sandbox: z.object({
    rest_url: z.string().describe("The sandbox's plugin-compatible REST base."),
    api_key: z.string().describe('Empty until the sandbox has generated its credentials.'),
    api_secret: z.string(),
  }),
});
export type InfoJson = z.output<typeof infoJson>;
