import type { CapturedRequest } from '../../store/types.js';
import { headerPairs } from '../../wire/request.js';
import { ansiCQuote, isPasteSafe, printfFormat, singleQuote } from './shell.js';
import { latin1Bytes, utf8Text } from './text.js';

/**
 * Transport headers of the original connection: curl sets its own from the URL and the body.
 * `Expect` is negotiation between the sender and us, not part of the message.
 */
const TRANSPORT_HEADERS = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

/** Bodies up to this size go inline; larger ones through printf (no argument-length limit). */
const INLINE_BODY_BYTES = 64 * 1024;
/** curl adds `Expect: 100-continue` to bodies above 1 KiB unless told not to. */
const CURL_EXPECT_THRESHOLD = 1024;

/** A string node received as latin1, quoted so the shell passes its original bytes. */
function quoteReceived(value: string): string {
  const bytes = latin1Bytes(value);
  const text = utf8Text(bytes);
  return text !== undefined && isPasteSafe(text) ? singleQuote(text) : ansiCQuote(bytes);
}

/** How the body reaches curl: an inline argument, or a printf piped to `--data-binary @-`. */
function bodyArgument(body: Uint8Array): { pipe?: string; arg: string } {
  const text = utf8Text(body);
  if (text !== undefined && isPasteSafe(text, true)) {
    if (body.byteLength <= INLINE_BODY_BYTES) return { arg: `--data-binary ${singleQuote(text)}` };
    return { pipe: `printf '%s' ${singleQuote(text)}`, arg: '--data-binary @-' };
  }
  return { pipe: `printf ${printfFormat(body, text)}`, arg: '--data-binary @-' };
}

/**
 * A curl command that sends the captured request again to `url`: same method,
 * headers in order (duplicates kept, transport headers left to curl, curl's own defaults
 * suppressed when the original had none) and the exact body bytes.
 */
export function toCurl(request: CapturedRequest, url: string): string {
  const headers = headerPairs(request.rawHeaders);
  const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name);
  const body = request.body;
  const method = request.method;

  let data: { pipe?: string; arg: string } | undefined;
  if (body.byteLength > 0) data = bodyArgument(body);
  else if (has('content-length') && method !== 'GET' && method !== 'HEAD') {
    data = { arg: "--data-binary ''" };
  }

  // --globoff: `[]{}` in queries are literal; --path-as-is: keep `/../` and `//` as received.
  const head = ['curl', '--globoff', '--path-as-is'];
  if (method === 'HEAD') head.push('--head');
  else if (!((method === 'GET' && !data) || (method === 'POST' && data))) {
    head.push(`--request ${quoteReceived(method)}`);
  }
  head.push(quoteReceived(url));

  const args = [head.join(' ')];
  for (const [name, value] of headers) {
    if (TRANSPORT_HEADERS.has(name.toLowerCase())) continue;
    // `Name:` would remove the header in curl; `Name;` sends it with an empty value.
    args.push(
      `--header ${value === '' ? quoteReceived(`${name};`) : quoteReceived(`${name}: ${value}`)}`,
    );
  }
  // Headers curl adds by itself, which the original request did not have.
  if (!has('user-agent')) args.push(`--header 'User-Agent:'`);
  if (!has('accept')) args.push(`--header 'Accept:'`);
  if (data && !has('content-type')) args.push(`--header 'Content-Type:'`);
  if (data && body.byteLength > CURL_EXPECT_THRESHOLD) args.push(`--header 'Expect:'`);
  if (data) args.push(data.arg);

  const command = args.join(' \\\n  ');
  return data?.pipe ? `${data.pipe} \\\n  | ${command}\n` : `${command}\n`;
}
