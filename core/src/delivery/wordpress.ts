// What Ultimate Multisite puts on the wire, read from the plugin's and WordPress's source.
//
// Plugin (inc/managers/class-webhook-manager.php, send_webhook):
//   wp_remote_post($url, ['method' => 'POST', 'timeout' => 45, 'redirection' => 5,
//     'headers' => ['Content-Type' => 'application/json'], 'cookies' => [],
//     'body' => wp_json_encode($data), 'blocking' => $blocking]);
//   and before that (Event_Manager::do_event, wu_maybe_lazy_load_payload):
//   $payload['wu_version'] = wu_get_version();  // replaced in place, or appended
//
// WordPress (wp-includes/class-wp-http.php, WP_Http::request / prepare_request, 6.x and trunk):
// - user-agent defaults to 'WordPress/' . get_bloginfo('version') . '; ' . get_bloginfo('url').
// - The `httpversion` argument (default '1.0') is never handed to Requests, so Requests' own
//   default protocol_version 1.1 applies: the request line is HTTP/1.1, which undici also sends.
// - No connect_timeout is set, so Requests' default of 10 s applies; `timeout` 45 s bounds the
//   whole transfer (CURLOPT_TIMEOUT), restarted on each redirect hop (a new cURL handle per hop).
// - Empty cookies add no Cookie header; `redirection` 5 becomes Requests' `redirects`.
// - browser_redirect_compatibility() turns a 302 into GET; Requests itself turns a 303 into GET.
//
// Requests 2.x (wp-includes/Requests/src/Requests.php, Transport/Curl.php), cURL transport:
// - setup_handle() adds `Connection: close` when absent, and for HTTP/1.1 `Expect:` with an
//   empty value for bodies under 1 MiB (an empty custom header makes cURL send none, which
//   suppresses cURL's own `Expect: 100-continue`), `Expect: 100-Continue` from 1 MiB on.
// - CURLOPT_ENCODING '' makes cURL send `Accept-Encoding` with every decoder it was built with
//   and decode the response; cURL adds `Accept: */*` by default.
// - libcurl writes Host, User-Agent, Accept, Accept-Encoding, then the custom headers in order
//   (Content-Type, Connection), then Content-Length. Verified with libcurl 7.88.1 (Debian 12,
//   the same library PHP's curl extension links) running the equivalent curl command line:
//   `Accept-Encoding: deflate, gzip, br, zstd` (a libcurl built without brotli/zstd sends
//   `deflate, gzip`).
// - Redirects: followed for 300, 301, 302, 303, 307 and 308-399 (not 304-306) with a Location,
//   relative ones resolved; headers and body are re-sent unchanged, even when the method became
//   GET (cURL's CUSTOMREQUEST keeps POSTFIELDS). A sixth redirect fails: 'Too many redirects'.
//   Non-HTTP(S) targets fail: 'Only HTTP(S) requests are handled.'
// - The Fsockopen transport (hosts without the curl extension) is not reproduced.
//
// What undici changes and cannot avoid: it writes `host`, `connection` and `content-length` in
// lower case, puts `connection` second instead of after Content-Type, and cannot send
// `Expect: 100-Continue` (bodies of 1 MiB or more go without it). Header names are
// case-insensitive (RFC 9110), so receivers see the same fields and values.

export const DEFAULT_WP_VERSION = '6.8.3';
export const DEFAULT_SITE_URL = 'http://localhost';
export const DEFAULT_WU_VERSION = '2.4.12';
export const PLUGIN_TIMEOUT_MS = 45_000;
export const PLUGIN_MAX_REDIRECTS = 5;
export const CURL_ACCEPT_ENCODING = 'deflate, gzip, br, zstd';

/** The headers WordPress + cURL send, minus the framing lines (host, connection, length). */
export function pluginHeaders(wpVersion: string, siteUrl: string): Array<[string, string]> {
  return [
    ['User-Agent', `WordPress/${wpVersion}; ${siteUrl}`],
    ['Accept', '*/*'],
    ['Accept-Encoding', CURL_ACCEPT_ENCODING],
    ['Content-Type', 'application/json'],
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
