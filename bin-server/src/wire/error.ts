import { z } from 'zod';

export const errorJson = z
  .object({
    error: z.string().describe('Machine-readable code, e.g. `bin_not_found`, `invalid_request`.'),
    message: z.string().describe('What was wrong and what to do, in plain words.'),
    field: z
      .string()
      .optional()
      .describe('For `invalid_request`: the field at fault, e.g. `response.status` or `limit`.'),
  })
  .describe('Every error answer.');

/** Every error answer of /api. */
export type ErrorJson = z.output<typeof errorJson>;
