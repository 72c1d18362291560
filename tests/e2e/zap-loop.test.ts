// The loop that must always work (DESIGN.md): Zap turned on → performSubscribe → the sandbox stores
// the webhook → the event fires → the dispatcher POSTs to the Zap's target URL (a capture bin) → the
// captured body is what `perform` receives → the output matches the trigger's sample shape → Zap
// turned off → performUnsubscribe → the next fire delivers nothing. For every delivered event, with
// the catalog sample and with real-world variants (numeric-string ids, "true"/"false" strings).
import { catalog, type EventDefinition } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appTester,
  cleanedRequest,
  hookOperation,
  jsonType,
  type Item,
  authDataOf,
} from '../zapier-app/helpers.js';
import { startSandbox, type Sandbox } from '../support/sandbox.js';

interface BinJson {
  id: string;
  url: string;
}
interface RequestJson {
  id: string;
  method: string;
  path: string;
  query: string;
  body_text: string | null;
}
interface DeliveryJson {
  id: string;
  event: string;
  status: string;
}

const delivered = catalog.filter((event) => event.delivery === 'webhook');
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

/** A fresh bin plus one request of our own, so "the next request after it" cannot be missed. */
async function binWithMarker(): Promise<{ bin: BinJson; marker: string }> {
  const created = await sandbox.api<BinJson>('POST', '/bins', {});
  expect(created.status).toBe(201);
  const response = await fetch(`${created.json.url}/marker`, { method: 'POST', body: '{}' });
  expect(response.status).toBe(200);
  const marker = response.headers.get('x-request-id');
  expect(marker).toBeTruthy();
  return { bin: created.json, marker: marker! };
}

/** Long-polls the bin for the request that arrived after `after`. */
async function nextRequest(bin: BinJson, after: string): Promise<RequestJson> {
  const result = await sandbox.api<RequestJson>(
    'GET',
    `/bins/${bin.id}/requests/latest?wait=10&after=${encodeURIComponent(after)}`,
  );
  expect(result.status, 'a delivery should reach the bin within 10 s').toBe(200);
  return result.json;
}

async function fire(event: string, payload?: Record<string, unknown>): Promise<string[]> {
  const result = await sandbox.api<{ deliveries: string[] }>(
    'POST',
    '/sandbox/fire',
    payload === undefined ? { event } : { event, payload },
  );
  expect(result.status, JSON.stringify(result.json)).toBe(202);
  return result.json.deliveries;
}

/** Waits until no delivery of the event is pending or in flight. */
async function settled(event: string): Promise<DeliveryJson[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const result = await sandbox.api<{ items: DeliveryJson[] }>(
      'GET',
      `/sandbox/deliveries?event=${encodeURIComponent(event)}&limit=100`,
    );
    expect(result.status).toBe(200);
    const busy = result.json.items.filter(
      (d) => d.status === 'pending' || d.status === 'delivering',
    );
    if (busy.length === 0) return result.json.items;
    if (Date.now() > deadline)
      throw new Error(`deliveries of ${event} still busy: ${JSON.stringify(busy)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What Zapier would hand `perform` for the captured request. */
function toCleanedRequest(request: RequestJson): Record<string, unknown> {
  expect(request.method).toBe('POST');
  const body = JSON.parse(request.body_text ?? 'null') as unknown;
  expect(typeof body === 'object' && body !== null && !Array.isArray(body)).toBe(true);
  return cleanedRequest(
    body as Record<string, unknown>,
    Object.fromEntries(new URLSearchParams(request.query)),
  );
}

/**
 * The payload as real sites send it after a database round trip: ids and amounts as numeric
 * strings, booleans as "true"/"false" (and the reverse where the sample already has strings).
 */
function realWorldVariant(event: EventDefinition): Record<string, unknown> {
  const variant: Record<string, unknown> = { ...event.sample };
  for (const field of event.fields) {
    const value = variant[field.key];
    if ((field.type === 'integer' || field.type === 'number') && typeof value === 'number') {
      variant[field.key] = String(value);
    } else if (field.type === 'boolean' && typeof value === 'boolean') {
      variant[field.key] = value ? 'true' : 'false';
    } else if (field.type === 'boolean' && (value === 'true' || value === 'false')) {
      variant[field.key] = value === 'true';
    }
  }
  return variant;
}

/** Same keys as the trigger's sample, and each value of the sample's type (or null where empty). */
function expectSampleShape(item: Item, sample: Record<string, unknown>): void {
  expect(Object.keys(item).sort()).toEqual(Object.keys(sample).sort());
  for (const [key, value] of Object.entries(item)) {
    if (value === null || sample[key] === null) continue;
    expect(jsonType(value), key).toBe(jsonType(sample[key]));
  }
}

describe.each(delivered.map((event) => [event.id, event] as const))(
  'Zap loop for %s',
  (key, event) => {
    const operation = hookOperation(key);

    it('delivers to the subscribed Zap, normalizes like the sample, and stops after unsubscribe', async () => {
      const { bin, marker } = await binWithMarker();
      const targetUrl = `${bin.url}/hooks/${key}?zap=loop`;
      const subscribeData = (await appTester(operation.performSubscribe, {
        authData: authDataOf(sandbox),
        targetUrl,
      })) as Record<string, unknown>;

      // 1. The sample event reaches the Zap and comes out in the sample's shape.
      expect(await fire(key)).toHaveLength(1);
      const captured = await nextRequest(bin, marker);
      expect(captured.path).toBe(`/hooks/${key}`);
      const request = toCleanedRequest(captured);
      expect(request.querystring).toEqual({ zap: 'loop' });
      const [item] = (await appTester(operation.perform, {
        authData: authDataOf(sandbox),
        cleanedRequest: request,
      })) as Item[];
      expectSampleShape(item!, operation.sample);

      // 2. The same event as real sites shape it (numeric strings, boolean strings) gives the same output.
      const variant = realWorldVariant(event);
      expect(variant).not.toEqual(event.sample);
      expect(await fire(key, variant)).toHaveLength(1);
      const capturedVariant = await nextRequest(bin, captured.id);
      // The variant travels as sent: the plugin profile does not retype it.
      const variantBody = JSON.parse(capturedVariant.body_text ?? 'null') as Record<
        string,
        unknown
      >;
      for (const [field, value] of Object.entries(variant))
        expect(variantBody[field], field).toEqual(value);
      const [variantItem] = (await appTester(operation.perform, {
        authData: authDataOf(sandbox),
        cleanedRequest: toCleanedRequest(capturedVariant),
      })) as Item[];
      expectSampleShape(variantItem!, operation.sample);
      expect(variantItem).toEqual(item);

      // 3. Zap off: the webhook is gone and the next fire reaches nobody.
      await appTester(operation.performUnsubscribe, {
        authData: authDataOf(sandbox),
        subscribeData,
      });
      await settled(key);
      expect(await fire(key)).toEqual([]);
      const deliveries = await settled(key);
      expect(deliveries.filter((d) => d.status !== 'succeeded')).toEqual([]);
      expect(deliveries).toHaveLength(2);
      const latest = await sandbox.api<RequestJson>('GET', `/bins/${bin.id}/requests/latest`);
      expect(latest.json.id).toBe(capturedVariant.id);
    });
  },
);
