/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { runScenario } from '@umhooks/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { hasChromium } from '../../support/browser.js';
import { startReceiver, type Receiver } from '../../support/receiver.js';
import { useBrowserSession } from './session.js';

describe.runIf(hasChromium())('the Scenarios section of the Events page', () => {
  const session = useBrowserSession();
  let server: RunningServer;
  let page: Page;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver(() => ({ body: '{"ok":true}' }));
  });
  afterAll(async () => {
    await receiver.close();
  });
  beforeEach(() => {
    ({ server, page } = session);
  });

  it('runs signup and shows the timeline with what each webhook got, live', async () => {
    for (const event of ['customer_created', 'payment_received', 'site_published']) {
      const res = await fetch(`${server.url}/api/sandbox/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: `Zap ${event}`,
          webhook_url: `${receiver.url}/${event}`,
          event,
        }),
      });
      expect(res.status).toBe(201);
    }
    await page.goto(`${server.url}/#/events`);
    await page.getByRole('link', { name: /Scenarios/ }).click();
    await page.waitForURL(/#\/events\/scenarios$/);
    await page.getByRole('heading', { name: 'Scenarios' }).waitFor();
    await page.getByRole('radio', { name: 'signup' }).click();
    await page.getByLabel('Seed').fill('4242');
    await page.getByLabel('Overrides').fill('customer_name=Ada Lovelace');
    await page.getByRole('button', { name: 'Run signup' }).click();

    const steps = page.locator('.scenario-step');
    await page
      .getByRole('heading', { name: /Fired 10 events \(seed 4242\) — 3 deliveries/ })
      .waitFor();
    const expected = runScenario('signup', {
      seed: 4242,
      overrides: { set: { customer_name: 'Ada Lovelace' } },
    }).steps;
    expect(
      await steps.evaluateAll((els) => els.map((el) => el.getAttribute('data-event'))),
    ).toEqual(expected.map((s) => s.event));
    const first = steps.first();
    expect(await first.innerText()).toContain(expected[0]!.at);
    expect(await first.innerText()).toContain('Zap customer_created');
    expect(await steps.nth(3).innerText()).toContain('No active webhook subscribes to it.');
    // Each delivery turns Succeeded with the receiver's status as the dispatcher records it.
    const delivered = page.locator('.scenario-delivery .pill-succeeded');
    await expect.poll(() => delivered.count(), { timeout: 15_000 }).toBe(3);
    expect(await page.locator('.scenario-delivery').first().innerText()).toContain('200');
    await receiver.waitFor(3);
    const names = receiver.received.map(
      (r) => (JSON.parse(r.body.toString('utf8')) as { customer_name: string }).customer_name,
    );
    expect(names).toEqual(['Ada Lovelace', 'Ada Lovelace', 'Ada Lovelace']);

    // The payload of a step is there to read.
    await steps.last().getByText('Payload').click();
    expect(await steps.last().locator('.code-frame').innerText()).toContain('site_url');
  });

  it('says what is wrong with an override the schema refuses', async () => {
    await page.goto(`${server.url}/#/events/scenarios`);
    await page.getByRole('radio', { name: 'renewal', exact: true }).click();
    await page.getByLabel('Overrides').fill('payment_total_raw=lots');
    await page.getByRole('button', { name: 'Run renewal' }).click();
    const alert = page.locator('.scenario-error');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('payment_total_raw should be a number, got "lots"');
  });
});
