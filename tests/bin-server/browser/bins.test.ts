/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser and use its DOM types.
import fs from 'node:fs';
import { generateSecret, sign } from '@umhooks/core';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { hasChromium, sendRaw } from '../../support/browser.js';
import { useBrowserSession } from './session.js';
import { createBin, detailPanel, kvPairs, openRequest, showTab, tableRows } from './ui-helpers.js';

interface FixtureEvent {
  id: string;
  payload_example: Record<string, unknown>;
}
const fixture = JSON.parse(
  fs.readFileSync(new URL('../../fixtures/events.json', import.meta.url), 'utf8'),
) as {
  events: FixtureEvent[];
};
const paymentReceived = fixture.events.find((e) => e.id === 'payment_received')!.payload_example;

describe.runIf(hasChromium())('bins in the browser', () => {
  const session = useBrowserSession();
  let server: RunningServer;
  let page: Page;
  beforeEach(() => {
    ({ server, page } = session);
  });

  it('creates a bin and shows a request sent to it without reloading', async () => {
    await page.goto(`${server.url}/#/bins`);
    await page.getByLabel('Name', { exact: true }).fill('Browser test');
    await page.getByLabel('Custom id', { exact: true }).fill('browser-live-1');
    await page.getByRole('button', { name: 'Create bin' }).click();
    await page.waitForURL(/#\/bins\/browser-live-1$/);
    const captureUrl = (await page.getByTestId('capture-url').innerText()).trim();
    expect(captureUrl).toBe(`${server.url}/b/browser-live-1`);
    await page.locator('.live-open').waitFor();
    await page.evaluate(() => Object.assign(window, { stillTheSamePage: true }));

    const response = await fetch(`${captureUrl}/orders?n=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"hello":"live"}',
    });
    expect(response.status).toBe(200);

    await openRequest(page, '/orders?n=1');
    expect(await page.locator('.json-view').innerText()).toContain('"hello": "live"');
    expect(await page.evaluate(() => 'stillTheSamePage' in window)).toBe(true);

    // The bins list shows the new bin with its URL and count.
    await page.goto(`${server.url}/#/bins`);
    const row = page.locator('tr[data-bin-id="browser-live-1"]');
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('Browser test');
    expect(text).toContain(captureUrl);
    expect(text).toMatch(/\b1\b/);
  });

  it('shows headers, query and every kind of body as received', async () => {
    const bin = await createBin(server.url, { name: 'detail views' });
    await sendRaw(`${bin.url}/json-check?a=1&a=2&msg=hello%20world`, {
      headers: {
        'Content-Type': 'application/json',
        'X-Dup': ['first', 'second'],
        'X-Case-Kept': 'Yes',
      },
      body: '{"nested":{"n":1},"list":[1,2],"big":12345678901234567890}',
    });
    await sendRaw(`${bin.url}/binary`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: Uint8Array.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x41]),
    });
    await sendRaw(`${bin.url}/form`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'name=Jane+Doe&tag=a&tag=b&note=50%25+off',
    });
    const boundary = 'umhooksBoundary42';
    const fileBytes = Uint8Array.from([0, 1, 2, 250]);
    const multipart = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nHello parts\r\n`,
      ),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="data.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.from(fileBytes),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    await sendRaw(`${bin.url}/multipart`, {
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body: multipart,
    });
    await sendRaw(`${bin.url}/event`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(paymentReceived),
    });
    await sendRaw(`${bin.url}/payment_received`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(paymentReceived),
    });

    await page.goto(`${server.url}/#/bins/${bin.id}`);

    await openRequest(page, '/json-check?a=1&a=2&msg=hello%20world');
    await showTab(page, 'headers');
    const headers = await kvPairs(page, `${detailPanel('headers')} table`);
    expect(headers.filter(([name]) => name === 'X-Dup')).toEqual([
      ['X-Dup', 'first'],
      ['X-Dup', 'second'],
    ]);
    expect(headers.map(([name]) => name)).toContain('X-Case-Kept');
    await showTab(page, 'query');
    expect(await kvPairs(page, `${detailPanel('query')} table`)).toEqual([
      ['a', '1'],
      ['a', '2'],
      ['msg', 'hello world'],
    ]);
    await showTab(page, 'body');
    const json = await page.locator('.body-content[data-view="json"] .json-view').innerText();
    expect(json).toContain('"nested": {');
    expect(json).toContain('"n": 1');
    // Numbers are shown as received, not rounded by JSON.parse.
    expect(json).toContain('12345678901234567890');

    await openRequest(page, '/binary');
    const hex = await page.locator('.body-content[data-view="hex"] pre').innerText();
    expect(hex).toContain('00000000  ff fe 00 01 80 41');

    await openRequest(page, '/form');
    expect(await kvPairs(page, '.body-content[data-view="form"] table')).toEqual([
      ['name', 'Jane Doe'],
      ['tag', 'a'],
      ['tag', 'b'],
      ['note', '50% off'],
    ]);

    await openRequest(page, '/multipart');
    const parts = await tableRows(page, '.body-content[data-view="parts"] table');
    expect(parts).toHaveLength(2);
    expect(parts[0]!.slice(1, 4)).toEqual(['title', '—', 'text/plain (default)']);
    expect(parts[0]![5]).toBe('Hello parts');
    expect(parts[1]!.slice(1, 5)).toEqual([
      'upload',
      'data.bin',
      'application/octet-stream',
      '4 B',
    ]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('tr[data-part-name="upload"] button', { hasText: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('data.bin');
    expect([...fs.readFileSync((await download.path())!)]).toEqual([...fileBytes]);

    // A live payment_received body has exactly the keys of payment_created/updated without their
    // (optional, empty) billing fields: the badge names every event it can be.
    await openRequest(page, '/event');
    const eventId = await page.locator('.request-row.is-selected').getAttribute('data-request-id');
    const stored = (await (
      await fetch(`${server.url}/api/bins/${bin.id}/requests/${eventId}`)
    ).json()) as {
      recognition: { candidates: Array<{ event: string; score: number }> };
    };
    const best = stored.recognition.candidates.filter(
      (c) => c.score === stored.recognition.candidates[0]!.score,
    );
    expect(best.map((c) => c.event)).toContain('payment_received');
    // The row names the first and counts the others; its title names them all.
    const badge = page.locator('.request-row.is-selected .event-badge');
    expect((await badge.innerText()).trim()).toBe(`${best[0]!.event} +${best.length - 1}`);
    expect(await badge.getAttribute('title')).toContain(best.map((c) => c.event).join(' or '));
    await showTab(page, 'recognition');
    expect(await page.locator('.recognition').innerText()).toContain(
      'Valid payment_received payload',
    );

    // Naming the event in the URL settles it, and the body is checked against it.
    await openRequest(page, '/payment_received');
    expect((await page.locator('.request-row.is-selected .event-badge').innerText()).trim()).toBe(
      'payment_received',
    );
    const recognition = await page.locator('.recognition').innerText();
    expect(recognition).toContain('Expected (from the URL)');
    expect(recognition).toContain('matches');
  });

  it('checks signatures with the secret set in the Signature dialog', async () => {
    const bin = await createBin(server.url, { name: 'signed sender' });
    const secret = generateSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const body = '{"payment_id":7}';
    const signed = (id: string, payload: string) => ({
      'Content-Type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign({ secret, id, timestamp, body: payload }),
    });
    await sendRaw(`${bin.url}/good`, { headers: signed('msg_good', body), body });
    await sendRaw(`${bin.url}/tampered`, {
      headers: signed('msg_bad', body),
      body: '{"payment_id":8}',
    });

    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await openRequest(page, '/good');
    // No secret yet: the Signature tab says the signed request was not checked, and carries no
    // verdict.
    await showTab(page, 'signature');
    expect(await page.getByTestId('signature').count()).toBe(0);
    expect(await page.getByTestId('signature-hint').innerText()).toContain('no signing secret');
    expect(await page.locator('#request-detail-tab-signature').innerText()).toBe('Signature');

    await page.getByRole('button', { name: 'Signature', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Signature check' });
    await dialog.getByLabel('Signing secret', { exact: true }).fill('not a secret');
    await dialog.getByRole('button', { name: 'Save secret' }).click();
    await dialog.getByText(/"whsec_" followed by the base64 key/).waitFor();
    await dialog.getByLabel('Signing secret', { exact: true }).fill(secret);
    await dialog.getByRole('button', { name: 'Save secret' }).click();
    await dialog.waitFor({ state: 'detached' });

    const good = page.getByTestId('signature');
    await good.getByText('valid', { exact: true }).waitFor();
    expect(await good.innerText()).toContain('message msg_good');
    expect(await page.locator('#request-detail-tab-signature').innerText()).toMatch(/valid$/);
    await openRequest(page, '/tampered');
    const bad = page.getByTestId('signature');
    await bad.getByText('does not verify').waitFor();
    expect(await bad.innerText()).toContain('the body was changed');
    expect(await page.locator('#request-detail-tab-signature').innerText()).toMatch(/fails$/);

    await page.getByRole('button', { name: 'Signature', exact: true }).click();
    await page.getByRole('button', { name: 'Remove secret' }).click();
    await page.getByRole('dialog', { name: 'Signature check' }).waitFor({ state: 'detached' });
    await page.getByTestId('signature').waitFor({ state: 'detached' });
  });

  it('moves through the list with the keyboard', async () => {
    const bin = await createBin(server.url);
    for (const name of ['first', 'second', 'third'])
      await sendRaw(`${bin.url}/${name}`, { body: name });
    await page.goto(`${server.url}/#/bins/${bin.id}`);
    // Opening a bin shows its newest request.
    await page.locator('.request-detail', { hasText: '/third' }).waitFor();
    await page.locator('.virtual-list').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('.request-detail', { hasText: '/first' }).waitFor();
    const selected = await page.locator('.request-row.is-selected').getAttribute('data-request-id');
    expect(page.url()).toContain(`#/bins/${bin.id}/${selected}`);
  });
});
