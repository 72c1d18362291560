import type { z } from 'zod';
import { invalidRequest } from './errors.js';

/** Where an input comes from, for the error message. */
export type InputPlace = 'body' | 'query' | 'path';

const placeName: Record<InputPlace, string> = {
  body: 'request body',
  query: 'query parameter',
  path: 'path parameter',
};

function fieldOf(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  // `{"nmae": 1}` names the unknown key, not the object around it.
  if (issue.code === 'unrecognized_keys') path.push(issue.keys[0] ?? '');
  return path.join('.');
}

/**
 * Parses one input with its zod schema; the first problem becomes a 400 `invalid_request` that
 * names the field (`response.headers.0.0`, `limit`, …) and says what is expected.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  place: InputPlace,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = fieldOf(issue);
  let message: string;
  if (issue.code === 'unrecognized_keys') {
    message = `Unknown ${placeName[place]} field "${field}": remove it or check its spelling.`;
  } else if (field === '') {
    message = `Invalid ${placeName[place]}: ${issue.message}`;
  } else {
    message = `Invalid ${placeName[place]} "${field}": ${issue.message}`;
  }
  throw invalidRequest(field === '' ? place : field, message);
}
