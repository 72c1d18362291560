/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import type { RulesJson } from '../../../bin-server/src/wire/rules.js';
import { hasChromium, sendRaw } from '../../support/browser.js';
import { useBrowserSession } from './session.js';
import { createBin, openRequest } from './ui-helpers.js';

describe.runIf(hasChromium())('the rules editor in the Response dialog', () => {
  const session = useBrowserSession();
  let server: RunningServer;
  let page: Page;
  beforeEach(() => {
    ({ server, page } = session);
  });

  it('adds, reorders and deletes rules, previews a captured request as text, and saves', async () => {
    const bin = await createBin(server.url, { name: 'ruled' });
    await sendRaw(`${bin.url}/orders/7?x=1`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ site: { id: 3 }, note: '<img src=x onerror=alert(1)>' }),
    });

    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await openRequest(page, '/orders/7?x=1');
    await page.getByRole('button', { name: 'Response' }).click();
    const dialog = page.getByRole('dialog', { name: 'Response to senders' });

    // Three rules: an orders template, a catch-all to delete, and a PUT rule moved first.
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await dialog.getByLabel('Rule 1 name', { exact: true }).fill('orders');
    await dialog.getByLabel('Rule 1 path', { exact: true }).fill('/orders/*');
    await dialog.getByLabel('Rule 1 Query', { exact: true }).fill('x = 1');
    await dialog.getByLabel('Rule 1 status', { exact: true }).fill('201');
    await dialog
      .getByLabel('Rule 1 body', { exact: true })
      .fill('site {{json.site.id}}: {{json.note}}');
    await dialog.getByLabel('Rule 1 body is a template', { exact: true }).check();
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await dialog.getByLabel('Rule 2 name', { exact: true }).fill('doomed');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await dialog.getByLabel('Rule 3 name', { exact: true }).fill('puts');
    await dialog.getByLabel('Rule 3 methods', { exact: true }).fill('put');
    await dialog.getByLabel('Rule 3 failure', { exact: true }).selectOption('fail_first');
    await dialog.getByLabel('Rule 3 failures', { exact: true }).fill('2');
    await dialog.getByRole('button', { name: 'Delete rule 2' }).click();
    await dialog.getByRole('button', { name: 'Move rule 2 up' }).click();
    expect(await dialog.getByLabel('Rule 1 name', { exact: true }).inputValue()).toBe('puts');
    expect(await dialog.getByLabel('Rule 2 name', { exact: true }).inputValue()).toBe('orders');
    expect(await dialog.getByLabel('Rule 2 Query', { exact: true }).inputValue()).toBe('x = 1');

    // The preview uses the unsaved rules; the body shows as text, never as markup.
    await dialog.getByRole('button', { name: 'Preview', exact: true }).click();
    const result = dialog.getByLabel('Preview result');
    await result.getByText('Rule 2 “orders” answers 201.').waitFor();
    expect(await result.locator('pre').innerText()).toBe('site 3: <img src=x onerror=alert(1)>');
    expect(await result.locator('img').count()).toBe(0);

    // A bad rule is refused naming its field; fixed, it saves.
    await dialog.getByLabel('Rule 2 path', { exact: true }).fill('/orders/[');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByRole('alert').getByText('rules.1.match.path').waitFor();
    await dialog.getByLabel('Rule 2 path', { exact: true }).fill('/orders/*');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    const saved = (await (
      await fetch(`${server.url}/api/bins/${bin.id}/rules`)
    ).json()) as RulesJson;
    expect(saved.rules.map((r) => [r.name, r.match, r.fault ?? null])).toEqual([
      ['puts', { methods: ['PUT'] }, { kind: 'fail_first', count: 2, status: 503 }],
      ['orders', { path: '/orders/*', query: [{ field: 'x', equals: '1' }] }, null],
    ]);

    // A new request is answered by the rule, and its detail says so.
    const reply = await sendRaw(`${bin.url}/orders/8?x=1`, {
      headers: { 'Content-Type': 'application/json' },
      body: '{"site":{"id":4},"note":"n"}',
    });
    expect(reply.status).toBe(201);
    await openRequest(page, '/orders/8?x=1');
    expect(await page.getByLabel('Answered by').innerText()).toBe('rule 2 “orders”: 201');
  });
});
