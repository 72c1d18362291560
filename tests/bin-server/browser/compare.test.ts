/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser and use its DOM types.
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import type { BinJson } from '../../../bin-server/src/wire/bin.js';
import { hasChromium, sendRaw } from '../../support/browser.js';
import { useBrowserSession } from './session.js';
import { createBin, openRequest, tableRows } from './ui-helpers.js';

const HOSTILE = '<img src=x onerror=alert(1)>';

async function sample(baseUrl: string, event: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}/api/events/${event}`);
  return ((await response.json()) as { sample: Record<string, unknown> }).sample;
}

/**
 * A payment_created captured in one bin and a payment_updated in another: the status changes,
 * the second address line is gone, a gateway id and a header appear, and the avatar (HTML in the
 * plugin's payload) becomes a script that must stay text.
 */
async function twoPayments(baseUrl: string): Promise<{ shop: BinJson; crm: BinJson }> {
  const shop = await createBin(baseUrl, { name: 'shop' });
  const crm = await createBin(baseUrl, { name: 'crm' });
  const created = await sample(baseUrl, 'payment_created');
  const { billing_address_line_2: _gone, ...updated } = await sample(baseUrl, 'payment_updated');
  await sendRaw(`${shop.url}/payment_created`, {
    headers: { 'Content-Type': 'application/json', 'X-Only-A': 'first' },
    body: JSON.stringify(created),
  });
  await sendRaw(`${crm.url}/payment_updated`, {
    headers: { 'Content-Type': 'application/json', 'X-Only-B': 'second' },
    body: JSON.stringify({ ...updated, customer_avatar: HOSTILE, gateway_payment_id: 'pi_3Nx' }),
  });
  return { shop, crm };
}

describe.runIf(hasChromium())('compare two requests', () => {
  const session = useBrowserSession();
  let server: RunningServer;
  let page: Page;
  beforeEach(() => {
    ({ server, page } = session);
  });

  const kinds = (selector: string) =>
    page
      .locator(`${selector} tbody tr`)
      .evaluateAll((rows) =>
        Object.fromEntries(
          rows.map((row) => [row.querySelector('th')!.textContent, row.getAttribute('data-kind')]),
        ),
      );

  it('diffs a payment_created against a payment_updated of another bin, by header and by field', async () => {
    const { shop, crm } = await twoPayments(server.url);
    await page.goto(`${server.url}/#/bins/${shop.id}`);
    await openRequest(page, '/payment_created');
    const left = await page.locator('.request-detail').getAttribute('data-request-id');
    await page.getByRole('link', { name: 'Compare', exact: true }).click();
    await page.waitForURL(new RegExp(`#/compare/${shop.id}/${left}$`));

    // Pick B from the other bin.
    await page.getByRole('combobox', { name: 'Bin' }).selectOption(crm.id);
    const candidate = page.locator('.compare-candidate', { hasText: '/payment_updated' });
    await candidate.waitFor();
    const right = await candidate.getAttribute('data-request-id');
    await candidate.click();
    const address = `${server.url}/#/compare/${shop.id}/${left}/vs/${crm.id}/${right}`;
    await page.waitForURL(address);

    // The view is its URL: a reload shows the same comparison.
    await page.reload();
    await page.locator('.compare-fields').waitFor();
    expect(await tableRows(page, '.compare-fields')).toEqual([
      ['payment_status', 'changed', '"pending" → "completed"'],
      [
        'customer_avatar',
        'changed',
        expect.stringMatching(/^"<img alt=.*" → "<img src=x onerror=alert\(1\)>"$/s),
      ],
      ['billing_address_line_2', 'removed', '"Suite 4"'],
      ['gateway_payment_id', 'added', '"pi_3Nx"'],
    ]);
    const headers = await kinds('.compare-headers');
    expect(headers).toMatchObject({
      'x-only-a': 'removed',
      'x-only-b': 'added',
      'content-length': 'changed',
    });
    expect(Object.values(headers)).not.toContain('same');
    await page.getByRole('button', { name: /^Show \d+ headers that are the same$/ }).click();
    expect(await kinds('.compare-headers')).toMatchObject({ 'content-type': 'same' });

    // Payloads are text: the avatar's markup made no element.
    expect(await page.locator('.compare-page img').count()).toBe(0);
    expect(await page.locator('.compare-page').innerText()).toContain(HOSTILE);

    // Swapping turns added into removed.
    await page.getByRole('link', { name: 'Swap A and B' }).click();
    await page.waitForURL(`${server.url}/#/compare/${crm.id}/${right}/vs/${shop.id}/${left}`);
    // The table of A→B stays until B→A has loaded in its place: wait for the new one.
    await expect
      .poll(() => kinds('.compare-fields'), { timeout: 5000 })
      .toMatchObject({
        billing_address_line_2: 'added',
        gateway_payment_id: 'removed',
        payment_status: 'changed',
      });
  });

  it('says when the bodies are the same, and when a side is gone', async () => {
    const bin = await createBin(server.url, { name: 'twins' });
    for (const n of [1, 2]) {
      await sendRaw(`${bin.url}/twin/${n}`, {
        headers: { 'Content-Type': 'application/json' },
        body: '{"a":1,"b":[1,2]}',
      });
    }
    const list = (await (await fetch(`${server.url}/api/bins/${bin.id}/requests`)).json()) as {
      items: Array<{ id: string }>;
    };
    const [second, first] = list.items.map((r) => r.id);
    await page.goto(`${server.url}/#/compare/${bin.id}/${first}/vs/${bin.id}/${second}`);
    await page.getByText('The same JSON').waitFor();
    expect(await page.locator('.compare-fields').count()).toBe(0);

    await fetch(`${server.url}/api/bins/${bin.id}/requests/${second}`, { method: 'DELETE' });
    await page.reload();
    await page.locator('.compare-side-right .note-error').waitFor();
    expect(await page.locator('.compare-side-right').innerText()).toContain('is gone');
  });
});
