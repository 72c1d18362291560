import { z as zod } from 'zod';
import type { Authentication, Bundle, ZObject } from 'zapier-platform-core';
import { API_DOCS_URL, apiUrl, CREDENTIALS_PLACE } from './api.js';
import { normalizeSiteUrl } from './site-url.js';

/** `GET /wu/v2/auth`: `{"success":true,"label":"<network name>","message":"Welcome to our API"}`. */
const authResponseSchema = zod
  .object({ success: zod.literal(true), label: zod.string().optional() })
  .loose();

type AuthTestResult = zod.infer<typeof authResponseSchema>;

/** `<network name> (<host>)`: tells apart networks that share a name (or have none). */
function labelFor(siteUrl: unknown, name: string | undefined): string {
  const site = normalizeSiteUrl(siteUrl);
  const host = site.ok ? new URL(site.url).host : '';
  const trimmed = name?.trim() ?? '';
  if (trimmed !== '' && host !== '') return `${trimmed} (${host})`;
  return trimmed || host;
}

/**
 * The connection test: one cheap authenticated call (401/403 are explained by the middleware). Its
 * result feeds the connection label, so it carries the label ready-made.
 */
async function test(
  z: ZObject,
  bundle: Bundle,
): Promise<AuthTestResult & { connection_label: string }> {
  const response = await z.request({ url: apiUrl(z, bundle, '/auth'), method: 'GET' });
  const parsed = authResponseSchema.safeParse(response.data);
  if (!parsed.success) {
    throw new z.errors.Error(
      "The Site URL answered, but not as Ultimate Multisite's API (GET /wp-json/wu/v2/auth did not return success). " +
        "Check that the Site URL is your network's main site and that Ultimate Multisite is network-activated.",
      'AuthenticationError',
      response.status,
    );
  }
  return {
    ...parsed.data,
    connection_label: labelFor(bundle.authData.site_url, parsed.data.label),
  };
}

const where = `In your network admin, open **${CREDENTIALS_PLACE}**, turn on **Enable API**, and copy`;

const authentication: Authentication = {
  type: 'custom',
  fields: [
    {
      key: 'site_url',
      label: 'Site URL',
      type: 'string',
      required: true,
      helpText:
        "Your network's main address, e.g. `https://network.example.com` (https:// is added when you leave it out; a pasted `/wp-json/…` or `/wp-admin/…` address is cut back to the site).",
    },
    {
      key: 'api_key',
      label: 'API Key',
      type: 'string',
      required: true,
      helpText: `${where} the **API Key**. [How the Ultimate Multisite API works](${API_DOCS_URL}).`,
    },
    {
      key: 'api_secret',
      label: 'API Secret',
      type: 'password',
      required: true,
      helpText: `${where} the **API Secret**. [How the Ultimate Multisite API works](${API_DOCS_URL}).`,
    },
  ],
  test,
  // A template, not a function: `zapier-platform invoke auth label` can render it locally.
  connectionLabel: '{{bundle.inputData.connection_label}}',
};

export default authentication;
