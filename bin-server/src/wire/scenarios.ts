import type { ScenarioDefinition, ScenarioStep } from '@umhooks/core';
import { z } from 'zod';
import { payloadIssueJson } from './request.js';

// The scenarios' JSON shapes (/api/sandbox/scenarios and the UI's Scenarios section).

export const scenarioJson = z.object({
  name: z.string().describe('e.g. `signup`'),
  title: z.string(),
  summary: z.string(),
  description: z.string(),
  open: z
    .array(z.string())
    .describe(
      'What the plugin’s code leaves open (settings, gateways, people) and what the scenario assumes.',
    ),
  sources: z.array(z.string()).describe('Where in the plugin’s code the sequence comes from.'),
  events: z.array(z.string()).describe('The events a run fires, in order.'),
});
export type ScenarioJson = z.output<typeof scenarioJson>;

export function toScenarioJson(definition: ScenarioDefinition): ScenarioJson {
  const { name, title, summary, description, open, sources, events } = definition;
  return {
    name,
    title,
    summary,
    description,
    open: [...open],
    sources: [...sources],
    events: [...events],
  };
}

export const scenarioRunJson = z.object({
  scenario: z.string(),
  seed: z.number().int().describe('Run again with this seed for the same payloads, byte for byte.'),
  start: z.string().describe('The scenario’s clock at its start, `Y-m-d H:i:s` UTC.'),
  events: z.array(
    z.object({
      index: z.number().int().min(0),
      event: z.string(),
      at: z.string().describe('When the plugin would fire it, `Y-m-d H:i:s` UTC (scenario time).'),
      cause: z.string().describe('What happened in the plugin, with the code that fires it.'),
      payload: z.record(z.string(), z.unknown()),
      deliveries: z
        .array(z.string())
        .describe(
          'Delivery ids, one per active webhook of the event (see /api/sandbox/deliveries).',
        ),
    }),
  ),
});
export type ScenarioRunJson = z.output<typeof scenarioRunJson>;

/** A fired run (sandbox/scenarios.ts) as the API answers it. */
interface FiredRun {
  scenario: string;
  seed: number;
  start: string;
  steps: readonly (ScenarioStep & { deliveries: string[] })[];
}

export function toScenarioRunJson(fired: FiredRun): ScenarioRunJson {
  return {
    scenario: fired.scenario,
    seed: fired.seed,
    start: fired.start,
    events: fired.steps.map((step, index) => ({
      index,
      event: step.event,
      at: step.at,
      cause: step.cause,
      payload: step.payload,
      deliveries: step.deliveries,
    })),
  };
}

export const scenarioRefusedJson = z.object({
  error: z.enum(['invalid_overrides', 'invalid_options']),
  message: z.string(),
  issues: z
    .array(
      payloadIssueJson.extend({ event: z.string().optional(), step: z.number().int().optional() }),
    )
    .optional()
    .describe(
      'With `invalid_overrides`: each schema issue, with the event and its index in the run.',
    ),
});
