import type { Router } from 'express';
import {
  generateSecret,
  integrationOrDefault,
  webhookRuleProblems,
  type WebhookRuleProblem,
} from '@umhooks/core';
import { HttpError } from '../http/errors.js';
import { parseInput } from '../http/validate.js';
import type { Context } from '../../context.js';
import type { SandboxWebhook } from '../../store/types.js';
import { toDeliveryJson, toTestResultJson, toWebhookJson } from '../../wire/sandbox.js';
import { fireEvent } from '../../sandbox/fire.js';
import { redeliver } from '../../sandbox/redeliver.js';
import { sendTestEvent } from '../../sandbox/test-event.js';
import {
  createWebhook,
  deleteWebhook,
  toWebhookPatch,
  updateWebhook,
} from '../../sandbox/webhooks.js';
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

/** What was wrong and what to do, in our words (the plugin's own message is less helpful). */
function plainMessage(problem: WebhookRuleProblem, value: unknown): string {
  const field = problem.field;
  switch (problem.rule) {
    case 'required':
      return `"${field}" is required.`;
    case 'min':
      return field === 'integration'
        ? `"integration" needs at least ${problem.limit} characters, e.g. "manual" or "zapier".`
        : `"${field}" needs at least ${problem.limit} characters.`;
    case 'url':
      return `"webhook_url" must be an http:// or https:// URL that PHP's URL check accepts (lowercase scheme; a hostname of letters, digits and hyphens), got ${JSON.stringify(value)}.`;
    case 'max':
      return `"${field}" is longer than ${problem.limit} characters (the plugin's column size): shorten it.`;
  }
}

/**
 * The plugin's model rules (core's, the same the REST API applies) on the fields given: the
 * first problem is a 400 naming its field.
 */
function validate(fields: Record<string, unknown>): void {
  const problem = webhookRuleProblems(fields)[0];
  if (problem) {
    throw new HttpError(
      400,
      'invalid_request',
      plainMessage(problem, fields[problem.field]),
      problem.field,
    );
  }
}

/** The routes of /api/sandbox (mounted on the /api router: paths relative to /api). */
export function sandboxRoutes(router: Router, context: Context): void {
  const { store } = context;

  async function load(idParam: unknown): Promise<SandboxWebhook> {
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
      ...input,
      integration: integrationOrDefault(input.integration),
    });
    res.status(201).json(toWebhookJson(webhook));
  });

  router.get('/sandbox/webhooks/:id', async (req, res) => {
    res.json(toWebhookJson(await load(req.params.id)));
  });

  router.patch('/sandbox/webhooks/:id', async (req, res) => {
    const current = await load(req.params.id);
    const input = parseInput(webhookUpdateInput, req.body ?? {}, 'body');
    validate(input);
    const patch = toWebhookPatch(input);
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
    res.json(toTestResultJson(webhook.id, await sendTestEvent(context, webhook)));
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

  const deliveryNotFound = (id: string) =>
    new HttpError(
      404,
      'delivery_not_found',
      `No delivery "${id}". GET /api/sandbox/deliveries lists them, newest first.`,
    );

  router.get('/sandbox/deliveries/:id', async (req, res) => {
    const { id } = parseInput(deliveryPath, req.params, 'path');
    const delivery = await store.deliveries.get(id);
    if (!delivery) throw deliveryNotFound(id);
    res.json(toDeliveryJson(delivery, delivery.attempts));
  });

  router.post('/sandbox/deliveries/:id/redeliver', async (req, res) => {
    const { id } = parseInput(deliveryPath, req.params, 'path');
    const outcome = await redeliver(context, id);
    switch (outcome.kind) {
      case 'redelivered':
        res.json(toDeliveryJson(outcome.delivery, outcome.attempts));
        return;
      case 'delivery_not_found':
        throw deliveryNotFound(id);
      case 'webhook_deleted':
        throw new HttpError(
          410,
          'webhook_deleted',
          `Delivery "${id}" cannot be redelivered: its webhook ${outcome.webhookId} was deleted. Create a webhook for the event and fire it again instead.`,
        );
      case 'webhook_inactive':
        throw new HttpError(
          409,
          'webhook_inactive',
          `Delivery "${id}" was not redelivered: webhook ${outcome.webhookId} is inactive. Activate it (PATCH /api/sandbox/webhooks/${outcome.webhookId} {"active": true}), then redeliver.`,
        );
      case 'busy':
        throw new HttpError(
          409,
          'delivery_busy',
          `Delivery "${id}" is being sent right now (by the dispatcher or another redelivery): wait for that attempt to show in its log, then redeliver.`,
        );
    }
  });
}
