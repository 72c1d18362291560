import { z as zod } from 'zod';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { apiUrl } from './api.js';
import { isPlainObject } from './payload/json.js';

/** One entry of `GET /wu/v2/hooks`: the plugin's registered event with its sample payload. */
const hookSchema = zod
  .object({
    name: zod.string().optional(),
    desc: zod.string().optional(),
    payload: zod.unknown().optional(),
  })
  .loose();
/** `GET /hooks` answers an object keyed by event slug. */
const hooksSchema = zod.record(zod.string(), hookSchema);

export type SiteHooks = zod.infer<typeof hooksSchema>;

/** The events the connected network registers (its version and add-ons decide which). */
export async function fetchSiteHooks(z: ZObject, bundle: Bundle): Promise<SiteHooks> {
  const response = await z.request({ url: apiUrl(z, bundle, '/hooks'), method: 'GET' });
  const parsed = hooksSchema.safeParse(response.data);
  if (!parsed.success) {
    throw new z.errors.Error(
      'The site answered GET /wp-json/wu/v2/hooks with something other than the list of Ultimate Multisite events. ' +
        "Check that the Site URL is your network's main site.",
      'UnexpectedResponse',
      response.status,
    );
  }
  return parsed.data;
}

/** The site's sample payload for an event, when it registers the event with an object sample. */
export function siteSample(hooks: SiteHooks, event: string): Record<string, unknown> | undefined {
  const payload = hooks[event]?.payload;
  return isPlainObject(payload) ? payload : undefined;
}
