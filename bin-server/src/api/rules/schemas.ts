import { z } from 'zod';
import { rulesInput } from '../../wire/rules.js';

/** POST /api/bins/:id/rules/preview */
export const previewInput = z
  .strictObject({
    request_id: z
      .string({ error: 'must be a string' })
      .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'is not a request id (e.g. req_AbC…)' })
      .describe('A request captured by this bin.'),
    rules: rulesInput.shape.rules
      .optional()
      .describe('Rules to try instead of the saved ones (nothing is saved).'),
  })
  .describe('Which rule would answer a captured request, and with what body.');
