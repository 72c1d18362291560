import type { Router } from 'express';
import type { Context } from '../../context.js';
import { previewAnswer } from '../../rules/plan.js';
import { eventOf } from '../../rules/request.js';
import { MAX_RESPONSE_BODY_BYTES } from '../../responders/limits.js';
import { rulesInput, toRules, toRulesJson, type RulePreviewJson } from '../../wire/rules.js';
import { binPath } from '../bins/schemas.js';
import { loadBin } from '../bins/load.js';
import { binNotFound, requestNotFound } from '../http/errors.js';
import { parseInput } from '../http/validate.js';
import { previewInput } from './schemas.js';

export function ruleRoutes(router: Router, context: Context): void {
  const { store, bus } = context;

  router.get('/bins/:id/rules', async (req, res) => {
    const { id } = parseInput(binPath, req.params, 'path');
    res.json(toRulesJson((await loadBin(context, id)).rules));
  });

  router.put('/bins/:id/rules', async (req, res) => {
    const { id } = parseInput(binPath, req.params, 'path');
    const input = parseInput(rulesInput, req.body ?? {}, 'body');
    const bin = await store.bins.update(id, { rules: toRules(input) }, context.now());
    if (!bin) throw binNotFound(id);
    // Every instance's capture drops its cached bin: the next request meets the new rules.
    bus.publish({ type: 'bin.changed', bin: bin.id, record: bin });
    res.json(toRulesJson(bin.rules));
  });

  router.post('/bins/:id/rules/preview', async (req, res) => {
    const { id } = parseInput(binPath, req.params, 'path');
    const input = parseInput(previewInput, req.body ?? {}, 'body');
    const bin = await loadBin(context, id);
    const request = await store.requests.get(id, input.request_id);
    if (!request) throw requestNotFound(id, input.request_id);
    const rules = input.rules ? toRules({ rules: input.rules }) : bin.rules;
    const preview = previewAnswer(
      rules,
      { ...request, event: eventOf(request) },
      { requestId: request.id, receivedAt: request.receivedAt, now: context.now() },
      MAX_RESPONSE_BODY_BYTES,
    );
    const answer: RulePreviewJson = {
      rule: preview.rule ?? null,
      rule_name: preview.ruleName ?? null,
      status: preview.status ?? null,
      fault: preview.fault?.kind ?? null,
      headers: preview.headers,
      body: preview.body ?? null,
      error: preview.error ?? null,
    };
    res.json(answer);
  });
}
