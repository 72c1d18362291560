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

/** A copy, so normalized output never shares objects with the caller's body (or frozen samples). */
function copyOf(body: Record<string, unknown>): Record<string, unknown> {
  try {
    return structuredClone(body);
  } catch {
    return { ...body };
  }
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
  const raw = copyOf(body);
  const result = event.schema.safeParse(raw);
  const data = result.success ? result.data : undefined;
  const errors = result.success
    ? []
    : result.error.issues.map((issue) => toPayloadIssue(issue, event));
  const issues = [...errors, ...lintPayload(event, raw, data)];
  return { ok: errors.length === 0, data, issues, event };
}
