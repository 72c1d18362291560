// Sites that are not a well-behaved Ultimate Multisite: a capture bin stands in for them (it answers
// any path with the response it is configured with, and records what the app sent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appError, appTester, hookOperation, type Item } from './helpers.js';
import { startSandbox, type Sandbox } from '../support/sandbox.js';

interface BinJson {
  id: string;
  url: string;
}
interface RequestJson {
  method: string;
  path: string;
  headers: Array<[string, string]>;
  body_text: string | null;
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

/** A "site" whose every URL answers `status` with `body`. */
async function fakeSite(
  status: number,
  body: string,
  contentType = 'application/json',
): Promise<BinJson> {
  const created = await sandbox.api<BinJson>('POST', '/bins', {
    response: { status, headers: [['content-type', contentType]], body },
  });
  expect(created.status).toBe(201);
  return created.json;
}

async function lastRequest(bin: BinJson): Promise<RequestJson> {
  const latest = await sandbox.api<RequestJson>('GET', `/bins/${bin.id}/requests/latest`);
  expect(latest.status).toBe(200);
  return latest.json;
}

function header(request: RequestJson, name: string): string | undefined {
  return request.headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

const authFor = (bin: BinJson) => ({
  site_url: bin.url,
  api_key: 'the-key',
  api_secret: 'the-secret',
});

describe('a site that registers no events (an older plugin)', () => {
  it("falls back to the catalog's sample for performList, and sends the key pair as HTTP Basic", async () => {
    const site = await fakeSite(200, '{}');
    const operation = hookOperation('payment_received');
    const items = (await appTester(operation.performList, { authData: authFor(site) })) as Item[];
    expect(items).toEqual([operation.sample]);

    const request = await lastRequest(site);
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/wp-json/wu/v2/hooks');
    expect(header(request, 'authorization')).toBe(
      `Basic ${Buffer.from('the-key:the-secret').toString('base64')}`,
    );
    expect(header(request, 'accept')).toBe('application/json');
  });

  it('offers no events in the New Event dropdown', async () => {
    const site = await fakeSite(200, '{}');
    expect(
      await appTester(hookOperation('event_choices').perform, { authData: authFor(site) }),
    ).toEqual([]);
  });
});

describe('errors', () => {
  it("carries the plugin's own code and message", async () => {
    const site = await fakeSite(
      400,
      JSON.stringify({
        code: 'wu_rest_webhook_invalid_set_method',
        message: 'Unknown field foo.',
        data: { status: 400 },
      }),
    );
    const error = await appError(
      appTester(hookOperation('payment_received').performSubscribe, {
        authData: authFor(site),
        targetUrl: 'https://hooks.zapier.com/hooks/standard/1/abc/',
      }),
    );
    expect(error.code).toBe('wu_rest_webhook_invalid_set_method');
    expect(error.status).toBe(400);
    expect(error.message).toContain('Unknown field foo.');
    expect(error.message).toContain('POST');
    // The request line names the URL but never the credentials.
    expect(error.message).not.toContain('the-secret');
    // What the plugin's REST API receives for a new Zap: exactly these five fields.
    const sent = await lastRequest(site);
    expect(header(sent, 'content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(sent.body_text ?? 'null')).toEqual({
      name: 'Zapier: Payment Received',
      webhook_url: 'https://hooks.zapier.com/hooks/standard/1/abc/',
      event: 'payment_received',
      integration: 'zapier',
      active: true,
    });
  });

  it('says when an answer is not the plugin at all (an HTML error page)', async () => {
    const site = await fakeSite(500, '<html><body>Oops</body></html>', 'text/html');
    const error = await appError(
      appTester(hookOperation('event_choices').perform, { authData: authFor(site) }),
    );
    expect(error.code).toBe('HttpError');
    expect(error.message).toContain('not an Ultimate Multisite error');
  });

  it('does not count an HTML 404 as an already deleted webhook', async () => {
    const site = await fakeSite(404, '<html>Not Found</html>', 'text/html');
    const error = await appError(
      appTester(hookOperation('payment_received').performUnsubscribe, {
        authData: authFor(site),
        subscribeData: { id: '7' },
      }),
    );
    expect(error.code).toBe('NotFound');
    expect((await lastRequest(site)).path).toBe('/wp-json/wu/v2/webhook/7');
  });

  it("counts the plugin's JSON 404 as already deleted", async () => {
    const site = await fakeSite(
      404,
      JSON.stringify({
        code: 'wu_rest_webhook_invalid_id',
        message: 'Item not found.',
        data: { status: 404 },
      }),
    );
    const result = await appTester(hookOperation('payment_received').performUnsubscribe, {
      authData: authFor(site),
      subscribeData: { id: 7 },
    });
    expect(result).toEqual({ id: '7', deleted: false });
  });

  it('refuses an unsubscribe without a webhook id instead of calling DELETE /webhook/undefined', async () => {
    const site = await fakeSite(200, 'true');
    const error = await appError(
      appTester(hookOperation('payment_received').performUnsubscribe, {
        authData: authFor(site),
        subscribeData: {},
      }),
    );
    expect(error.code).toBe('MissingSubscription');
    expect(
      (await sandbox.api<unknown[]>('GET', `/bins/${site.id}/requests?limit=5`)).json,
    ).toMatchObject({ items: [] });
  });

  it('explains a create answer without an id (e.g. a redirect turned the POST into a GET)', async () => {
    const site = await fakeSite(200, '[]');
    const error = await appError(
      appTester(hookOperation('payment_received').performSubscribe, {
        authData: authFor(site),
        targetUrl: 'https://hooks.zapier.com/hooks/standard/1/abc/',
      }),
    );
    expect(error.message).toContain('without its id');
  });
});
