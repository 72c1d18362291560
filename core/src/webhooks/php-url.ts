// PHP's filter_var($url, FILTER_VALIDATE_URL) (ext/filter/logical_filters.c), which the
// plugin's validation library (rakit/validation `url:http,https`) calls, plus rakit's own
// case-sensitive `^http://` / `^https://` prefix test. Checked against real PHP by
// tests/core/webhook-record.test.ts.
import net from 'node:net';

// php_filter_url keeps only these characters; any other one (space, non-ASCII…) fails validation.
const URL_CHARS = /^[A-Za-z0-9$\-_.+!*'(),{}|\\^~[\]`<>#%";/?:@&=]*$/;
// scheme://[userinfo@]host[:port][/path][?query][#fragment], as parse_url splits it.
const URL_PARTS =
  /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^@/?#]*)@)?(\[[^\]/?#]*\]|[^:/?#]*)(?::(\d*))?([/?#].*)?$/s;
const USERINFO = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/** _php_filter_validate_domain with FILTER_FLAG_HOSTNAME. */
function isHostname(host: string): boolean {
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name === '' || name.length > 253) return false;
  return name.split('.').every((label) => label.length <= 63 && LABEL.test(label));
}

function isPhpValidUrl(value: string): boolean {
  if (!URL_CHARS.test(value)) return false;
  const parts = URL_PARTS.exec(value);
  if (!parts) return false;
  const [, scheme = '', userinfo, host = '', port] = parts;
  if (port !== undefined && port !== '' && Number(port) > 65535) return false;
  if (userinfo !== undefined && !USERINFO.test(userinfo)) return false;
  if (/^https?$/i.test(scheme)) {
    if (host.startsWith('[')) return net.isIPv6(host.slice(1, -1));
    return isHostname(host);
  }
  return host !== '';
}

/** rakit `url:http,https`: FILTER_VALIDATE_URL and a lowercase http:// or https:// prefix. */
export function isPluginWebhookUrl(value: string): boolean {
  return /^https?:\/\//.test(value) && isPhpValidUrl(value);
}
