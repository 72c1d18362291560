/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import type { WebhookJson } from '../../../bin-server/src/wire/sandbox.js';
import { hasChromium } from '../../support/browser.js';
import { headerOf, startReceiver, type Receiver } from '../../support/receiver.js';
import { useBrowserSession } from './session.js';

describe.runIf(hasChromium())('redeliver from the delivery log', () => {
  const session = useBrowserSession();
  let server: RunningServer;
  let page: Page;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver(() => ({ body: 'thanks' }));
  });
  afterAll(async () => {
    await receiver?.close();
  });
  beforeEach(() => {
    ({ server, page } = session);
  });

  it('sends a delivery again and shows the new attempt', async () => {
    const created = await fetch(`${server.url}/api/sandbox/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Redeliver me',
        webhook_url: `${receiver.url}/hooks`,
        event: 'payment_received',
        profile: 'standard',
      }),
    });
    expect(created.status).toBe(201);
    const hook = (await created.json()) as WebhookJson;

    await page.goto(`${server.url}/#/webhooks/${hook.id}`);
    await page.locator('.delivery-log .live-open').waitFor();
    const fired = await fetch(`${server.url}/api/sandbox/fire`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'payment_received' }),
    });
    const [id] = ((await fired.json()) as { deliveries: string[] }).deliveries;
    const delivery = page.locator(`.delivery[data-delivery-id="${id}"]`);
    await delivery.locator('.delivery-attempts', { hasText: '1 attempt' }).waitFor();
    await delivery.locator('.delivery-summary').click();

    await delivery.getByRole('button', { name: 'Redeliver', exact: true }).click();
    await delivery.locator('.delivery-attempts', { hasText: '2 attempts' }).waitFor();
    await delivery.locator('.attempt', { hasText: 'Attempt 2' }).waitFor();
    await page.getByText('Redelivered: the receiver answered 200.').waitFor();

    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.map((r) => headerOf(r, 'webhook-id'))).toEqual([id, id]);
  });
});
