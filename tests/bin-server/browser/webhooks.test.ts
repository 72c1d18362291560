/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser and use its DOM types.
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { hasChromium } from '../../support/browser.js';
import { useBrowserSession } from './session.js';
import { createBin, showTab } from './ui-helpers.js';

/** The plugin's own words when the test answer has no body (its webhook page script). */
const PLUGIN_ERROR = 'An error occurred when sending the test webhook, please try again.';

describe.runIf(hasChromium())('the webhook tutorial in the browser', () => {
  const session = useBrowserSession();
  let server: RunningServer;
  let page: Page;
  beforeEach(() => {
    ({ server, page } = session);
  });

  /** Network Admin › Webhooks › Add New Webhook, as the plugin's tutorial walks it. */
  async function addWebhook(name: string, eventName: string, url: string): Promise<void> {
    await page.goto(`${server.url}/#/webhooks`);
    await page.getByRole('button', { name: 'Add New Webhook' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add New Webhook' });
    await dialog.getByLabel('Webhook Name', { exact: true }).fill(name);
    await dialog.getByLabel('Event', { exact: true }).selectOption({ label: eventName });
    await dialog.getByLabel('Webhook Url', { exact: true }).fill(url);
    await dialog.getByRole('button', { name: 'Add New Webhook' }).click();
    await page.waitForURL(/#\/webhooks\/\d+$/);
    await page.getByRole('heading', { name }).waitFor();
  }

  it('walks the tutorial: bin, webhook, Send Test Event, the payload recognized in the bin', async () => {
    await page.goto(`${server.url}/#/bins`);
    await page.getByLabel('Name', { exact: true }).fill('Tutorial bin');
    await page.getByRole('button', { name: 'Create bin' }).click();
    await page.waitForURL(/#\/bins\/[\w-]+$/);
    const binUrl = (await page.getByTestId('capture-url').innerText()).trim();
    const binId = binUrl.split('/b/')[1]!;

    await addWebhook('Tutorial webhook', 'Payment Received', binUrl);
    const row = page.locator('dl.facts');
    expect(await row.innerText()).toContain(binUrl);

    await page.getByRole('button', { name: 'Send Test Event' }).click();
    const dialog = page.getByRole('dialog', { name: 'Test Response' });
    await dialog.waitFor();
    const shown = await dialog.getByLabel('Response body').innerText();
    // The bin's own answer: its default JSON naming the captured request.
    const answer = JSON.parse(shown) as { ok: boolean; id: string; bin: string };
    expect(answer.ok).toBe(true);
    expect(answer.bin).toBe(binId);

    await dialog.getByRole('link', { name: 'Open the bin' }).click();
    await page.waitForURL(new RegExp(`#/bins/${binId}`));
    const captured = page.locator(`.request-row[data-request-id="${answer.id}"]`);
    await captured.waitFor();
    // Without billing keys the body has the keys of payment_created/updated too: a tie it names.
    expect((await captured.locator('.event-badge').innerText()).trim()).toMatch(
      /^payment_received\b/,
    );
    await captured.click();
    await page.locator(`.request-detail[data-request-id="${answer.id}"]`).waitFor();
    // The detail opens on the body. Send Test Event posts the plugin's mock sample: the customer is
    // "John McMocked".
    expect(await page.locator('.json-view').innerText()).toContain('John McMocked');
    await showTab(page, 'recognition');
    expect(await page.locator('.recognition').innerText()).toContain(
      'Valid payment_received payload',
    );
  });

  it('shows the plugin error dialog when the answer has no body', async () => {
    const bin = await createBin(server.url, { name: 'silent bin' });
    const patched = await fetch(`${server.url}/api/bins/${bin.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response: { status: 200, headers: [], body: '', delay_ms: 0 } }),
    });
    expect(patched.status).toBe(200);
    await addWebhook('Silent webhook', 'Payment Received', bin.url);
    await page.getByRole('button', { name: 'Send Test Event' }).click();
    const dialog = page.getByRole('dialog', { name: 'Webhook Test' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(PLUGIN_ERROR);
  });

  it('fires an event, logs the delivery live, and refuses an invalid payload with its issues', async () => {
    const bin = await createBin(server.url, { name: 'fire target' });
    await addWebhook('Fire webhook', 'Payment Received', bin.url);
    await page.locator('.delivery-log .live-open').waitFor();

    await page.getByRole('button', { name: 'Fire event' }).click();
    let dialog = page.getByRole('dialog', { name: 'Fire event' });
    await dialog.getByRole('button', { name: 'Fire event' }).click();
    await dialog.waitFor({ state: 'detached' });
    const delivery = page.locator('.delivery', { hasText: 'payment_received' }).first();
    await delivery.waitFor();
    await page.locator('.delivery .status-code', { hasText: '200' }).first().waitFor();
    await delivery.locator('.delivery-summary').click();
    expect(await delivery.locator('.attempt').first().innerText()).toContain('Captured by umhooks');

    await page.getByRole('button', { name: 'Fire event' }).click();
    dialog = page.getByRole('dialog', { name: 'Fire event' });
    const editor = dialog.locator('textarea');
    const payload = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
    await editor.fill(JSON.stringify({ ...payload, payment_total_raw: 'not a number' }, null, 2));
    await dialog.getByRole('button', { name: 'Fire event' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('payment_total_raw');
    expect(await dialog.getByRole('button', { name: 'Fire anyway' }).count()).toBe(1);
  });
});
