/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser and use its DOM types.
import { generateSecret, sign } from '@umhooks/core';
import { describe, expect, it } from 'vitest';
import type { BinJson } from '../../../bin-server/src/wire/bin.js';
import type { RequestWithReplaysJson } from '../../../bin-server/src/wire/replay.js';
import type { WebhookJson } from '../../../bin-server/src/wire/sandbox.js';
import { hasChromium, sendRaw } from '../../support/browser.js';
import { useBrowserSession } from './session.js';
import { detailPanel, openRequest, requestRow, showTab } from './ui-helpers.js';

const body = '{"payment_id":7}';

function signedHeaders(secret: string, id: string): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': sign({ secret, id, timestamp, body }),
  };
}

async function call<T>(base: string, method: string, path: string, input?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: input === undefined ? undefined : JSON.stringify(input),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

describe.runIf(hasChromium())('signature at a glance', () => {
  const session = useBrowserSession();

  it('shows the verdict in each row of a bin with a secret, for listed and live requests', async () => {
    const { page, server } = session;
    const secret = generateSecret();
    const bin = await call<BinJson>(server.url, 'POST', '/api/bins', { signing_secret: secret });
    await sendRaw(`${bin.url}/good`, { headers: signedHeaders(secret, 'msg_good'), body });
    await sendRaw(`${bin.url}/forged`, {
      headers: signedHeaders(generateSecret(), 'msg_forged'),
      body,
    });
    await sendRaw(`${bin.url}/plain`, { headers: { 'content-type': 'application/json' }, body });
    await page.goto(`${server.url}/#/bins/${bin.id}`);
    const verdict = (url: string) => requestRow(page, url).locator('.request-row-signature');
    await expect(verdict('/good').innerText()).resolves.toBe('valid sig');
    await expect(verdict('/forged').innerText()).resolves.toBe('invalid sig');
    await expect(verdict('/forged').getAttribute('data-verdict')).resolves.toBe('no-match');
    await expect(verdict('/plain').innerText()).resolves.toBe('unsigned');

    // Arriving live: the verdict comes with the push.
    await page.locator('.live.live-open').waitFor();
    await sendRaw(`${bin.url}/live-good`, { headers: signedHeaders(secret, 'msg_live'), body });
    await sendRaw(`${bin.url}/live-bad`, {
      headers: signedHeaders(generateSecret(), 'msg_live_bad'),
      body,
    });
    await expect.poll(() => verdict('/live-good').innerText()).toBe('valid sig');
    await expect.poll(() => verdict('/live-bad').innerText()).toBe('invalid sig');

    // Without a secret, rows carry no verdict (and the list reloads its verdicts at once).
    await call(server.url, 'PATCH', `/api/bins/${bin.id}`, { signing_secret: null });
    await expect.poll(() => page.locator('.request-row-signature').count()).toBe(0);
    await expect(requestRow(page, '/good').isVisible()).resolves.toBe(true);
  });

  it('hints at a signed request in a bin without a secret, and sets the sandbox webhook’s secret in one click', async () => {
    const { page, server } = session;
    const bin = await call<BinJson>(server.url, 'POST', '/api/bins', { name: 'From the sandbox' });
    const hook = await call<WebhookJson>(server.url, 'POST', '/api/sandbox/webhooks', {
      name: 'Glance hook',
      webhook_url: `${bin.url}/membership_created`,
      event: 'membership_created',
      profile: 'standard',
    });
    const fired = await call<{ deliveries: string[] }>(server.url, 'POST', '/api/sandbox/fire', {
      event: 'membership_created',
    });
    const [deliveryId] = fired.deliveries;

    // A signed request from elsewhere: a hint, but nothing offered.
    await sendRaw(`${bin.url}/elsewhere`, {
      headers: signedHeaders(generateSecret(), 'msg_elsewhere'),
      body,
    });
    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await openRequest(page, '/elsewhere');
    await showTab(page, 'signature');
    const hint = page.locator(`${detailPanel('signature')} [data-testid="signature-hint"]`);
    await expect(hint.innerText()).resolves.toContain('but the bin has no signing secret');
    await expect(hint.innerText()).resolves.toContain('webhook-id');
    expect(await hint.getByRole('button').count()).toBe(0);
    const elsewhere = await page.locator('.request-detail').getAttribute('data-request-id');
    const unknown = await call<RequestWithReplaysJson>(
      server.url,
      'GET',
      `/api/bins/${bin.id}/requests/${elsewhere}`,
    );
    expect(unknown.sandbox).toBeNull();

    // The sandbox's delivery: recognised by its webhook-id, its webhook's secret one click away.
    await openRequest(page, '/membership_created');
    const detail = await page.locator('.request-detail').getAttribute('data-request-id');
    const json = await call<RequestWithReplaysJson>(
      server.url,
      'GET',
      `/api/bins/${bin.id}/requests/${detail}`,
    );
    expect(json.sandbox).toEqual({
      webhook_id: hook.id,
      webhook_name: 'Glance hook',
      profile: 'standard',
      delivery_id: deliveryId,
      secret_matches: false,
    });
    await expect(hint.innerText()).resolves.toContain('Glance hook');
    await expect(hint.innerText()).resolves.toContain(deliveryId!);
    await hint.getByRole('button', { name: 'Check with this webhook’s secret' }).click();
    const verdict = page.locator(`${detailPanel('signature')} [data-testid="signature"]`);
    await expect(verdict.innerText()).resolves.toContain('valid');
    const saved = await call<BinJson>(server.url, 'GET', `/api/bins/${bin.id}`);
    expect(saved.signing_secret).toBe(hook.secret);
    await expect
      .poll(() =>
        requestRow(page, '/membership_created').locator('.request-row-signature').innerText(),
      )
      .toBe('valid sig');

    // Another sandbox webhook's Send Test Event (not logged): recognised by its verifying secret;
    // the bin checks with the first one's, so the second's is offered.
    const other = await call<WebhookJson>(server.url, 'POST', '/api/sandbox/webhooks', {
      name: 'Tester',
      webhook_url: `${bin.url}/tested`,
      event: 'membership_created',
      profile: 'standard',
      active: false,
    });
    await call(server.url, 'POST', `/api/sandbox/webhooks/${other.id}/test`);
    await openRequest(page, '/tested');
    await expect(verdict.innerText()).resolves.toContain('does not verify');
    await expect(hint.innerText()).resolves.toContain('Tester');
    await expect(hint.innerText()).resolves.toContain('a test event');
    await hint.getByRole('button', { name: 'Check with this webhook’s secret' }).click();
    await expect.poll(() => verdict.innerText()).toContain('valid');
    await expect(verdict.innerText()).resolves.not.toContain('does not verify');
    expect((await call<BinJson>(server.url, 'GET', `/api/bins/${bin.id}`)).signing_secret).toBe(
      other.secret,
    );
  });
});
