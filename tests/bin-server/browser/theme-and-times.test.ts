/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser and use its DOM types.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, sendRaw } from '../../support/browser.js';
import { useBrowserSession } from './session.js';
import { createBin, requestRow } from './ui-helpers.js';

// --bg of the light and dark palettes in bin-server/ui/src/styles/base.css.
const LIGHT = 'rgb(246, 247, 249)';
const DARK = 'rgb(13, 15, 19)';

const background = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.body).backgroundColor);

describe.runIf(hasChromium())('theme and list times, remembered per browser', () => {
  const session = useBrowserSession();

  it('switches the theme, keeps it across reloads, and follows the system on "system"', async () => {
    const { page, server } = session;
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${server.url}/#/bins`);
    const theme = page.getByLabel('Theme');
    await expect(theme.inputValue()).resolves.toBe('system');
    expect(await background(page)).toBe(LIGHT);

    await theme.selectOption('dark');
    expect(await background(page)).toBe(DARK);
    await page.reload();
    await expect(page.getByLabel('Theme').inputValue()).resolves.toBe('dark');
    expect(await background(page)).toBe(DARK);

    // An explicit choice wins over the system's scheme.
    await page.getByLabel('Theme').selectOption('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background(page)).toBe(LIGHT);

    // "system" follows the system, live and after a reload.
    await page.getByLabel('Theme').selectOption('system');
    expect(await background(page)).toBe(DARK);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
    expect(await background(page)).toBe(LIGHT);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await expect(page.getByLabel('Theme').inputValue()).resolves.toBe('system');
    expect(await background(page)).toBe(DARK);
  });

  it('shows list times as local time or time ago, keeps the choice and refreshes by itself', async () => {
    const { page, server } = session;
    const bin = await createBin(server.url);
    await sendRaw(`${bin.url}/clocked`, { body: 'x' });
    await page.clock.install();
    await page.goto(`${server.url}/#/bins/${bin.id}`);
    const time = requestRow(page, '/clocked').locator('.request-row-time');
    await expect(time.innerText()).resolves.toMatch(/^\d\d:\d\d:\d\d$/);

    await page.getByLabel('Times in the list').selectOption('relative');
    await expect(time.innerText()).resolves.toMatch(/^(just now|\d+ s ago)$/);
    await page.reload();
    await expect(page.getByLabel('Times in the list').inputValue()).resolves.toBe('relative');
    await expect(time.innerText()).resolves.toMatch(/^(just now|\d+ s ago)$/);

    // Two minutes later the row says so without a reload or a new render of the list.
    await page.clock.fastForward(125_000);
    await expect.poll(() => time.innerText()).toMatch(/^2 min ago$/);

    await page.getByLabel('Times in the list').selectOption('absolute');
    await expect(time.innerText()).resolves.toMatch(/^\d\d:\d\d:\d\d$/);
    await page.reload();
    await expect(time.innerText()).resolves.toMatch(/^\d\d:\d\d:\d\d$/);
  });
});
