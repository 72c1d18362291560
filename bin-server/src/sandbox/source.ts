import { verify, WebhookVerificationError } from '@umhooks/core';
import type { CapturedRequest, SandboxWebhook, Store } from '../store/types.js';

/** The sandbox webhook a captured request came from; `deliveryId` when it is a logged delivery. */
export interface SandboxSource {
  webhook: SandboxWebhook;
  deliveryId: string | undefined;
}

/** Sandbox webhooks tried for a test event (not logged): the first page is plenty for a sandbox. */
const WEBHOOKS_TRIED = 200;

function headersOf(request: Pick<CapturedRequest, 'rawHeaders'>): Record<string, string> {
  const headers: Record<string, string> = {};
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    headers[name] = headers[name] === undefined ? raw[i + 1]! : `${headers[name]} ${raw[i + 1]}`;
  }
  return headers;
}

function signedWith(
  request: CapturedRequest,
  headers: Record<string, string>,
  secret: string,
): boolean {
  try {
    verify({ secret, headers, body: request.body, now: Math.floor(request.receivedAt / 1000) });
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}

/** Whether `url` is a capture URL of bin `binId` (any host: the sandbox may use another name). */
function targetsBin(url: string, binId: string): boolean {
  try {
    const path = new URL(url).pathname;
    return path === `/b/${binId}` || path.startsWith(`/b/${binId}/`);
  } catch {
    return false;
  }
}

/**
 * Which of this server's sandbox webhooks sent `request` to bin `binId`, if one did. The
 * dispatcher sends a delivery's id as `webhook-id`, so a logged delivery names itself; a Send
 * Test Event is not logged, so a standard webhook aimed at this bin whose secret verifies the
 * request's signature is taken as its sender. Requests without a `webhook-id` (or `svix-id`)
 * header cost nothing.
 */
export async function sandboxSourceOf(
  store: Store,
  binId: string,
  request: CapturedRequest,
): Promise<SandboxSource | undefined> {
  const headers = headersOf(request);
  const messageId = headers['webhook-id'] ?? headers['svix-id'];
  if (!messageId) return undefined;
  if (messageId.startsWith('msg_')) {
    const delivery = await store.deliveries.get(messageId);
    const webhook = delivery && (await store.webhooks.get(delivery.webhookId));
    if (webhook) return { webhook, deliveryId: messageId };
  }
  const { items } = await store.webhooks.list({
    orderby: 'id',
    order: 'desc',
    limit: WEBHOOKS_TRIED,
    offset: 0,
  });
  const webhook = items.find(
    (w) =>
      w.profile === 'standard' &&
      targetsBin(w.webhookUrl, binId) &&
      signedWith(request, headers, w.secret),
  );
  return webhook && { webhook, deliveryId: undefined };
}
