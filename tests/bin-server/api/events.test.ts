import { catalog } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventJson } from '../../../bin-server/src/wire/event.js';
import { startApi, type ApiClient } from '../../support/api-client.js';

let api: ApiClient;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

describe('GET /api/events', () => {
  it('lists every catalog event in catalog order, in the EventJson shape', async () => {
    expect(catalog.length).toBeGreaterThan(0);
    const answer = await api.call('/api/events');
    expect(answer.status).toBe(200);
    const items = (answer.json as { items: unknown[] }).items.map((item) =>
      eventJson.strict().parse(item),
    );
    expect(items.map((e) => e.id)).toEqual(catalog.map((e) => e.id));
    for (const [i, item] of items.entries()) {
      const event = catalog[i]!;
      expect(item).toMatchObject({
        name: event.name,
        description: event.description,
        when: event.when,
        since: event.since,
        delivery: event.delivery,
        known: true,
        blocks: [...event.blocks],
      });
      expect(item.sample).toEqual(JSON.parse(JSON.stringify(event.sample)));
      expect(item.plugin_sample).toEqual(JSON.parse(JSON.stringify(event.pluginSample)));
      expect(item.deprecated_args).toEqual({ ...event.deprecatedArgs });
      expect(item.fields.map((f) => f.key)).toEqual(event.fields.map((f) => f.key));
      expect(item.fields.map((f) => f.type)).toEqual(event.fields.map((f) => f.type));
    }
  });
});

describe('GET /api/events/:id', () => {
  it('returns one event', async () => {
    const event = catalog[catalog.length - 1]!;
    const answer = await api.call(`/api/events/${event.id}`);
    expect(answer.status).toBe(200);
    const item = eventJson.strict().parse(answer.json);
    expect(item.id).toBe(event.id);
    expect(item.plugin_sample).toEqual(JSON.parse(JSON.stringify(event.pluginSample)));
  });

  it('answers 404 event_not_found for an unknown id and 400 for an impossible one', async () => {
    const unknown = await api.call('/api/events/not_an_event_anyone_has');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: 'event_not_found' });
    const impossible = await api.call('/api/events/a%20b');
    expect(impossible.status).toBe(400);
    expect(impossible.json).toMatchObject({ error: 'invalid_request', field: 'id' });
  });
});
