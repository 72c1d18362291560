import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { ensureUiBuilt, hasChromium, launchBrowser, watchPage } from '../../support/browser.js';
import { dropSchemas, hasPostgres, storeUrl, uniqueSchema } from '../../support/postgres.js';
import { startTestServer } from '../../support/server.js';
import { createBin, openRequest, requestRow } from '../browser/ui-helpers.js';

// The browser UI on instance A shows what instance B captures, live — including a request too
// large for NOTIFY, which reaches A only as a refetch notice and is fetched over A's API.

describe.runIf(hasPostgres && hasChromium())('the UI across two instances', () => {
  const schema = uniqueSchema('umhooks_ui');
  let a: RunningServer;
  let b: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureUiBuilt();
    [a, b] = await Promise.all([
      startTestServer({ store: storeUrl(schema) }),
      startTestServer({ store: storeUrl(schema) }),
    ]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([a?.close(), b?.close()]);
    await dropSchemas([schema]);
  });

  it('shows requests captured on B in a bin page opened on A, small and too large for NOTIFY', async () => {
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const seen = watchPage(page);
    const bin = await createBin(a.url, { name: 'Across instances' });
    await page.goto(`${a.url}/#/bins/${bin.id}`);
    await page.locator('.live-open').waitFor();

    const small = await fetch(`${b.url}/b/${bin.id}/small?from=b`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"size":"small"}',
    });
    expect(small.status).toBe(200);
    await requestRow(page, '/small?from=b').waitFor();

    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (let i = 0; i < 10; i++) headers[`x-padding-${i}`] = 'p'.repeat(1000);
    const large = await fetch(`${b.url}/b/${bin.id}/large?from=b`, {
      method: 'POST',
      headers,
      body: '{"size":"large"}',
    });
    expect(large.status).toBe(200);
    await openRequest(page, '/large?from=b');
    expect(await page.locator('.json-view').innerText()).toContain('"size": "large"');

    expect(seen.errors).toEqual([]);
    await page.close();
  });
});
