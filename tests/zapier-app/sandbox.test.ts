// Every trigger and the connection, through createAppTester, against a real umhooks sandbox
// (the plugin's REST API on 127.0.0.1): no mocked HTTP.
import { catalog, getEvent, type EventDefinition } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  App,
  appError,
  appTester,
  cleanedRequest,
  hookOperation,
  type Item,
  authDataOf,
} from './helpers.js';
import { startSandbox, type Sandbox } from '../support/sandbox.js';

interface WebhookJson {
  id: number;
  name: string;
  webhook_url: string;
  event: string;
  active: boolean;
  integration: string;
}

const delivered = catalog.filter((event) => event.delivery === 'webhook');
const auth = App.authentication as unknown as {
  test: (...args: never[]) => unknown;
  connectionLabel: unknown;
};
const choices = hookOperation('event_choices');

let sandbox: Sandbox;
/** A capture bin URL: webhooks point somewhere real even though these tests do not fire events. */
let targetUrl: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  const bin = await sandbox.api<{ url: string }>('POST', '/bins', {});
  expect(bin.status).toBe(201);
  targetUrl = `${bin.json.url}/zapier-hook`;
});
afterAll(async () => {
  await sandbox?.close();
});

async function siteHooks(): Promise<
  Record<string, { name: string; payload: Record<string, unknown> }>
> {
  const response = await fetch(`${sandbox.url}/wp-json/wu/v2/hooks`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${sandbox.key}:${sandbox.secret}`).toString('base64')}`,
    },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<
    string,
    { name: string; payload: Record<string, unknown> }
  >;
}

describe('connection', () => {
  it('tests the key pair with GET /auth and labels the connection with the network name and host', async () => {
    const result = (await appTester(auth.test, { authData: authDataOf(sandbox) })) as {
      success: boolean;
      label: string;
      connection_label: string;
    };
    expect(result.success).toBe(true);
    expect(result.label.length).toBeGreaterThan(0);
    // Zapier renders the label template from the test's result.
    expect(auth.connectionLabel).toBe('{{bundle.inputData.connection_label}}');
    expect(result.connection_label).toBe(`${result.label} (${new URL(sandbox.url).host})`);
  });

  it('accepts a Site URL pasted with /wp-json/wu/v2 and a trailing slash', async () => {
    const authData = { ...authDataOf(sandbox), site_url: `${sandbox.url}/wp-json/wu/v2/` };
    const result = (await appTester(auth.test, { authData })) as { success: boolean };
    expect(result.success).toBe(true);
  });

  it('explains a wrong secret as an AuthenticationError that says what to check', async () => {
    const error = await appError(
      appTester(auth.test, { authData: { ...authDataOf(sandbox), api_secret: 'wrong-secret' } }),
    );
    expect(error.code).toBe('AuthenticationError');
    expect(error.status).toBe(401);
    expect(error.message).toContain('refused the API Key and Secret');
    expect(error.message).toContain('Ultimate Multisite › Settings › API & Webhooks');
    expect(error.message).toContain('Enable API');
    // The plugin's own code travels with the explanation; the secret never does.
    expect(error.message).toMatch(/\(\w+, HTTP 401\)/);
    expect(error.message).not.toContain('wrong-secret');
  });

  it('explains a wrong key the same way', async () => {
    const error = await appError(
      appTester(auth.test, { authData: { ...authDataOf(sandbox), api_key: 'not-the-key' } }),
    );
    expect(error.code).toBe('AuthenticationError');
  });

  it('refuses a Site URL that is not http(s) before calling anything', async () => {
    const error = await appError(
      appTester(auth.test, { authData: { ...authDataOf(sandbox), site_url: 'ftp://example.com' } }),
    );
    expect(error.code).toBe('InvalidSiteUrl');
    expect(error.message).toContain('not ftp://');
  });

  it('says so when the Site URL answers but is not the plugin API', async () => {
    // A capture bin answers 200 with its own JSON to any path, like a site without the plugin might.
    const authData = { ...authDataOf(sandbox), site_url: targetUrl.replace(/\/zapier-hook$/, '') };
    const error = await appError(appTester(auth.test, { authData }));
    expect(error.message).toContain("not as Ultimate Multisite's API");
  });
});

