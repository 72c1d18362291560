/// <reference lib="dom" />
// Callbacks passed to page.evaluate and init scripts run in the browser and use its DOM types.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, sendRaw } from '../../support/browser.js';
import { useBrowserSession } from './session.js';
import { createBin, requestRow } from './ui-helpers.js';

declare global {
  interface Window {
    __setHidden(hidden: boolean): void;
    __notifications: Array<{ title: string; body: string | undefined }>;
    __beeps: number;
  }
}

/**
 * Headless Chromium shows every page, always (another tab in front or a minimised window change
 * nothing), so the test hides the tab the way a browser reports it: `document.hidden`,
 * `visibilityState` and a `visibilitychange` event. The UI reads those, unaware of the test.
 */
function visibilitySwitch(): void {
  let hidden = false;
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
  Object.defineProperty(Document.prototype, 'visibilityState', {
    configurable: true,
    get: () => (hidden ? 'hidden' : 'visible'),
  });
  window.__setHidden = (next) => {
    hidden = next;
    document.dispatchEvent(new Event('visibilitychange'));
  };
}

/** Records each notification the page creates, and still creates it with the browser's own API. */
function recordNotifications(): void {
  const Real = window.Notification;
  window.__notifications = [];
  class Recorded extends Real {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      window.__notifications.push({ title, body: options?.body });
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
  Object.defineProperty(Recorded, 'requestPermission', {
    value: Real.requestPermission.bind(Real),
  });
  window.Notification = Recorded;
}

/** Counts tones started through WebAudio (the beep is an oscillator). */
function countBeeps(): void {
  window.__beeps = 0;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (this: OscillatorNode, when?: number) {
    window.__beeps += 1;
    start.call(this, when);
  };
}

const title = (page: Page) => page.evaluate(() => document.title);
const live = (page: Page) => page.locator('.live.live-open').waitFor();
const list = (page: Page) => page.getByRole('listbox');

/** Resolves after the next two frames: effects of what was just painted have run by then. */
async function afterEffects(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))),
      ),
  );
}

async function send(url: string, count: number, prefix = 'n'): Promise<void> {
  for (let i = 1; i <= count; i += 1) {
    const { status } = await sendRaw(`${url}/${prefix}${i}`, { body: `{"i":${i}}` });
    expect(status).toBe(200);
  }
}

