import { catalog, getEvent } from '@umhooks/core';
import { z } from 'zod';
import { HttpError } from '../http/errors.js';
import { parseInput } from '../http/validate.js';
import { error, json, operation, ref } from '../openapi/dsl.js';
import type { ApiSlice } from '../slice.js';
import { eventJson, fieldInfoJson, toEventJson } from '../../wire/event.js';

const eventPath = z.object({
  id: z
    .string()
    .regex(/^[\w.:-]{1,100}$/, { error: 'must be an event id, e.g. payment_received' })
    .describe("The event's slug."),
});

export const eventsApi: ApiSlice = {
  name: 'events',
  routes(router) {
    router.get('/events', (_req, res) => {
      res.json({ items: catalog.map(toEventJson) });
    });
    router.get('/events/:id', (req, res) => {
      const { id } = parseInput(eventPath, req.params, 'path');
      const event = getEvent(id);
      if (!event) {
        throw new HttpError(
          404,
          'event_not_found',
          `No event "${id}" in the catalog. GET /api/events lists every event id.`,
        );
      }
      res.json(toEventJson(event));
    });
  },
  openapi: () => ({
    tags: [{ name: 'events', description: 'The Ultimate Multisite webhook event catalog.' }],
    outputs: { EventJson: eventJson, FieldInfo: fieldInfoJson },
    paths: {
      '/api/events': {
        get: operation({
          id: 'listEvents',
          summary: 'Every event of the catalog',
          tag: 'events',
          responses: {
            200: json('The events.', {
              type: 'object',
              properties: { items: { type: 'array', items: ref('EventJson') } },
              required: ['items'],
            }),
          },
        }),
      },
      '/api/events/{id}': {
        get: operation({
          id: 'getEvent',
          summary: 'One event: description, fields, samples',
          tag: 'events',
          path: eventPath,
          responses: {
            200: json('The event.', ref('EventJson')),
            404: error('`event_not_found`: not in the catalog.'),
          },
        }),
      },
    },
  }),
};
