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

export const previewJson = z.object({
  rule: z
    .number()
    .int()
    .nullable()
    .describe("0-based index of the rule that answers; null: none (the bin's response)."),
  rule_name: z.string().nullable(),
  status: z.number().int().nullable().describe('The rule’s status (500 if its template fails).'),
  fault: z
    .string()
    .nullable()
    .describe('The rule’s fault kind: it may change the answer (the preview counts nothing).'),
  headers: z.array(z.tuple([z.string(), z.string()])),
  body: z.string().nullable().describe('The body as it would be sent, rendered; plain text.'),
  error: z.string().nullable().describe('Why the template could not be rendered, if it could not.'),
});
