import type { Bundle, ZObject } from 'zapier-platform-core';
import { normalizeSiteUrl } from './site-url.js';

/** The plugin's REST namespace under the site (`/wp-json/wu/v2`). */
const REST_BASE = '/wp-json/wu/v2';

/** Where the plugin shows the API Key and Secret, for help texts and error messages. */
export const CREDENTIALS_PLACE = 'Ultimate Multisite › Settings › API & Webhooks';
export const API_DOCS_URL = 'https://ultimatemultisite.com/docs/developer/rest-api/overview';

/** `{site}/wp-json/wu/v2{path}` from the connection's Site URL; a bad Site URL stops the call with its reason. */
export function apiUrl(z: ZObject, bundle: Bundle, path: `/${string}`): string {
  const site = normalizeSiteUrl(bundle.authData.site_url);
  if (!site.ok) throw new z.errors.Error(site.message, 'InvalidSiteUrl', 400);
  return `${site.url}${REST_BASE}${path}`;
}
