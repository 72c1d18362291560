/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser and use its DOM types.
import type { Locator, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import type { DeliveryJson, WebhookJson } from '../../../bin-server/src/wire/sandbox.js';
import { hasChromium } from '../../support/browser.js';
import { eventually } from '../../support/sandbox.js';
import { useBrowserSession } from './session.js';
import { createBin } from './ui-helpers.js';

async function post<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}`);
  return (await response.json()) as T;
}

describe.runIf(hasChromium())('the delivery log', () => {
  const session = useBrowserSession();
  let server: RunningServer;
  let page: Page;
  beforeEach(() => {
    ({ server, page } = session);
  });

  /**
   * Two webhooks: "Payments to the shop" answered 200, "Memberships to the CRM" answered 503 with
   * Retry-After one hour (its delivery stays pending). One delivery each, first attempt made.
   */
  async function twoWebhooks() {
    const ok = await createBin(server.url, { name: 'shop' });
    const busy = await createBin(server.url, { name: 'crm' });
    await fetch(`${server.url}/api/bins/${busy.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        response: { status: 503, headers: [['Retry-After', '3600']], body: 'busy' },
      }),
    });
    const payments = await post<WebhookJson>(`${server.url}/api/sandbox/webhooks`, {
      name: 'Payments to the shop',
      webhook_url: `${ok.url}/payment_received`,
      event: 'payment_received',
      profile: 'standard',
    });
    const members = await post<WebhookJson>(`${server.url}/api/sandbox/webhooks`, {
      name: 'Memberships to the CRM',
      webhook_url: `${busy.url}/membership_created`,
      event: 'membership_created',
      profile: 'standard',
    });
    const fire = (event: string) =>
      post<{ deliveries: string[] }>(`${server.url}/api/sandbox/fire`, { event }).then(
        (r) => r.deliveries[0]!,
      );
    const paid = await fire('payment_received');
    const joined = await fire('membership_created');
    await eventually(
      async () => {
        for (const id of [paid, joined]) {
          const d = (await (
            await fetch(`${server.url}/api/sandbox/deliveries/${id}`)
          ).json()) as DeliveryJson;
          if (d.attempt_count < 1) return undefined;
        }
        return true;
      },
      20_000,
      'the first attempt of both deliveries',
    );
    return { payments, members, paid, joined };
  }

  const rows = (p: Page) =>
    p.locator('.delivery').evaluateAll((items) =>
      items.map((item) => ({
        id: item.getAttribute('data-delivery-id'),
        event: item.querySelector('.delivery-event')?.textContent,
        webhook: item.querySelector('.delivery-webhook')?.textContent,
      })),
    );
  const select = (p: Page, name: string) => p.locator(`.delivery-filters select[name="${name}"]`);
  const query = (p: Page) => new URL(p.url()).hash.split('?')[1] ?? '';

  it('names the webhook in each row and filters by webhook, event and status in the URL', async () => {
    const { payments, members, paid, joined } = await twoWebhooks();
    await page.goto(`${server.url}/#/webhooks`);
    await page.locator(`.delivery[data-delivery-id="${joined}"]`).waitFor();
    expect(await rows(page)).toEqual([
      { id: joined, event: 'membership_created', webhook: 'Memberships to the CRM' },
      { id: paid, event: 'payment_received', webhook: 'Payments to the shop' },
    ]);

    await select(page, 'webhook').selectOption({ label: 'Memberships to the CRM' });
    await page.waitForFunction(() => document.querySelectorAll('.delivery').length === 1);
    expect(query(page)).toBe(`webhook=${members.id}`);
    expect((await rows(page)).map((r) => r.id)).toEqual([joined]);

    // Its delivery waits for a retry: pending matches, succeeded does not.
    await select(page, 'status').selectOption('pending');
    await page.waitForURL(/status=pending/);
    await page.locator(`.delivery[data-delivery-id="${joined}"]`).waitFor();
    await select(page, 'status').selectOption('succeeded');
    await page.getByText('No deliveries match these filters').waitFor();
    expect(query(page)).toBe(`webhook=${members.id}&status=succeeded`);

    // The address alone restores the filters (shared link, reload).
    await page.goto(`${server.url}/#/webhooks?event=payment_received&status=succeeded`);
    await page.reload();
    await page.locator(`.delivery[data-delivery-id="${paid}"]`).waitFor();
    expect((await rows(page)).map((r) => r.id)).toEqual([paid]);
    expect(await select(page, 'event').inputValue()).toBe('payment_received');
    expect(await select(page, 'status').inputValue()).toBe('succeeded');
    expect(await select(page, 'webhook').inputValue()).toBe('');

    // The filtering is the server's: a page of the API says the same.
    const listed = (await (
      await fetch(`${server.url}/api/sandbox/deliveries?webhook=${payments.id}&status=pending`)
    ).json()) as { items: DeliveryJson[] };
    expect(listed.items).toEqual([]);

    // Back to every delivery; one webhook's page filters by event and status only.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.delivery').length === 2);
    expect(query(page)).toBe('');
    await page.goto(`${server.url}/#/webhooks/${members.id}?status=pending`);
    await page.locator(`.delivery[data-delivery-id="${joined}"]`).waitFor();
    expect(await select(page, 'webhook').count()).toBe(0);
    expect(await select(page, 'status').inputValue()).toBe('pending');
  });

  it('adds a live delivery only when it matches the filters', async () => {
    await twoWebhooks();
    await page.goto(`${server.url}/#/webhooks?event=membership_created`);
    await page.locator('.delivery-log .live-open').waitFor();
    await page.locator('.delivery').first().waitFor();
    const before = (await rows(page)).map((r) => r.id);
    // Every webhook of the event gets a delivery (earlier tests' webhooks too).
    const fire = (event: string) =>
      post<{ deliveries: string[] }>(`${server.url}/api/sandbox/fire`, { event }).then(
        (r) => r.deliveries,
      );
    // Pushed in order over one socket: once the memberships arrive, the payments have come too.
    const paid = await fire('payment_received');
    const joined = await fire('membership_created');
    for (const id of joined) await page.locator(`.delivery[data-delivery-id="${id}"]`).waitFor();
    const after = (await rows(page)).map((r) => r.id);
    expect(after.slice(joined.length)).toEqual(before);
    expect(new Set(after.slice(0, joined.length))).toEqual(new Set(joined));
    for (const id of paid) expect(after).not.toContain(id);
  });

  /** Where the request and response halves of the first attempt sit, and if any name wraps. */
  async function attemptLayout(delivery: Locator) {
    const attempt = delivery.locator('.attempt').first();
    await attempt.waitFor();
    return attempt.evaluate((el) => {
      const box = (side: string) =>
        el.querySelector(`[data-side="${side}"]`)!.getBoundingClientRect();
      const names = Array.from(el.querySelectorAll('.kv-table .kv-key .mono'));
      return {
        request: box('request'),
        response: box('response'),
        names: names.map((n) => n.textContent),
        // A name on one line is one box; a name cut across lines is several.
        wrapped: names.filter((n) => n.getClientRects().length !== 1).map((n) => n.textContent),
      };
    });
  }

  it('opens an attempt full width: side by side on a wide screen, stacked on a phone, header names whole', async () => {
    const { paid } = await twoWebhooks();
    await page.setViewportSize({ width: 1366, height: 850 });
    await page.goto(`${server.url}/#/webhooks`);
    const delivery = page.locator(`.delivery[data-delivery-id="${paid}"]`);
    await delivery.locator('.delivery-summary').click();
    // The log spans the page, not a column beside the credentials.
    const widths = await page.evaluate(() => ({
      log: document.querySelector('.delivery-log')!.getBoundingClientRect().width,
      header: document.querySelector('.page-header')!.getBoundingClientRect().width,
    }));
    expect(widths.log).toBe(widths.header);

    const wide = await attemptLayout(delivery);
    expect(wide.names).toContain('webhook-signature');
    expect(wide.names).toContain('content-type');
    expect(wide.wrapped).toEqual([]);
    expect(wide.response.left).toBeGreaterThanOrEqual(wide.request.right);
    expect(wide.response.top).toBe(wide.request.top);

    await page.setViewportSize({ width: 390, height: 844 });
    const narrow = await attemptLayout(delivery);
    expect(narrow.wrapped).toEqual([]);
    expect(narrow.response.top).toBeGreaterThanOrEqual(narrow.request.bottom);
    expect(narrow.response.left).toBe(narrow.request.left);
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= innerWidth)).toBe(
      true,
    );
    // The row still names the webhook on a phone, and the event is not cut mid-word.
    expect(await delivery.locator('.delivery-webhook').isVisible()).toBe(true);
    const eventLines = await delivery.locator('.delivery-event').evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size;
    });
    expect(eventLines).toBe(1);
  });
});
