import { describe, expect, it } from 'vitest';
import { hasChromium, sendRaw } from '../../support/browser.js';
import { createBin, openRequest, requestRow, showTab } from './ui-helpers.js';
import { useBrowserSession } from './session.js';

describe.runIf(hasChromium())('recognition and JSON errors in the bin page', () => {
  const session = useBrowserSession();

  it('speaks of the expected event, and shows no weak best guess as a look-alike', async () => {
    const { page, server } = session;
    const bin = await createBin(server.url, { name: 'expected event' });
    const json = { 'Content-Type': 'application/json' };
    await sendRaw(`${bin.url}/membership_created`, { headers: json, body: '{"membership_id":1}' });
    await sendRaw(`${bin.url}/guess`, { headers: json, body: '{"membership_id":1}' });

    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await openRequest(page, '/membership_created');
    await showTab(page, 'recognition');
    const panel = await page.locator('.recognition').innerText();
    expect(panel).toContain('Expected (from the URL)');
    expect(panel).toContain('membership_created');
    expect(panel).toContain('against membership_created');
    // The keys listed are the expected event's, and no payment event is named anywhere.
    expect(panel).toContain('Keys of membership_created');
    expect(panel).toContain('membership_status');
    expect(panel).not.toMatch(/payment/);
    expect(panel).not.toContain('Body looks like');
    expect(
      (await requestRow(page, '/membership_created').locator('.event-badge').innerText()).trim(),
    ).toMatch(/^membership_created/);

    // Without an expected event, a 6% guess is no recognition at all.
    await openRequest(page, '/guess');
    expect(await requestRow(page, '/guess').locator('.event-badge').count()).toBe(0);
    // The Recognition tab stays open from the request before, and says so instead.
    await page.getByTestId('no-recognition').waitFor();
    expect(await page.locator('.recognition').count()).toBe(0);
  });

  it('shows where a JSON body stops parsing and marks its row', async () => {
    const { page, server } = session;
    const bin = await createBin(server.url, { name: 'broken json' });
    const body = '{\n  "payment_id": 1,\n  "amount": 2,,\n  "x": 3\n}';
    await sendRaw(`${bin.url}/broken`, { headers: { 'Content-Type': 'application/json' }, body });
    await sendRaw(`${bin.url}/fine`, {
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });

    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await openRequest(page, '/broken');
    const note = page.getByTestId('json-error');
    expect(await note.innerText()).toMatch(/Not valid JSON.*line 3, column 15/s);
    expect(await note.locator('mark').innerText()).toBe(',');
    expect((await requestRow(page, '/broken').innerText()).toLowerCase()).toContain('invalid json');
    // The raw text is still there to read.
    expect(await page.locator('.body-toolbar [role="tab"]').allInnerTexts()).toContain('Raw');

    await openRequest(page, '/fine');
    expect(await page.getByTestId('json-error').count()).toBe(0);
    expect((await requestRow(page, '/fine').innerText()).toLowerCase()).not.toContain(
      'invalid json',
    );
  });
});
