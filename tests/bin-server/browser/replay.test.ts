/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser and use its DOM types.
import { generateSecret } from '@umhooks/core';
import type { Page } from 'playwright-core';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { hasChromium, sendRaw } from '../../support/browser.js';
import { startReceiver, type Receiver } from '../../support/receiver.js';
import { useBrowserSession } from './session.js';
import { createBin, openRequest } from './ui-helpers.js';

describe.runIf(hasChromium())('replaying a request in the browser', () => {
  const session = useBrowserSession();
  let server: RunningServer;
  let page: Page;
  let app: Receiver;
  beforeAll(async () => {
    // The developer's app; its answer is markup, which must show as text.
    app = await startReceiver(() => ({
      status: 202,
      headers: { 'content-type': 'text/html', 'x-app': 'replayed' },
      body: '<img src=x onerror="alert(1)"><b>accepted</b>',
    }));
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => {
    ({ server, page } = session);
  });

  it('replays to a receiver, shows the answer and keeps it in the history; an edited body is flagged', async () => {
    const bin = await createBin(server.url, { name: 'replays' });
    const secret = generateSecret();
    const body = '{"event":"payment_received","amount":10}';
    const now = new Date();
    const signature = new StandardWebhook(secret).sign('msg_ui', now, body);
    await sendRaw(`${bin.url}/orders?n=1`, {
      headers: {
        'Content-Type': 'application/json',
        'webhook-id': 'msg_ui',
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
    });

    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await openRequest(page, '/orders?n=1');
    await page.getByText('Not replayed yet.').waitFor();
    await page.locator('.request-detail').getByRole('button', { name: 'Replay' }).click();
    const dialog = page.getByRole('dialog', { name: 'Replay this request' });
    await dialog.getByLabel('Target URL').fill(`${app.url}/webhooks`);
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();

    // The answer: status, the app's headers, its body as text (never as HTML).
    const answer = dialog.locator('.replay-answer');
    await answer.locator('.status-code', { hasText: '202' }).waitFor();
    expect(await answer.locator('.replay-body').innerText()).toBe(
      '<img src=x onerror="alert(1)"><b>accepted</b>',
    );
    expect(await answer.locator('.replay-body img, .replay-body b').count()).toBe(0);
    expect(await answer.innerText()).toContain('x-app');
    expect(await answer.getByTestId('replay-signature').innerText()).toContain(
      'signature as captured',
    );

    // What the app received verifies.
    await app.waitFor(1);
    const got = app.received[0]!;
    expect(got.url).toBe('/webhooks/orders?n=1');
    const headers = Object.fromEntries(got.headers.map(([k, v]) => [k.toLowerCase(), v]));
    expect(new StandardWebhook(secret).verify(got.body.toString(), headers)).toEqual(
      JSON.parse(body),
    );

    // An edited body: the dialog warns before sending, and the answer says so too.
    await dialog.getByLabel('Edit before sending').check();
    await dialog
      .getByLabel('Body', { exact: true })
      .fill('{"event":"payment_received","amount":99}');
    await dialog.getByTestId('replay-signature-warning').waitFor();
    await dialog.getByRole('button', { name: 'Send again' }).click();
    await answer.getByText('signature no longer matches').waitFor();
    await app.waitFor(2);
    expect(app.received[1]!.body.toString()).toBe('{"event":"payment_received","amount":99}');
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();

    // The history: both replays, newest first; the target is remembered for the bin.
    const entries = page.locator('.replay-list .replay-entry');
    await expect.poll(() => entries.count()).toBe(2);
    expect(await entries.first().innerText()).toContain('edited');
    expect(await entries.nth(1).innerText()).not.toContain('edited');
    expect(await entries.first().innerText()).toContain(`${app.url}/webhooks/orders?n=1`);
    await page.locator('.request-detail').getByRole('button', { name: 'Replay' }).click();
    expect(
      await page
        .getByRole('dialog', { name: 'Replay this request' })
        .getByLabel('Target URL')
        .inputValue(),
    ).toBe(`${app.url}/webhooks`);
  });
});
