import { isLoopback } from '../config.js';

function hostnameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * DNS-rebinding guard for a token-less server: a page on evil.example that re-points its name to
 * 127.0.0.1 reaches us with `Host: evil.example`, so only loopback names (and the `--public-url`
 * host) are served the UI, the API and live updates. With a token, the token protects them.
 */
export function hostAllowed(host: string | undefined, publicUrl: string | undefined): boolean {
  if (host === undefined) return false;
  if (publicUrl !== undefined && new URL(publicUrl).host === host) return true;
  const name = hostnameOf(host);
  return (
    name !== undefined && (isLoopback(name) || name === 'localhost' || name.endsWith('.localhost'))
  );
}

export function forbiddenHostMessage(host: string | undefined): string {
  return `This server only answers its UI and API for loopback host names, not "${host ?? ''}". Use http://127.0.0.1:<port>, or start it with --public-url (behind a proxy) or --token.`;
}
