import type { z } from 'zod';
import { resolveEvent } from './catalog.js';
import type { IssueKind } from './fields.js';
import { lintPayload } from './lint.js';
import type { EventDefinition, ParseResult, PayloadIssue } from './types.js';
import { describeValue, isPlainObject } from './values.js';

function toPayloadIssue(issue: z.core.$ZodIssue, event: EventDefinition): PayloadIssue {
  const path = issue.path.map(String).join('.');
  const kind = issue.code === 'custom' ? (issue.params?.issue as IssueKind | undefined) : undefined;
  let message = `${path || 'The payload'}: ${issue.message}`;
  // Our field schemas write whole sentences; anything else gets the field name in front.
  if (kind === 'type') message = issue.message;
  if (kind === 'missing') message = `${issue.message}: ${event.id} always sends this field.`;
  return { path, code: kind === 'missing' ? 'missing' : 'type', severity: 'error', message };
}

/**
 * The schemas build a new top-level object and normalize field values into new primitives; only
 * values passed through as they came (JSON fields, add-on keys, the nested live shape's objects)
 * can still be the caller's objects. Copying just those keeps the promise that the output never
 * shares objects with the body (or the frozen samples) at a fraction of a deep copy of the whole
 * body up front, which cost more than the check itself (capture checks every JSON request).
 */
function unshare(data: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(data)) {
    const value = data[key];
    if (typeof value !== 'object' || value === null) continue;
    try {
      data[key] = structuredClone(value);
    } catch {
      // Not cloneable (not JSON data): left as it is.
    }
  }
  return data;
}

/**
 * Checks `body` against the event's schema and returns the normalized payload. Unknown keys are
 * kept unchanged; unknown ids get the generic (add-on) definition. `ok` is false only when an
 * issue has severity `error`; warnings (e.g. an undocumented status) leave it true.
 */
export function parsePayload(eventId: string, body: unknown): ParseResult {
  const event = resolveEvent(eventId);
  if (!isPlainObject(body)) {
    return {
      ok: false,
      data: undefined,
      issues: [
        {
          path: '',
          code: 'not_object',
          severity: 'error',
          message: `${event.id} sends a JSON object of fields, got ${describeValue(body)}.`,
        },
      ],
      event,
    };
  }
  const result = event.schema.safeParse(body);
  const data = result.success ? unshare(result.data) : undefined;
  const errors = result.success
    ? []
    : result.error.issues.map((issue) => toPayloadIssue(issue, event));
  const issues = [...errors, ...lintPayload(event, body, data)];
  return { ok: errors.length === 0, data, issues, event };
}