describe.each(delivered.map((event) => [event.id, event] as const))('trigger %s', (key, event) => {
  const operation = hookOperation(key);

  it('subscribes a zapier webhook for its event, and unsubscribes it (twice is fine)', async () => {
    const subscribed = (await appTester(operation.performSubscribe, {
      authData: authDataOf(sandbox),
      targetUrl,
    })) as Record<string, unknown>;
    // Flat, with a string id: Zapier hands it back as bundle.subscribeData.
    expect(subscribed.id).toMatch(/^\d+$/);
    expect(subscribed.event).toBe(key);

    const stored = await sandbox.api<WebhookJson>(
      'GET',
      `/sandbox/webhooks/${String(subscribed.id)}`,
    );
    expect(stored.status).toBe(200);
    expect(stored.json).toMatchObject({
      event: key,
      webhook_url: targetUrl,
      integration: 'zapier',
      active: true,
      name: `Zapier: ${(App.triggers as unknown as Record<string, { display: { label: string } }>)[key]!.display.label}`,
    });

    const first = await appTester(operation.performUnsubscribe, {
      authData: authDataOf(sandbox),
      subscribeData: subscribed,
    });
    expect(first).toEqual({ id: subscribed.id, deleted: true });
    expect((await sandbox.api('GET', `/sandbox/webhooks/${String(subscribed.id)}`)).status).toBe(
      404,
    );
    // Zapier unsubscribes when a Zap is turned off and again when it is deleted.
    const second = await appTester(operation.performUnsubscribe, {
      authData: authDataOf(sandbox),
      subscribeData: subscribed,
    });
    expect(second).toEqual({ id: subscribed.id, deleted: false });
  });

  it("performs a delivery into one item with exactly the sample's keys", async () => {
    const items = (await appTester(operation.perform, {
      authData: authDataOf(sandbox),
      cleanedRequest: cleanedRequest(event.sample, { source: 'test' }),
    })) as Item[];
    expect(items).toHaveLength(1);
    const item = items[0]!;
    expect(typeof item.id).toBe('string');
    expect(Object.keys(item).sort()).toEqual(Object.keys(operation.sample).sort());
    expect(item).not.toHaveProperty('querystring');
  });

  it("lists the site's own sample for the event, normalized like a delivery", async () => {
    const items = (await appTester(operation.performList, {
      authData: authDataOf(sandbox),
    })) as Item[];
    expect(items).toHaveLength(1);
    const listed = items[0]!;
    expect(Object.keys(listed).sort()).toEqual(Object.keys(operation.sample).sort());
    // Same shape AND same values as perform gives for that very payload.
    const hooks = await siteHooks();
    const sitePayload = hooks[key]?.payload;
    expect(sitePayload).toBeDefined();
    const performed = (await appTester(operation.perform, {
      cleanedRequest: cleanedRequest(sitePayload!),
    })) as Item[];
    expect(listed).toEqual(performed[0]);
  });
});

describe('perform on odd requests', () => {
  const operation = hookOperation('payment_received');
  const event = getEvent('payment_received') as EventDefinition;

  it.each([
    ['no cleanedRequest', undefined],
    ['a string body', 'payment_id=1'],
    ['a JSON array', [event.sample]],
    ['only the query string', { querystring: { a: '1' } }],
  ])('ignores %s (returns no item)', async (_name, request) => {
    const items = await appTester(operation.perform, { cleanedRequest: request });
    expect(items).toEqual([]);
  });

  it('keeps the full shape when optional billing keys are left out of a live payload', async () => {
    const optional = event.fields.filter((field) => field.optional).map((field) => field.key);
    const body = Object.fromEntries(
      Object.entries(event.sample).filter(([key]) => !optional.includes(key)),
    );
    const [item] = (await appTester(operation.perform, {
      cleanedRequest: cleanedRequest(body),
    })) as Item[];
    expect(Object.keys(item!).sort()).toEqual(Object.keys(operation.sample).sort());
  });

  it("passes on a payload that breaks the event's schema instead of dropping the delivery", async () => {
    const body = { ...event.sample, payment_id: 'not-a-number' };
    const [item] = (await appTester(operation.perform, {
      cleanedRequest: cleanedRequest(body),
    })) as Item[];
    expect(Object.keys(item!).sort()).toEqual(Object.keys(operation.sample).sort());
    expect(item!.payment_id).toBe('not-a-number');
  });

  it('gives the same delivery the same id, and a changed one another', async () => {
    const perform = async (body: Record<string, unknown>) =>
      ((await appTester(operation.perform, { cleanedRequest: cleanedRequest(body) })) as Item[])[0]!
        .id;
    const once = await perform(event.sample);
    expect(await perform({ ...event.sample })).toBe(once);
    expect(await perform({ ...event.sample, payment_status: 'refunded' })).not.toBe(once);
    expect(once.startsWith(`payment_received:${String(event.sample.payment_id)}:`)).toBe(true);
  });
});

