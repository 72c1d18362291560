import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { ensureUiBuilt, hasChromium, launchBrowser, watchPage } from '../../support/browser.js';
import { hasPostgres, sql, startPostgresProxy, uniqueSchema } from '../../support/postgres.js';
import { startTestServer } from '../../support/server.js';
import type { TcpProxy } from '../../support/tcp-proxy.js';

/**
 * The UI on a server whose PostgreSQL goes away (a TCP proxy cut and restored), then on a server
 * that stops and starts again: pages say what is unavailable instead of spinning, the UI retries
 * by itself, and loads again once it is back, with no reload by the user.
 */

const BIN = 'ui-outage-bin';
const schema = uniqueSchema('umhooks_ui_outage');
let proxy: TcpProxy;
let proxiedStoreUrl: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
let seen: ReturnType<typeof watchPage>;

beforeAll(async () => {
  if (!hasPostgres || !hasChromium()) return;
  ensureUiBuilt();
  const proxied = await startPostgresProxy(schema);
  proxy = proxied.proxy;
  proxiedStoreUrl = proxied.storeUrl;
  server = await startTestServer({ memory: false, store: proxiedStoreUrl });
  await server.context.store.bins.create({ id: BIN, name: 'Outage bin', now: Date.now() });
  browser = await launchBrowser();
  page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  seen = watchPage(page);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close().catch(() => undefined);
  await proxy?.close();
  if (hasPostgres) await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
});

describe.runIf(hasPostgres && hasChromium())('the UI while PostgreSQL is away', () => {
  it('says the store is unavailable instead of loading forever, and loads again once it is back', async () => {
    const banner = page.locator('.outage-banner');
    const row = page.locator(`tr[data-bin-id="${BIN}"]`);
    await page.goto(`${server.url}/#/bins`);
    await row.waitFor();
    expect(await banner.count()).toBe(0);

    proxy.cut();
    // A detail page opened during the outage says so instead of spinning.
    await page.goto(`${server.url}/#/bins/${BIN}`);
    await page.reload();
    await banner.waitFor();
    expect(await banner.getAttribute('data-outage')).toBe('store');
    expect(await banner.innerText()).toContain('The data store is unavailable');
    await page.locator('.note-error').waitFor();
    expect(await page.locator('.spinner').count()).toBe(0);

    // So does the list: a reason, not a spinner, and no bin shown from nowhere.
    await page.getByRole('link', { name: 'Bins', exact: true }).click();
    await page.waitForURL(/#\/bins$/);
    await page.locator('.note-error').waitFor();
    expect(await page.locator('.spinner').count()).toBe(0);
    expect(await row.count()).toBe(0);

    // Still away after a few background retries: the notice stays.
    await page.waitForTimeout(4000);
    expect(await banner.isVisible()).toBe(true);

    proxy.restore();
    // No click, no reload: the background retry notices, the notice goes and the list loads.
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await row.waitFor();
    expect(await page.locator('.note-error').count()).toBe(0);
    expect(seen.errors).toEqual([]);
    expect(seen.dialogs).toEqual([]);
  }, 90_000);

  it('says the server is not answering while it is stopped, and loads again once it restarts', async () => {
    const banner = page.locator('.outage-banner');
    const row = page.locator(`tr[data-bin-id="${BIN}"]`);
    await row.waitFor();
    const port = Number(new URL(server.url).port);
    await server.close();

    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await banner.waitFor();
    expect(await banner.getAttribute('data-outage')).toBe('server');
    expect(await banner.innerText()).toContain('The umhooks server is not answering');
    await page.locator('.note-error').waitFor();
    expect(await page.locator('.spinner').count()).toBe(0);

    await page.getByRole('link', { name: 'Bins', exact: true }).click();
    await page.locator('.note-error').waitFor();
    expect(await row.count()).toBe(0);

    server = await startTestServer({ memory: false, store: proxiedStoreUrl, port });
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await row.waitFor();
    expect(seen.errors).toEqual([]);
    expect(seen.dialogs).toEqual([]);
  }, 90_000);
});
