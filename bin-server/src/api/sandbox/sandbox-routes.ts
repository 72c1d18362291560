import type { Router } from 'express';
import { generateSecret } from '@umhooks/core';
import { HttpError } from '../http/errors.js';
import { parseInput } from '../http/validate.js';
import type { Context } from '../../context.js';
import type { StoredWebhook, WebhookPatch } from '../../store/types.js';
import { toDeliveryJson, toWebhookJson } from '../../wire/sandbox.js';
import { fireEvent } from '../../sandbox/fire.js';
import { sendTestEvent } from '../../sandbox/test-event.js';
import { webhookProblems } from '../../sandbox/webhook-rules.js';
import { createWebhook, deleteWebhook, updateWebhook } from '../../sandbox/webhooks.js';
import {
  deliveriesQuery,
  deliveryPath,
  fireInput,
  webhookCreateInput,
  webhookPath,
  webhookUpdateInput,
} from './schemas.js';

const webhookNotFound = (id: number) =>
  new HttpError(
    404,
    'webhook_not_found',
    `No webhook ${id}: it was deleted or never created. GET /api/sandbox/webhooks lists them.`,
  );

/** The plugin's rules on the whole record: the first problem is a 400 naming its field. */
function validate(fields: {
  name: string;
  webhook_url: string;
  event: string;
  integration: string;
}): void {
  const problem = webhookProblems(fields)[0];
  if (problem) throw new HttpError(400, 'invalid_request', problem.message, problem.field);
}

/** The routes of /api/sandbox (mounted on the /api router: paths relative to /api). */
export function sandboxRoutes(router: Router, context: Context): void {
  const { store } = context;

  async function load(idParam: unknown): Promise<StoredWebhook> {
    const { id } = parseInput(webhookPath, { id: idParam }, 'path');
    const webhook = await store.webhooks.get(id);
    if (!webhook) throw webhookNotFound(id);
    return webhook;
  }

  router.get('/sandbox/webhooks', async (_req, res) => {
    const { items } = await store.webhooks.list({
      orderby: 'id',
      order: 'desc',
      limit: 10_000,
      offset: 0,
    });
    res.json({ items: items.map(toWebhookJson) });
  });

  router.post('/sandbox/webhooks', async (req, res) => {
    const input = parseInput(webhookCreateInput, req.body ?? {}, 'body');
    validate(input);
    const webhook = await createWebhook(context, {
      name: input.name,
      webhookUrl: input.webhook_url,
      event: input.event,
      integration: input.integration,
      active: input.active,
      hidden: input.hidden,
      profile: input.profile,
    });
    res.status(201).json(toWebhookJson(webhook));
  });

  router.get('/sandbox/webhooks/:id', async (req, res) => {
    res.json(toWebhookJson(await load(req.params.id)));
  });

  router.patch('/sandbox/webhooks/:id', async (req, res) => {
    const current = await load(req.params.id);
    const input = parseInput(webhookUpdateInput, req.body ?? {}, 'body');
    validate({
      name: input.name ?? current.name,
      webhook_url: input.webhook_url ?? current.webhookUrl,
      event: input.event ?? current.event,
      integration: input.integration ?? current.integration,
    });
    const patch: WebhookPatch = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.webhook_url !== undefined) patch.webhookUrl = input.webhook_url;
    if (input.event !== undefined) patch.event = input.event;
    if (input.integration !== undefined) patch.integration = input.integration;
    if (input.active !== undefined) patch.active = input.active;
    if (input.hidden !== undefined) patch.hidden = input.hidden;
    if (input.profile !== undefined) patch.profile = input.profile;
    if (input.rotate_secret) patch.secret = generateSecret();
    const updated = await updateWebhook(context, current.id, patch);
    if (!updated) throw webhookNotFound(current.id);
    res.json(toWebhookJson(updated));
  });

  router.delete('/sandbox/webhooks/:id', async (req, res) => {
    const { id } = parseInput(webhookPath, { id: req.params.id }, 'path');
    if (!(await deleteWebhook(context, id))) throw webhookNotFound(id);
    res.status(204).end();
  });

  router.post('/sandbox/webhooks/:id/test', async (req, res) => {
    const webhook = await load(req.params.id);
    res.json(await sendTestEvent(context, webhook));
  });

  router.post('/sandbox/fire', async (req, res) => {
    const input = parseInput(fireInput, req.body ?? {}, 'body');
    const result = await fireEvent(context, input.event, input.payload, input.force);
    if (!result.ok && 'unknownEvent' in result) {
      res.status(422).json({
        error: 'unknown_event',
        message: `"${input.event}" is not in the event catalog, so there is no sample to fire: check the id (GET /api/events lists them), or send the payload of an add-on's event in "payload".`,
      });
      return;
    }
    if (!result.ok) {
      res.status(422).json({
        error: 'invalid_payload',
        message: `The payload does not fit the "${input.event}" event (${result.issues.length} issue${result.issues.length === 1 ? '' : 's'}): fix it, or send {"force": true} to fire it anyway.`,
        issues: result.issues,
      });
      return;
    }
    res.status(202).json({ event: result.event, deliveries: result.deliveries });
  });

  router.get('/sandbox/deliveries', async (req, res) => {
    const query = parseInput(deliveriesQuery, req.query, 'query');
    const page = await store.deliveries.list({
      limit: query.limit,
      ...(query.webhook !== undefined ? { webhookId: query.webhook } : {}),
      ...(query.event !== undefined ? { event: query.event } : {}),
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.cursor !== undefined ? { before: query.cursor } : {}),
    });
    res.json({
      items: page.items.map((d) => toDeliveryJson(d, d.attempts)),
      next_cursor: page.nextBefore ?? null,
    });
  });

  router.get('/sandbox/deliveries/:id', async (req, res) => {
    const { id } = parseInput(deliveryPath, req.params, 'path');
    const delivery = await store.deliveries.get(id);
    if (!delivery) {
      throw new HttpError(
        404,
        'delivery_not_found',
        `No delivery "${id}". GET /api/sandbox/deliveries lists them, newest first.`,
      );
    }
    res.json(toDeliveryJson(delivery, delivery.attempts));
  });
}