describe('New Event', () => {
  const operation = hookOperation('new_event');

  it('fills its dropdown with every event the site registers, marking log-only ones', async () => {
    const listed = (await appTester(choices.perform, { authData: authDataOf(sandbox) })) as Array<{
      id: string;
      name: string;
    }>;
    const hooks = await siteHooks();
    expect(listed.map((choice) => choice.id).sort()).toEqual(Object.keys(hooks).sort());
    for (const event of catalog.filter((e) => e.delivery === 'log-only' && hooks[e.id])) {
      expect(listed.find((choice) => choice.id === event.id)?.name).toMatch(
        /only sent by Send Test Event/,
      );
    }
    const page2 = await appTester(choices.perform, {
      authData: authDataOf(sandbox),
      meta: { page: 1 },
    });
    expect(page2).toEqual([]);
  });

  it('subscribes to the chosen event and performs its deliveries with that event', async () => {
    const subscribed = (await appTester(operation.performSubscribe, {
      authData: authDataOf(sandbox),
      targetUrl,
      inputData: { event: 'site_published' },
    })) as Record<string, unknown>;
    const stored = await sandbox.api<WebhookJson>(
      'GET',
      `/sandbox/webhooks/${String(subscribed.id)}`,
    );
    expect(stored.json.event).toBe('site_published');
    const event = getEvent('site_published') as EventDefinition;
    const [item] = (await appTester(operation.perform, {
      inputData: { event: 'site_published' },
      cleanedRequest: cleanedRequest(event.sample),
    })) as Item[];
    const specific = (await appTester(hookOperation('site_published').perform, {
      cleanedRequest: cleanedRequest(event.sample),
    })) as Item[];
    expect(item).toEqual(specific[0]);
    await appTester(operation.performUnsubscribe, {
      authData: authDataOf(sandbox),
      subscribeData: subscribed,
    });
    expect((await sandbox.api('GET', `/sandbox/webhooks/${String(subscribed.id)}`)).status).toBe(
      404,
    );
  });

  it('handles an add-on event the catalog does not know', async () => {
    const addOn = 'domain_seller_domain_registered';
    const subscribed = (await appTester(operation.performSubscribe, {
      authData: authDataOf(sandbox),
      targetUrl,
      inputData: { event: addOn },
    })) as Record<string, unknown>;
    expect(
      (await sandbox.api<WebhookJson>('GET', `/sandbox/webhooks/${String(subscribed.id)}`)).json
        .event,
    ).toBe(addOn);
    const [item] = (await appTester(operation.perform, {
      inputData: { event: addOn },
      cleanedRequest: cleanedRequest({
        id: 9,
        domain_name: 'shop.example',
        customer_id: '42',
        wu_version: '2.4.12',
      }),
    })) as Item[];
    // Generic normalization still turns a numeric-string id into a number.
    expect(item).toMatchObject({
      domain_name: 'shop.example',
      customer_id: 42,
      wu_version: '2.4.12',
    });
    // The payload's own id is kept, beside the item id.
    expect(item!.payload_id).toBe(9);
    // ...and is the primary id the item id starts with.
    expect(item!.id).toMatch(new RegExp(`^${addOn}:9:[0-9a-f]{12}$`));
    // The site has no sample for it: the editor shows none rather than an invented one.
    expect(
      await appTester(operation.performList, {
        authData: authDataOf(sandbox),
        inputData: { event: addOn },
      }),
    ).toEqual([]);
    await appTester(operation.performUnsubscribe, {
      authData: authDataOf(sandbox),
      subscribeData: subscribed,
    });
  });

  it('lists the site sample of the chosen event', async () => {
    const items = (await appTester(operation.performList, {
      authData: authDataOf(sandbox),
      inputData: { event: 'payment_received' },
    })) as Item[];
    const specific = (await appTester(hookOperation('payment_received').performList, {
      authData: authDataOf(sandbox),
    })) as Item[];
    expect(items).toEqual(specific);
  });

  it('asks for an event when none is chosen', async () => {
    const error = await appError(
      appTester(operation.performSubscribe, {
        authData: authDataOf(sandbox),
        targetUrl,
        inputData: {},
      }),
    );
    expect(error.message).toContain('Choose the event');
  });
});
