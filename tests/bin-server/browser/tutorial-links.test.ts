import { describe, expect, it } from 'vitest';
import { hasChromium } from '../../support/browser.js';
import { useBrowserSession } from './session.js';
import { createBin, showTab } from './ui-helpers.js';

describe.runIf(hasChromium())('the tutorial ends on the very request, named by its event', () => {
  const session = useBrowserSession();

  it('adds the event to a picked bin URL, and Open the bin opens the captured request', async () => {
    const { page, server } = session;
    const bin = await createBin(server.url, { name: 'Tutorial target' });

    await page.goto(`${server.url}/#/webhooks`);
    await page.getByRole('button', { name: 'Add New Webhook' }).first().click();
    const form = page.getByRole('dialog', { name: 'Add New Webhook' });
    await form.getByLabel('Webhook Name', { exact: true }).fill('Tutorial');
    const event = form.getByLabel('Event', { exact: true });
    const url = form.getByLabel('Webhook Url', { exact: true });
    await event.selectOption({ label: 'Payment Received' });
    await form.getByRole('button', { name: 'Tutorial target' }).click();
    expect(await url.inputValue()).toBe(`${bin.url}/payment_received`);
    // The picked bin follows the event.
    await event.selectOption({ label: 'Membership Created' });
    expect(await url.inputValue()).toBe(`${bin.url}/membership_created`);
    expect(
      await form.getByRole('button', { name: 'Tutorial target' }).getAttribute('class'),
    ).toMatch(/is-selected/);
    // A URL typed by hand is left alone.
    await url.fill('https://example.com/hook');
    await event.selectOption({ label: 'Payment Received' });
    expect(await url.inputValue()).toBe('https://example.com/hook');
    await form.getByRole('button', { name: 'Tutorial target' }).click();
    expect(await url.inputValue()).toBe(`${bin.url}/payment_received`);
    await form.getByRole('button', { name: 'Add New Webhook' }).click();
    await page.waitForURL(/#\/webhooks\/\d+$/);

    await page.getByRole('button', { name: 'Send Test Event' }).click();
    const dialog = page.getByRole('dialog', { name: 'Test Response' });
    const answer = JSON.parse(await dialog.getByLabel('Response body').innerText()) as {
      id: string;
    };
    await dialog.getByRole('link', { name: 'Open the bin' }).click();
    await page.waitForURL(new RegExp(`#/bins/${bin.id}/${answer.id}$`));
    await page.locator(`.request-detail[data-request-id="${answer.id}"]`).waitFor();
    // Not "payment_received or payment_created or payment_updated": the URL settles it.
    const row = page.locator(`.request-row[data-request-id="${answer.id}"]`);
    expect((await row.locator('.event-badge').innerText()).trim()).toBe('payment_received');
    await showTab(page, 'recognition');
    const recognition = await page.locator('.recognition').innerText();
    expect(recognition).toContain('Expected (from the URL)');
    expect(recognition).toContain('Valid payment_received payload');
  });
});
