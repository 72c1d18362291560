import { headerOf, type Received } from '../../support/receiver.js';
/** JSON over HTTP: the status and the parsed body (undefined when empty). */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, json };
}

/** How often each `webhook-id` (the standard profile's delivery id) arrived. */
export function countWebhookIds(received: readonly Received[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const request of received) {
    const id = headerOf(request, 'webhook-id') ?? '';
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  return seen;
}
