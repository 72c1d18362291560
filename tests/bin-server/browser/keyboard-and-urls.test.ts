/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser and use its DOM types.
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { hasChromium, sendRaw } from '../../support/browser.js';
import { useBrowserSession } from './session.js';
import { createBin } from './ui-helpers.js';

const IMG = '<img src=x onerror=alert(1)>';

/** The path of the request open in the detail view. */
async function openedPath(page: Page): Promise<string> {
  const id = await page.locator('.request-row.is-selected').getAttribute('data-request-id');
  return page.locator(`.request-row[data-request-id="${id}"] .request-row-path`).innerText();
}

describe.runIf(hasChromium())('keyboard shortcuts and filters in the URL', () => {
  const session = useBrowserSession();
  let server: RunningServer;
  let page: Page;
  beforeEach(() => {
    ({ server, page } = session);
  });

  it('focuses search with /, moves with j and k, and lists the shortcuts with ?', async () => {
    const bin = await createBin(server.url);
    // Each body holds "jk", so the search typed below (debounced) keeps every row listed.
    for (const name of ['first', 'second', 'third'])
      await sendRaw(`${bin.url}/${name}`, { body: `${name} jk` });
    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await page.locator('.request-detail', { hasText: '/third' }).waitFor();
    await page.locator('.request-row.is-selected').waitFor();

    await page.keyboard.press('j');
    await page.locator('.request-detail', { hasText: '/second' }).waitFor();
    expect(await openedPath(page)).toBe('/second');
    await page.keyboard.press('j');
    await page.locator('.request-detail', { hasText: '/first' }).waitFor();
    await page.keyboard.press('k');
    await page.locator('.request-detail', { hasText: '/second' }).waitFor();
    expect(await openedPath(page)).toBe('/second');

    // With a modifier the key is the browser's, not ours.
    await page.keyboard.press('Control+j');
    await page.keyboard.press('Alt+k');
    expect(await openedPath(page)).toBe('/second');

    await page.keyboard.press('/');
    const search = page.getByRole('searchbox', { name: 'Search requests' });
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
    // Typing in the field types: j and k are letters there, not moves.
    await page.keyboard.type('jk');
    expect(await search.inputValue()).toBe('jk');
    expect(await openedPath(page)).toBe('/second');
    await search.fill('');
    await search.blur();

    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    const listed = await dialog.innerText();
    for (const text of ['Search the requests', 'next', 'previous', 'Show these shortcuts'])
      expect(listed).toContain(text);
    // While it is open, j does not move the list behind it.
    await page.keyboard.press('j');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await openedPath(page)).toBe('/second');
  });

  it('keeps the filters in the URL, restores them on reload and back, and marks matches', async () => {
    const bin = await createBin(server.url);
    await sendRaw(`${bin.url}/plain`, { body: 'nothing to see' });
    await sendRaw(`${bin.url}/order`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'Completed', note: 'completed twice: COMPLETED' }),
    });
    await sendRaw(`${bin.url}/other`, { method: 'PUT', body: 'completed but PUT' });
    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await page.locator('.request-detail', { hasText: '/other' }).waitFor();

    await page.getByRole('searchbox', { name: 'Search requests' }).fill('completed');
    await page.waitForURL(/\?q=completed$/);
    await page.getByLabel('Method').selectOption('POST');
    await page.waitForURL(/\?q=completed&method=POST$/);
    const filteredUrl = page.url();
    await page.locator('.request-row', { hasText: '/order' }).waitFor();
    expect(await page.locator('.request-row .request-row-path').allInnerTexts()).toEqual([
      '/order',
    ]);

    // Reloading the address restores the filter and the filtered list.
    await page.reload();
    await page.locator('.request-row', { hasText: '/order' }).waitFor();
    expect(await page.getByRole('searchbox', { name: 'Search requests' }).inputValue()).toBe(
      'completed',
    );
    expect(await page.getByLabel('Method').inputValue()).toBe('POST');
    expect(await page.locator('.request-row .request-row-path').allInnerTexts()).toEqual([
      '/order',
    ]);

    // Opening a request keeps the filters in its address.
    await page.locator('.request-row', { hasText: '/order' }).click();
    await page.waitForURL(new RegExp(`#/bins/${bin.id}/[^?]+\\?q=completed&method=POST$`));
    const marks = page.locator('.body-content mark');
    await marks.first().waitFor();
    expect(await marks.allInnerTexts()).toEqual(['Completed', 'completed', 'COMPLETED']);

    // Back goes to the filtered list without the open request, then to the search only.
    await page.goBack();
    await page.waitForURL(filteredUrl);
    await page.goBack();
    await page.waitForURL(/\?q=completed$/);
    expect(await page.getByLabel('Method').inputValue()).toBe('');
    await page.locator('.request-row', { hasText: '/other' }).waitFor();
    expect(await page.getByRole('searchbox', { name: 'Search requests' }).inputValue()).toBe(
      'completed',
    );
  });

  it('marks a search in a hostile body as text, and nothing runs', async () => {
    const bin = await createBin(server.url);
    await sendRaw(`${bin.url}/evil`, {
      headers: { 'Content-Type': 'text/plain' },
      body: `before ${IMG} after`,
    });
    await page.goto(`${server.url}/#/bins/${bin.id}?q=img`);
    await page.locator('.request-row', { hasText: '/evil' }).click();
    const raw = page.locator('.body-content .raw-view');
    await raw.locator('mark').first().waitFor();
    expect(await raw.locator('mark').allInnerTexts()).toEqual(['img']);
    expect(await raw.innerText()).toBe(`before ${IMG} after`);
    expect(await page.locator('.body-content img').count()).toBe(0);
    // The session's hooks fail the test had an alert opened or a script error happened.
  });
});