describe.runIf(hasChromium())('notifications of new requests', () => {
  const session = useBrowserSession();

  it('counts requests arriving while the tab is hidden in its title, and clears once shown', async () => {
    const { page, server } = session;
    await page.addInitScript(visibilitySwitch);
    const bin = await createBin(server.url, { name: 'Unread' });
    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await live(page);
    await expect.poll(() => title(page)).toMatch(/umhooks$/);
    const base = await title(page);
    expect(base).not.toMatch(/^\(/);

    // Seen as it arrives: no count.
    await send(bin.url, 1, 'seen');
    await requestRow(page, '/seen1').waitFor();
    // The title's count is set by an effect after the row's paint: a count would be there now.
    await afterEffects(page);
    expect(await title(page)).toBe(base);

    await page.evaluate(() => window.__setHidden(true));
    await send(bin.url, 2, 'away');
    await expect.poll(() => title(page)).toBe(`(2) ${base}`);
    await send(bin.url, 1, 'more');
    await expect.poll(() => title(page)).toBe(`(3) ${base}`);

    await page.evaluate(() => window.__setHidden(false));
    await expect.poll(() => title(page)).toBe(base);
    await requestRow(page, '/more1').waitFor();
  });

  it('on a phone, counts arrivals while a request fills the screen, until back at the list', async () => {
    const { page, server } = session;
    await page.setViewportSize({ width: 390, height: 844 });
    const bin = await createBin(server.url);
    await send(bin.url, 1, 'first');
    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await live(page);
    // Opening a bin opens its newest request: on a phone that hides the list.
    await page.locator('.request-detail').waitFor();
    const base = await title(page);
    await send(bin.url, 2, 'unseen');
    await expect.poll(() => title(page)).toBe(`(2) ${base}`);
    await page.locator('.back-to-list').click();
    await expect.poll(() => title(page)).toBe(base);
    await expect(requestRow(page, '/unseen2').isVisible()).resolves.toBe(true);
  });

  it('shows "N new" while the list is scrolled away from the top; a click goes there and clears it', async () => {
    const { page, server } = session;
    const bin = await createBin(server.url);
    await send(bin.url, 40, 'old');
    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await live(page);
    await requestRow(page, '/old40').waitFor();
    const base = await title(page);
    const pill = page.getByTestId('new-pill');

    await list(page).evaluate((el) => el.scrollTo(0, 900));
    await expect.poll(() => list(page).evaluate((el) => el.scrollTop)).toBeGreaterThan(400);
    expect(await pill.count()).toBe(0);

    await send(bin.url, 3, 'fresh');
    await expect.poll(() => pill.innerText()).toBe('3 new');
    // The page is not looking at them: the title counts them as well (set by an effect, after
    // the paint that shows the pill).
    await expect.poll(() => title(page)).toBe(`(3) ${base}`);
    // The rows the reader was looking at stayed where they were.
    expect(await list(page).evaluate((el) => el.scrollTop)).toBeGreaterThan(400);

    await pill.click();
    await pill.waitFor({ state: 'detached' });
    expect(await list(page).evaluate((el) => el.scrollTop)).toBe(0);
    await expect.poll(() => title(page)).toBe(base);
    await expect(requestRow(page, '/fresh3').isVisible()).resolves.toBe(true);
  });

  it('raises a desktop notification when turned on, asking permission only then', async () => {
    const { page, server } = session;
    await page.context().grantPermissions(['notifications'], { origin: server.url });
    await page.addInitScript(visibilitySwitch);
    await page.addInitScript(recordNotifications);
    const bin = await createBin(server.url, { name: 'Desk' });
    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await live(page);

    // Off by default: a request in a hidden tab raises nothing.
    await page.evaluate(() => window.__setHidden(true));
    await send(bin.url, 1, 'quiet');
    await expect.poll(() => title(page)).toMatch(/^\(1\) /);
    expect(await page.evaluate(() => window.__notifications)).toEqual([]);
    await page.evaluate(() => window.__setHidden(false));

    await page.locator('.alerts-menu summary').click();
    const toggle = page.getByLabel('Desktop notification');
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await expect.poll(() => toggle.isChecked()).toBe(true);

    await page.evaluate(() => window.__setHidden(true));
    await send(bin.url, 1, 'loud');
    await expect
      .poll(() => page.evaluate(() => window.__notifications))
      .toEqual([{ title: 'New request in Desk', body: 'POST /loud1' }]);

    // Remembered for this bin in this browser, not for other bins.
    await page.reload();
    await page.locator('.alerts-menu summary').click();
    expect(await page.getByLabel('Desktop notification').isChecked()).toBe(true);
    const other = await createBin(server.url);
    await page.goto(`${server.url}/#/bins/${other.id}`);
    await page.locator('.alerts-menu summary').click();
    expect(await page.getByLabel('Desktop notification').isChecked()).toBe(false);
  });

  it('beeps on arrivals when the sound is turned on, and keeps that choice', async () => {
    const { page, server } = session;
    await page.addInitScript(countBeeps);
    const bin = await createBin(server.url);
    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await live(page);

    await send(bin.url, 1, 'silent');
    await requestRow(page, '/silent1').waitFor();
    expect(await page.evaluate(() => window.__beeps)).toBe(0);

    await page.locator('.alerts-menu summary').click();
    await page.getByLabel('Sound').check();
    await page.reload();
    await live(page);
    await page.locator('.alerts-menu summary').click();
    expect(await page.getByLabel('Sound').isChecked()).toBe(true);
    await expect(page.locator('.alerts-menu summary').innerText()).resolves.toContain('Alerts on');

    await send(bin.url, 1, 'beep');
    await requestRow(page, '/beep1').waitFor();
    await expect.poll(() => page.evaluate(() => window.__beeps)).toBe(1);

    await page.getByLabel('Sound').uncheck();
    await page.reload();
    await live(page);
    await send(bin.url, 1, 'hush');
    await requestRow(page, '/hush1').waitFor();
    expect(await page.evaluate(() => window.__beeps)).toBe(0);
  });
});
