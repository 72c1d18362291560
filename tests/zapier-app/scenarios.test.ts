import { getEvent, listScenarios, parsePayload, runScenario } from '@umhooks/core';
import { describe, expect, it } from 'vitest';
import { appTester, cleanedRequest, hookOperation, type Item } from './helpers.js';

describe("the Zapier app's perform on every scenario event", () => {
  for (const scenario of listScenarios()) {
    it(`turns each event of ${scenario.name} into one item of the trigger's shape`, async () => {
      const run = runScenario(scenario.name, { seed: 11 });
      const ids: string[] = [];
      const bodies: string[] = [];
      for (const step of run.steps) {
        const operation = hookOperation(step.event);
        const items = (await appTester(operation.perform, {
          cleanedRequest: cleanedRequest(step.payload),
        })) as Item[];
        expect(items).toHaveLength(1);
        const item = items[0]!;
        expect(Object.keys(item).sort()).toEqual(Object.keys(operation.sample).sort());
        // Ids derived as for any delivery: event, main object id, hash of the normalized fields.
        const normalized = parsePayload(step.event, step.payload).data!;
        const firstId = getEvent(step.event)!.fields.find(
          (f) => f.key.endsWith('_id') && normalized[f.key] !== null,
        );
        expect(item.id).toMatch(
          new RegExp(`^${step.event}:${String(normalized[firstId!.key])}:[0-9a-f]{12}$`),
        );
        ids.push(item.id);
        bodies.push(`${step.event} ${JSON.stringify(step.payload)}`);
      }
      // Two events of a run are two items, unless the plugin sent the very same payload twice
      // (failed-renewal's two payment_failed): Zapier then sees one, as it would live.
      expect(new Set(ids).size).toBe(new Set(bodies).size);
    });
  }
});
