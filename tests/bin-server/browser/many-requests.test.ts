/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser and use its DOM types.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { ensureUiBuilt, hasChromium, launchBrowser, watchPage } from '../../support/browser.js';
import { startTestServer } from '../../support/server.js';
import { createBin } from './ui-helpers.js';

const TOTAL = 10_000;
const CONCURRENCY = 50;

describe.runIf(hasChromium())('a bin with 10,000 requests', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureUiBuilt();
    server = await startTestServer({ maxRequests: 20_000 });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The request whose row is at the top edge of the scrolled list. */
  const topRow = () =>
    page.locator('.virtual-list').evaluate((el) => {
      const box = el.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + 60, box.top + 5);
      return hit?.closest('.request-row')?.getAttribute('data-request-id') ?? null;
    });
  const loaded = () => page.locator('.list-status').getAttribute('data-loaded').then(Number);
  const domRows = () => page.locator('.request-row').count();

  it(
    'renders only the rows in view and loads older pages while scrolling',
    { timeout: 240_000 },
    async () => {
      const seen = watchPage(page);
      const bin = await createBin(server.url, { name: 'ten thousand' });
      for (let start = 0; start < TOTAL; start += CONCURRENCY) {
        const batch = Array.from({ length: CONCURRENCY }, (_, i) =>
          fetch(`${bin.url}/r/${start + i}`, { method: 'POST', body: `{"n":${start + i}}` }).then(
            (r) => {
              if (r.status !== 200) throw new Error(`capture answered ${r.status}`);
              return r.arrayBuffer();
            },
          ),
        );
        await Promise.all(batch);
      }

      await page.goto(`${server.url}/#/bins/${bin.id}`);
      await page.locator('.list-status').waitFor();
      const firstPage = await loaded();
      expect(firstPage).toBeGreaterThan(0);
      expect(firstPage).toBeLessThan(TOTAL);
      expect(await domRows()).toBeGreaterThan(5);
      expect(await domRows()).toBeLessThan(200);
      expect(await page.locator('.bin-count').innerText()).toContain('10,000');
      const newest = await page.locator('.request-row').first().getAttribute('data-request-id');
      expect(await page.locator('.request-row').first().innerText()).toContain(`/r/${TOTAL - 1}`);

      // Scroll to the end of what is loaded, three times: each time an older page arrives.
      let previous = firstPage;
      for (let round = 0; round < 3; round += 1) {
        await page.locator('.virtual-list').evaluate((el) => {
          el.scrollTop = el.scrollHeight;
        });
        await page.waitForFunction(
          (before) =>
            Number(document.querySelector('.list-status')?.getAttribute('data-loaded')) > before,
          previous,
        );
        const now = await loaded();
        expect(now).toBeGreaterThan(previous);
        previous = now;
        expect(await domRows()).toBeLessThan(200);
      }
      // Far down the list, the newest rows are no longer in the DOM.
      expect(await page.locator(`.request-row[data-request-id="${newest}"]`).count()).toBe(0);

      // A request arriving while scrolled down is added on top without moving the view.
      await page.locator('.virtual-list').evaluate((el) => {
        el.scrollTop = el.scrollHeight / 2;
      });
      let anchor: string | null = null;
      for (let i = 0; i < 100 && !anchor; i += 1) {
        await page.waitForTimeout(50);
        anchor = await topRow();
      }
      expect(anchor).toBeTruthy();
      const before = await loaded();
      await fetch(`${bin.url}/r/late`, { method: 'POST', body: '{"late":true}' });
      await page.waitForFunction(
        (n) =>
          Number(document.querySelector('.list-status')?.getAttribute('data-loaded')) === n + 1,
        before,
      );
      await page.waitForFunction((id) => {
        const el = document.querySelector('.virtual-list')!;
        const box = el.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + 60, box.top + 5);
        return hit?.closest('.request-row')?.getAttribute('data-request-id') === id;
      }, anchor);
      await page.locator('.virtual-list').evaluate((el) => {
        el.scrollTop = 0;
      });
      await page.locator('.request-row', { hasText: '/r/late' }).waitFor();

      expect(seen.errors).toEqual([]);
    },
  );
});
