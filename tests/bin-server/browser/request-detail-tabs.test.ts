/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser and use its DOM types.
import { describe, expect, it } from 'vitest';
import { hasChromium, sendRaw } from '../../support/browser.js';
import { useBrowserSession } from './session.js';
import { createBin, detailPanel, openRequest, showTab } from './ui-helpers.js';

const VIEWPORTS = [
  { width: 1366, height: 850 },
  { width: 390, height: 844 },
];

describe.runIf(hasChromium())('the request detail opens on the body', () => {
  const session = useBrowserSession();

  it('shows the payload without scrolling at 1366×850 and 390×844', async () => {
    const { page, server } = session;
    const bin = await createBin(server.url, { name: 'Body first' });
    // A request with many headers and a query: before the tabs, both came before the body.
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    for (let i = 0; i < 20; i += 1) headers[`X-Extra-${i}`] = `value ${i}`;
    const answer = await sendRaw(`${bin.url}/orders?page=1&sort=desc`, {
      headers,
      body: '{"marker":"first-line-of-the-payload","n":1}',
    });
    const { id } = JSON.parse(answer.body) as { id: string };

    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await page.goto(`${server.url}/#/bins/${bin.id}/${id}`);
      await page.locator(`.request-detail[data-request-id="${id}"]`).waitFor();
      const panel = page.locator(detailPanel('body'));
      await panel.getByText('first-line-of-the-payload').waitFor();
      const seen = await panel.getByText('first-line-of-the-payload').evaluate((el) => {
        const box = el.getBoundingClientRect();
        const pane = el.closest('.detail-pane');
        return {
          inViewport: box.top >= 0 && box.bottom <= innerHeight && box.height > 0,
          scrolled: scrollY + (pane?.scrollTop ?? 0),
        };
      });
      expect({ viewport: viewport.width, ...seen }).toEqual({
        viewport: viewport.width,
        inViewport: true,
        scrolled: 0,
      });
      expect(
        await page.locator('#request-detail-tab-body').getAttribute('aria-selected'),
        `Body tab at ${viewport.width}`,
      ).toBe('true');
    }
  });

  it('switches tabs with the mouse and the arrow keys, and keeps the tab across requests', async () => {
    const { page, server } = session;
    const bin = await createBin(server.url, { name: 'tabs' });
    await sendRaw(`${bin.url}/first?x=1`, { headers: { 'X-First': 'one' }, body: 'first body' });
    await sendRaw(`${bin.url}/second?y=2`, { headers: { 'X-Second': 'two' }, body: 'second' });
    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await openRequest(page, '/first?x=1');

    const tablist = page.getByRole('tablist', { name: 'Request parts' });
    expect(await tablist.getByRole('tab').allInnerTexts()).toEqual([
      'Body',
      expect.stringMatching(/^Headers\s*\d+$/),
      expect.stringMatching(/^Query\s+1$/),
      'Recognition',
      'Signature',
    ]);
    // Each tab names the panel it controls, and the panel is labelled by its tab.
    const body = page.locator('#request-detail-tab-body');
    expect(await body.getAttribute('aria-controls')).toBe('request-detail-panel-body');
    expect(await page.locator(detailPanel('body')).getAttribute('aria-labelledby')).toBe(
      'request-detail-tab-body',
    );
    expect(await page.locator(detailPanel('body')).innerText()).toContain('first body');

    await showTab(page, 'query');
    expect(await page.locator(detailPanel('query')).innerText()).toContain('x');
    expect(await page.locator(detailPanel('body')).count()).toBe(0);

    // Keyboard: arrows move selection and focus, wrapping; Home and End jump.
    await page.locator('#request-detail-tab-query').focus();
    await page.keyboard.press('ArrowLeft');
    await page.locator(detailPanel('headers')).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(
      'request-detail-tab-headers',
    );
    expect(await page.locator(detailPanel('headers')).innerText()).toContain('X-First');
    await page.keyboard.press('End');
    await page.locator(detailPanel('signature')).waitFor();
    await page.keyboard.press('ArrowRight');
    await page.locator(detailPanel('body')).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('request-detail-tab-body');
    await page.keyboard.press('ArrowRight');
    await page.locator(detailPanel('headers')).waitFor();
    // Only the selected tab is in the tab order.
    expect(await tablist.locator('[role="tab"][tabindex="0"]').count()).toBe(1);

    // Moving to another request keeps Headers open, showing that request's headers.
    await openRequest(page, '/second?y=2');
    await page.locator(detailPanel('headers')).getByText('X-Second').waitFor();
    expect(await page.locator('#request-detail-tab-headers').getAttribute('aria-selected')).toBe(
      'true',
    );
    await showTab(page, 'body');
    await openRequest(page, '/first?x=1');
    expect(await page.locator(detailPanel('body')).innerText()).toContain('first body');
  });
});
