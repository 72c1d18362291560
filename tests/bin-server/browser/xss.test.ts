/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser and use its DOM types.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import {
  ensureUiBuilt,
  hasChromium,
  launchBrowser,
  sendRaw,
  watchPage,
} from '../../support/browser.js';
import { startTestServer } from '../../support/server.js';
import { createBin, detailPanel, kvPairs, openRequest, showTab } from './ui-helpers.js';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '</script><script>alert(1)</script>';

describe.runIf(hasChromium())('captured payloads are shown as text, never run', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureUiBuilt();
    server = await startTestServer();
    browser = await launchBrowser();
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the UI with a strict Content Security Policy', async () => {
    const response = await page.goto(`${server.url}/`);
    const headers = response!.headers();
    const csp = headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
  });

  it('renders script and HTML in bodies, headers and queries as inert text', async () => {
    const seen = watchPage(page);
    const bin = await createBin(server.url, { name: IMG });
    const query = `q=${encodeURIComponent(IMG)}&s=${encodeURIComponent(SCRIPT)}`;
    await sendRaw(`${bin.url}/json?${query}`, {
      headers: { 'Content-Type': 'application/json', 'X-Evil': IMG, 'X-Script': SCRIPT },
      body: JSON.stringify({ html: IMG, script: SCRIPT, [IMG]: 'as a key' }),
    });
    await sendRaw(`${bin.url}/html`, {
      headers: { 'Content-Type': 'text/html' },
      body: `<p>${IMG}${SCRIPT}</p>`,
    });
    await sendRaw(`${bin.url}/form`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `a=${encodeURIComponent(IMG)}&${encodeURIComponent(SCRIPT)}=b`,
    });
    const boundary = 'xssBoundary';
    await sendRaw(`${bin.url}/parts`, {
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body:
        `--${boundary}\r\nContent-Disposition: form-data; name="x"; filename="${IMG}"\r\nContent-Type: text/html\r\n\r\n${SCRIPT}\r\n` +
        `--${boundary}--\r\n`,
    });

    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await page.locator('.request-row').nth(3).waitFor();
    for (const path of [`/json?${query}`, '/html', '/form', '/parts']) {
      await openRequest(page, path);
      // Every view of the body: JSON tree, raw text, hex, form fields, parts.
      const tabs = page.locator('.body-toolbar [role="tab"]');
      for (let i = 0; i < (await tabs.count()); i += 1) {
        await tabs.nth(i).click();
        expect(await page.locator('img').count()).toBe(0);
      }
    }

    await openRequest(page, '/html');
    await page.locator('.body-toolbar [role="tab"]', { hasText: 'Raw' }).click();
    expect(await page.locator('.body-content[data-view="raw"] pre').innerText()).toBe(
      `<p>${IMG}${SCRIPT}</p>`,
    );

    await openRequest(page, `/json?${query}`);
    await showTab(page, 'headers');
    const headers = await kvPairs(page, `${detailPanel('headers')} table`);
    expect(headers).toContainEqual(['X-Evil', IMG]);
    expect(headers).toContainEqual(['X-Script', SCRIPT]);
    await showTab(page, 'query');
    expect(await kvPairs(page, `${detailPanel('query')} table`)).toEqual([
      ['q', IMG],
      ['s', SCRIPT],
    ]);
    await showTab(page, 'body');
    await page.locator('.body-toolbar [role="tab"]', { hasText: 'JSON' }).click();
    expect(await page.locator('.json-view').innerText()).toContain(JSON.stringify(IMG));

    // The event catalog shows customer_avatar, an HTML <img> string, as text too.
    await page.goto(`${server.url}/#/events/payment_received`);
    await page.locator('.event-detail').waitFor();
    expect(await page.locator('.event-detail .json-view').innerText()).toContain('customer_avatar');

    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    // The UI itself draws no <img> and loads exactly one script.
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
  });
});
