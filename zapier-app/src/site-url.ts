/**
 * The Site URL a user types is turned into the network's base URL (scheme, host, optional
 * sub-directory, no trailing slash). Decisions:
 * - No scheme → `https://` is added: production networks serve HTTPS, and the auth test would fail
 *   clearly if the site only answers over plain HTTP (type `http://` explicitly for that).
 * - Only http and https are accepted; credentials, query strings and fragments are refused with a
 *   message, because silently dropping them would hide a paste of the wrong URL.
 * - A pasted REST or admin address (`…/wp-json/…`, `…/wp-admin/…`, `…/wp-login.php`) is cut back to
 *   the site root: that is an unambiguous fix of a common paste, so it is fixed, not refused.
 */
export type SiteUrlResult = { ok: true; url: string } | { ok: false; message: string };

const EXAMPLE = 'e.g. https://network.example.com';
/** Where a pasted WordPress URL stops being the site's root. */
const WORDPRESS_SUFFIX = /\/(?:wp-json|wp-admin|wp-login\.php|index\.php)(?:[/?#].*)?$/i;

export function normalizeSiteUrl(input: unknown): SiteUrlResult {
  const typed = typeof input === 'string' ? input.trim() : '';
  if (typed === '') {
    return { ok: false, message: `Enter your network's Site URL (${EXAMPLE}).` };
  }
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(typed) && !/^[^:/]+:\d+(?:[/?#]|$)/.test(typed);
  const candidate = hasScheme ? typed : `https://${typed.replace(/^\/+/, '')}`;
  // Cut a pasted REST/admin path before parsing, so its query string is dropped with it.
  const trimmed = candidate.replace(WORDPRESS_SUFFIX, '');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return {
      ok: false,
      message: `"${typed}" is not a web address. Enter the Site URL (${EXAMPLE}).`,
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return {
      ok: false,
      message: `The Site URL must start with https:// (or http://), not ${url.protocol}// (${EXAMPLE}).`,
    };
  }
  if (url.hostname === '') {
    return { ok: false, message: `The Site URL "${typed}" has no host name (${EXAMPLE}).` };
  }
  if (url.username !== '' || url.password !== '') {
    return {
      ok: false,
      message:
        'Remove the user name and password from the Site URL: the API Key and API Secret fields carry the credentials.',
    };
  }
  if (url.search !== '' || url.hash !== '') {
    return {
      ok: false,
      message: `Remove the "?…" or "#…" part from the Site URL: enter only your network's address (${EXAMPLE}).`,
    };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, url: `${url.protocol}//${url.host}${path}` };
}
