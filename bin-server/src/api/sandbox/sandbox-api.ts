import { WEBHOOK_MAX_LENGTH, WEBHOOK_MIN_LENGTH } from '@umhooks/core';
import { z } from 'zod';
import { error, json, jsonBody, jsonSchemaOf, noContent, operation, ref } from '../openapi/dsl.js';
import type { ApiSlice } from '../slice.js';
import { sandboxRoutes } from './sandbox-routes.js';
import {
  attemptJson,
  deliveryJson,
  fireRefusedJson,
  fireResultJson,
  testResultJson,
  webhookJson,
} from '../../wire/sandbox.js';
import {
  deliveriesQuery,
  deliveryPath,
  fireInput,
  webhookCreateInput,
  webhookPath,
  webhookUpdateInput,
} from './schemas.js';

const tag = 'sandbox';
const notFound = error('`webhook_not_found`: no webhook with this id.');

/** /api/sandbox: the sandbox network's webhooks, firing, Send Test Event and the delivery log. */
export const sandboxApi: ApiSlice = {
  name: 'sandbox',
  routes: sandboxRoutes,
  openapi: () => ({
    tags: [
      {
        name: tag,
        description:
          'The sandbox network: webhooks (as the plugin stores them, plus a delivery profile), firing events into a durable outbox, Send Test Event, and the delivery log. Integrations use the plugin-compatible API at /wp-json/wu/v2 instead.',
      },
    ],
    outputs: {
      WebhookJson: webhookJson,
      DeliveryJson: deliveryJson,
      AttemptJson: attemptJson,
      TestResultJson: testResultJson,
      FireResultJson: fireResultJson,
      FireRefusedJson: fireRefusedJson,
    },
    inputs: {
      WebhookCreate: webhookCreateInput,
      WebhookUpdate: webhookUpdateInput,
      FireInput: fireInput,
    },
    paths: {
      '/api/sandbox/webhooks': {
        get: operation({
          id: 'listSandboxWebhooks',
          summary: 'Every sandbox webhook, newest first',
          tag,
          responses: {
            200: json('The webhooks.', {
              type: 'object',
              properties: { items: { type: 'array', items: ref('WebhookJson') } },
              required: ['items'],
            }),
          },
        }),
        post: operation({
          id: 'createSandboxWebhook',
          summary: 'Add a webhook (the plugin’s "Add New Webhook")',
          description: `The plugin’s rules apply: name of ${WEBHOOK_MIN_LENGTH.name}+ characters, an http(s) URL of at most ${WEBHOOK_MAX_LENGTH.webhook_url} characters, an event slug of at most ${WEBHOOK_MAX_LENGTH.event}. A \`secret\` is generated for the standard profile.`,
          tag,
          body: jsonBody(ref('WebhookCreate')),
          responses: { 201: json('The webhook.', ref('WebhookJson')) },
        }),
      },
      '/api/sandbox/webhooks/{id}': {
        get: operation({
          id: 'getSandboxWebhook',
          summary: 'One webhook',
          tag,
          path: webhookPath,
          responses: { 200: json('The webhook.', ref('WebhookJson')), 404: notFound },
        }),
        patch: operation({
          id: 'updateSandboxWebhook',
          summary: 'Change a webhook (or rotate its secret)',
          tag,
          path: webhookPath,
          body: jsonBody(ref('WebhookUpdate')),
          responses: { 200: json('The webhook.', ref('WebhookJson')), 404: notFound },
        }),
        delete: operation({
          id: 'deleteSandboxWebhook',
          summary: 'Delete a webhook (its delivery log stays)',
          tag,
          path: webhookPath,
          responses: { 204: noContent('Deleted.'), 404: notFound },
        }),
      },
      '/api/sandbox/webhooks/{id}/test': {
        post: operation({
          id: 'sendSandboxTestEvent',
          summary: 'Send Test Event',
          description:
            'Posts the event’s mock sample (what the plugin’s button posts) to the webhook’s URL with its profile, waits for the answer and returns it. Not counted, not queued, not logged.',
          tag,
          path: webhookPath,
          responses: { 200: json('The remote answer.', ref('TestResultJson')), 404: notFound },
        }),
      },
      '/api/sandbox/fire': {
        post: operation({
          id: 'fireSandboxEvent',
          summary: 'Fire an event to every active webhook of it',
          description:
            'The deliveries are written to the durable outbox before the answer; the dispatcher sends them (see /api/sandbox/deliveries).',
          tag,
          body: jsonBody(ref('FireInput')),
          responses: {
            202: json('Queued.', ref('FireResultJson')),
            422: json(
              'The payload fails the event’s schema, or the event is unknown and has no payload.',
              ref('FireRefusedJson'),
            ),
          },
        }),
      },
      '/api/sandbox/deliveries': {
        get: operation({
          id: 'listSandboxDeliveries',
          summary: 'The delivery log, newest first, with every attempt',
          tag,
          query: deliveriesQuery,
          responses: {
            200: json('A page of deliveries.', {
              type: 'object',
              properties: {
                items: { type: 'array', items: ref('DeliveryJson') },
                next_cursor: jsonSchemaOf(z.string().nullable(), 'output'),
              },
              required: ['items', 'next_cursor'],
            }),
          },
        }),
      },
      '/api/sandbox/deliveries/{id}': {
        get: operation({
          id: 'getSandboxDelivery',
          summary: 'One delivery with its attempts',
          tag,
          path: deliveryPath,
          responses: {
            200: json('The delivery.', ref('DeliveryJson')),
            404: error('`delivery_not_found`.'),
          },
        }),
      },
      '/api/sandbox/deliveries/{id}/redeliver': {
        post: operation({
          id: 'redeliverSandboxDelivery',
          summary: 'Send a past delivery again, now',
          description:
            "One attempt, made before answering: the same payload to the webhook's current URL with its current profile; with `standard`, the same `webhook-id` (the same message) with a new timestamp and signature. The attempt is recorded on the delivery (the next number) and pushed over /ws. A delivery still queued for retries is sent now; if that fails, its scheduled retries go on. A finished one that fails again ends `failed`: a redelivery is never retried by itself.",
          tag,
          path: deliveryPath,
          responses: {
            200: json(
              'The delivery after the attempt, with every attempt (the new one last).',
              ref('DeliveryJson'),
            ),
            404: error('`delivery_not_found`.'),
            409: error(
              '`webhook_inactive`: activate the webhook first; `delivery_busy`: an attempt is being made right now.',
            ),
            410: error('`webhook_deleted`: the webhook was deleted; nothing was sent.'),
          },
        }),
      },
    },
  }),
};
