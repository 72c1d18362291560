// What Ultimate Multisite puts on the wire: `wp_remote_post` in WordPress (Requests over cURL).
// The header list — names, case, order, values — is WordPress's own, so a receiver that looks
// at raw headers (or signs them) sees no difference. The facts and where they come from are in
// the README ("The plugin profile on the wire"); tests/e2e/wordpress.test.ts checks them
// against Debian's WordPress.

export const DEFAULT_WP_VERSION = '6.8.3';
export const DEFAULT_SITE_URL = 'http://localhost';
export const DEFAULT_WU_VERSION = '2.4.12';
export const PLUGIN_TIMEOUT_MS = 45_000;
/** Requests' default connect_timeout (WordPress sets none). */
export const PLUGIN_CONNECT_TIMEOUT_MS = 10_000;
export const PLUGIN_MAX_REDIRECTS = 5;
const CURL_ACCEPT_ENCODING = 'deflate, gzip, br, zstd';
/** From this body size on, Requests asks cURL for `Expect: 100-Continue`. */
const EXPECT_CONTINUE_BYTES = 1024 * 1024;
/** How long cURL waits for `100 Continue` before sending the body anyway. */
export const EXPECT_CONTINUE_TIMEOUT_MS = 1000;

/** The headers that do not depend on the target or the body. */
export function pluginHeaders(wpVersion: string, siteUrl: string): Array<[string, string]> {
  return [
    ['User-Agent', `WordPress/${wpVersion}; ${siteUrl}`],
    ['Accept', '*/*'],
    ['Accept-Encoding', CURL_ACCEPT_ENCODING],
    ['Content-Type', 'application/json'],
  ];
}

/** The Host value cURL writes (the port only when it is not the scheme's default). */
export function hostOf(url: URL): string {
  return url.port ? `${url.hostname}:${url.port}` : url.hostname;
}

/**
 * Every header line of one hop, in WordPress's order: cURL's own (Host, User-Agent, Accept,
 * Accept-Encoding, Referer = the hop's URL), then the custom ones (the plugin's Content-Type,
 * Requests' Connection and, for big bodies, Expect), then cURL's Content-Length.
 */
export function wordpressHeaderLines(
  url: URL,
  headers: Array<[string, string]>,
  bodyBytes: number,
): Array<[string, string]> {
  const custom = headers.filter(([name]) => name === 'Content-Type');
  const own = headers.filter(([name]) => name !== 'Content-Type');
  return [
    ['Host', hostOf(url)],
    ...own,
    ['Referer', url.href],
    ...custom,
    ['Connection', 'close'],
    ...(bodyBytes >= EXPECT_CONTINUE_BYTES ? [['Expect', '100-Continue'] as [string, string]] : []),
    ['Content-Length', String(bodyBytes)],
  ];
}

/** Requests' is_redirect(). */
export function isFollowedRedirect(status: number): boolean {
  return [300, 301, 302, 303, 307].includes(status) || (status > 307 && status < 400);
}

/** The method of the next hop: WordPress turns 302 into GET, Requests turns 303 into GET. */
export function redirectMethod(status: number, method: 'POST' | 'GET'): 'POST' | 'GET' {
  return status === 302 || status === 303 ? 'GET' : method;
}
