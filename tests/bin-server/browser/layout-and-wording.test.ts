/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser and use its DOM types.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, sendRaw } from '../../support/browser.js';
import { tempDir } from '../../support/server.js';
import type { BinJson } from '../../../bin-server/src/wire/bin.js';
import { useBrowserSession } from './session.js';
import { createBin, openRequest, requestRow } from './ui-helpers.js';

const VIEWPORTS = [
  { width: 1366, height: 850 },
  { width: 390, height: 844 },
];

/** A bin with a tie (payment_created or …), a long content type and an open request. */
async function busyBin(baseUrl: string): Promise<BinJson> {
  const bin = await createBin(baseUrl, { name: 'Payments from the staging network' });
  const event = (await (await fetch(`${baseUrl}/api/events/payment_created`)).json()) as {
    sample: unknown;
  };
  await sendRaw(`${bin.url}/tie`, {
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(event.sample),
  });
  await sendRaw(`${bin.url}/form`, {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'a=1',
  });
  return bin;
}

/** How wide the page scrolls against the window: wider means something overflows sideways. */
function overflow(page: Page) {
  return page.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth,
    innerWidth,
  }));
}

describe.runIf(hasChromium())('layout and wording a daily user sees', () => {
  const session = useBrowserSession();

  it('overflows nowhere at 1366×850 and 390×844', { timeout: 120_000 }, async () => {
    const { page, server } = session;
    const bin = await busyBin(server.url);
    const webhook = await fetch(`${server.url}/api/sandbox/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Layout',
        webhook_url: `${bin.url}/x`,
        event: 'payment_received',
      }),
    });
    const { id } = (await webhook.json()) as { id: number };
    // A delivery to open in the log, and two requests to compare.
    await fetch(`${server.url}/api/sandbox/fire`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'payment_received' }),
    });
    const listed = (await (await fetch(`${server.url}/api/bins/${bin.id}/requests`)).json()) as {
      items: Array<{ id: string }>;
    };
    const [newest, older] = listed.items.map((r) => r.id);
    const openDelivery = async () => {
      await page.locator('.delivery-summary').first().click();
      await page.locator('.attempt').first().waitFor();
    };
    const pages: Array<{ name: string; hash: string; then?: () => Promise<void> }> = [
      { name: 'bins', hash: '#/bins' },
      { name: 'bin', hash: `#/bins/${bin.id}` },
      { name: 'request', hash: `#/bins/${bin.id}/${newest}` },
      { name: 'webhooks', hash: '#/webhooks', then: openDelivery },
      { name: 'webhooks-filtered', hash: '#/webhooks?event=payment_received&status=succeeded' },
      { name: 'webhook', hash: `#/webhooks/${id}`, then: openDelivery },
      { name: 'events', hash: '#/events' },
      { name: 'compare-pick', hash: `#/compare/${bin.id}/${older}` },
      { name: 'compare', hash: `#/compare/${bin.id}/${older}/vs/${bin.id}/${newest}` },
    ];
    const shots = tempDir('umhooks-layout-');
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      for (const { name, hash, then } of pages) {
        await page.goto(`${server.url}/${hash}`);
        await page.locator('main :is(.page, .bin-page, .split-page)').first().waitFor();
        await page.waitForTimeout(300);
        await then?.();
        const file = path.join(shots, `${name}-${viewport.width}x${viewport.height}.png`);
        await page.screenshot({ path: file, fullPage: true });
        const seen = await overflow(page);
        expect({
          viewport: viewport.width,
          name,
          fits: seen.scrollWidth <= seen.innerWidth,
        }).toEqual({ viewport: viewport.width, name, fits: true });
        expect(seen.innerWidth).toBe(viewport.width);
      }
      // The capture URL stays within two lines.
      await page.goto(`${server.url}/#/bins/${bin.id}`);
      const url = page.getByTestId('capture-url');
      const lines = await url.evaluate((el) => {
        const style = getComputedStyle(el);
        return Math.round(el.getBoundingClientRect().height / parseFloat(style.lineHeight));
      });
      expect(lines, `capture URL lines at ${viewport.width}`).toBeLessThanOrEqual(2);
    }
    console.log(`layout screenshots: ${shots}`);
  });

  it('keeps the keyboard hint a sentence, and row badges and types readable', async () => {
    const { page, server } = session;
    await page.setViewportSize(VIEWPORTS[0]!);
    const bin = await busyBin(server.url);
    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await page.locator('.request-detail').waitFor();
    await page.evaluate((id) => (location.hash = `#/bins/${id}`), bin.id);
    const hint = page.locator('.detail-pane .empty-state');
    await hint.waitFor();
    // Words, keys and words on shared lines: far fewer lines than the 7 pieces.
    const hintLines = await hint.locator('.empty-body').evaluate((el) => {
      const tops = new Set<number>();
      for (const node of Array.from(el.querySelectorAll('kbd'))) {
        tops.add(Math.round(node.getBoundingClientRect().top));
      }
      return tops.size;
    });
    expect(hintLines).toBe(1);

    const tie = requestRow(page, '/tie');
    const badge = tie.locator('.event-badge');
    const cut = (selector: string) =>
      tie.locator(selector).evaluate((el) => el.scrollWidth > el.clientWidth);
    expect(await badge.innerText()).toMatch(/^payment_created \+\d$/);
    expect(await cut('.event-badge')).toBe(false);
    expect(await cut('.request-row-type')).toBe(false);
    expect(await badge.getAttribute('title')).toContain('payment_created or payment_updated');
    expect(await requestRow(page, '/form').locator('.request-row-type').getAttribute('title')).toBe(
      'application/x-www-form-urlencoded',
    );
  });

  it('names a raw download after its content type', async () => {
    const { page, server } = session;
    const bin = await busyBin(server.url);
    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await openRequest(page, '/tie');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Raw' }).click(),
    ]);
    const id = await page.locator('.request-detail').getAttribute('data-request-id');
    expect(download.suggestedFilename()).toBe(`${id}.json`);
  });

  it('speaks of a due retry in the present, never "ago"', async () => {
    const { page, server } = session;
    const target = await createBin(server.url, { name: 'busy receiver' });
    // 503 with Retry-After: one hour, so the retry stays pending during the test.
    await fetch(`${server.url}/api/bins/${target.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        response: { status: 503, headers: [['Retry-After', '3600']], body: 'busy' },
      }),
    });
    const created = await fetch(`${server.url}/api/sandbox/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Retrying',
        webhook_url: `${target.url}/payment_received`,
        event: 'payment_received',
        profile: 'standard',
      }),
    });
    const { id } = (await created.json()) as { id: number };
    const fired = await fetch(`${server.url}/api/sandbox/fire`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'payment_received' }),
    });
    expect(fired.status).toBe(202);

    const open = async () => {
      await page.goto(`${server.url}/#/webhooks/${id}`);
      await page.reload(); // A fresh render, at the page clock's time.
      const delivery = page.locator('.delivery').first();
      await delivery.locator('.delivery-summary .status-code', { hasText: '503' }).waitFor();
      await delivery.locator('.delivery-summary').click();
      return (await delivery.locator('.attempt-head').first().innerText()).replace(/\s+/g, ' ');
    };
    expect(await open()).toMatch(/next in (60 min|1 h)/);
    // Two hours later on this page's clock: the retry is due, not "1 h ago".
    await page.clock.setFixedTime(Date.now() + 2 * 3600_000);
    const later = await open();
    expect(later).toContain('retrying now');
    expect(later).not.toContain('ago');
  });
});
