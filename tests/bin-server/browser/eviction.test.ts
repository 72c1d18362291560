import { describe, expect, it } from 'vitest';
import type { BinJson } from '../../../bin-server/src/wire/bin.js';
import { hasChromium, sendRaw } from '../../support/browser.js';
import { createBin, openRequest } from './ui-helpers.js';
import { useBrowserSession } from './session.js';

describe.runIf(hasChromium())('a bin at its request limit', () => {
  const session = useBrowserSession();

  /** Sends `/r<from>` … `/r<to>`; returns their request ids by number. */
  async function send(bin: BinJson, from: number, to: number): Promise<Map<number, string>> {
    const ids = new Map<number, string>();
    for (let i = from; i <= to; i++) {
      const answer = await sendRaw(`${bin.url}/r${i}`, { body: String(i) });
      ids.set(i, (JSON.parse(answer.body) as { id: string }).id);
    }
    return ids;
  }

  it('says what it dropped, lets its limit be set, and says so of an evicted request', async () => {
    const { page, server } = session;
    const bin = await createBin(server.url, { name: 'small bin' });
    await fetch(`${server.url}/api/bins/${bin.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ max_requests: 5 }),
    });
    const ids = await send(bin, 1, 8);

    await page.goto(`${server.url}/#/bins/${bin.id}`);
    const count = page.getByTestId('bin-count');
    await page.locator('.request-row').first().waitFor();
    expect((await count.innerText()).trim()).toBe('newest 5 of 8 kept');
    expect(await page.locator('.request-row').count()).toBe(5);

    // The limit, set in the UI (up to the server's --max-requests, 500 here).
    await page.getByRole('button', { name: 'Requests kept: 5' }).click();
    const dialog = page.getByRole('dialog', { name: 'Requests kept' });
    const input = dialog.getByLabel('Keep the newest');
    expect(await input.getAttribute('max')).toBe('500');
    await input.fill('3');
    expect(await dialog.innerText()).toContain('Saving drops the 2 oldest requests now.');
    await dialog.getByRole('button', { name: 'Save limit' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Requests kept: 3' }).waitFor();
    expect((await count.innerText()).trim()).toBe('newest 3 of 8 kept');
    await expect.poll(() => page.locator('.request-row').count()).toBe(3);

    // The open request is pushed out by a live arrival: the detail says so, with no Raw link.
    await openRequest(page, '/r6');
    await send(bin, 9, 9);
    await page.getByTestId('request-evicted').waitFor();
    expect(await page.getByTestId('request-evicted').innerText()).toContain('#6');
    expect(await page.getByRole('link', { name: 'Raw' }).count()).toBe(0);
    expect((await count.innerText()).trim()).toBe('newest 3 of 9 kept');

    // Opened by its URL after it was evicted: gone, and no Raw link either.
    await page.goto(`${server.url}/#/bins/${bin.id}/${ids.get(1)}`);
    await page.getByText('This request is gone').waitFor();
    expect(await page.getByRole('link', { name: 'Raw' }).count()).toBe(0);
  });
});
