import { MAX_SEED } from '@umhooks/core';
import { z } from 'zod';
import { overrideSet, overrideUnset } from '../sandbox/schemas.js';

// /api/sandbox/scenarios' inputs as zod schemas (its answers are in wire/scenarios.ts).

export const scenarioPath = z.object({
  name: z
    .string()
    .min(1)
    .max(64)
    .describe('The scenario, e.g. `signup` (GET /api/sandbox/scenarios lists them).'),
});

/** The longest wait between two events of a run through the server (the request stays open). */
const MAX_DELAY_MS = 10_000;

export const scenarioRunInput = z.strictObject({
  seed: z
    .number()
    .int()
    .min(0)
    .max(MAX_SEED)
    .optional()
    .describe(
      'The same seed gives the same payloads, byte for byte; a random one when absent (it is in the answer).',
    ),
  start: z.iso
    .datetime({ offset: true })
    .optional()
    .describe(
      'When the scenario starts (its events’ dates follow from it); drawn from the seed when absent.',
    ),
  set: overrideSet.optional(),
  unset: overrideUnset.optional(),
  force: z
    .boolean()
    .default(false)
    .describe('Fire overridden payloads that fail their schema anyway.'),
  delay_ms: z
    .number()
    .int()
    .min(0)
    .max(MAX_DELAY_MS)
    .default(0)
    .describe('Wait this long between two events (the answer comes after the last one).'),
});
