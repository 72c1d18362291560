import type { z } from 'zod';

/** `webhook`: real occurrences are POSTed; `log-only`: only the plugin's Send Test Event posts a sample. */
export type Delivery = 'webhook' | 'log-only';

/** The payload blocks the plugin merges into flat payloads. */
export type BlockName = 'customer' | 'membership' | 'payment' | 'site' | 'domain' | 'billing';

/** How a normalized field is typed; drives Zapier output fields and the UI's field tables. */
export type FieldType =
  'string' | 'integer' | 'number' | 'boolean' | 'datetime' | 'url' | 'email' | 'html' | 'json';

export interface FieldInfo {
  key: string;
  label: string;
  type: FieldType;
  /** True when the plugin may omit the key (e.g. empty billing fields in live payloads). */
  optional: boolean;
  /** Values the plugin documents for enum-like fields (statuses, stages). */
  choices?: readonly string[];
  help?: string;
  /** PHP holds the value as a float, so the plugin's `json_encode` writes `29.0`, not `29`. */
  encodesAsFloat?: boolean;
}

export interface EventDefinition {
  /** The plugin's slug, e.g. `payment_received`. */
  id: string;
  /** The plugin's display name, e.g. `Payment Received`. */
  name: string;
  /** Own words, for a no-code user: what happened and when it fires. */
  description: string;
  /** A lower-case clause that completes "Triggers when …", e.g. `a payment for a membership is received`. */
  when: string;
  /** First plugin version that registers it, e.g. `2.1.4`, `2.4.12`, `2.5.0` (`unknown` for add-ons). */
  since: string;
  delivery: Delivery;
  /** False only for the generic definition of an event id the catalog does not know (add-ons). */
  known: boolean;
  blocks: readonly BlockName[];
  /** Every top-level key of the payload (without `wu_version`), in the plugin's order. */
  fields: readonly FieldInfo[];
  /** Accepts real-world payloads and outputs normalized data (numbers, booleans, ISO dates). */
  schema: z.ZodType<Record<string, unknown>>;
  /** A realistic payload as a live delivery carries it (with `wu_version`). */
  sample: Readonly<Record<string, unknown>>;
  /** What the plugin's Send Test Event posts (mock objects, ids 0, `wu_version`). */
  pluginSample: Readonly<Record<string, unknown>>;
  /**
   * `deprecated_args` exactly as `GET /wu/v2/hooks` reports it: usually 1.x field name → 2.x field
   * name, but the plugin registers example *values* for `domain_created` (e.g. `user_id: 1`).
   */
  deprecatedArgs: Readonly<Record<string, string | number>>;
}

export interface PayloadIssue {
  /** Dotted path of the field, e.g. `payment_total_raw` or `site.blog_id`; `` for the whole body. */
  path: string;
  code: 'missing' | 'type' | 'value' | 'not_object';
  /**
   * `error`: the payload does not fit the event (parse is not ok). `warning`: accepted, but worth a
   * look (a status newer than the documented ones, a field the live payload does not carry).
   */
  severity: 'error' | 'warning';
  /** Plain words, e.g. `payment_total_raw should be a number, got "abc"`. */
  message: string;
}

export interface ParseResult {
  /** True when no issue has severity `error`. */
  ok: boolean;
  /** Normalized payload (present when ok; also when only warnings were found). */
  data: Record<string, unknown> | undefined;
  issues: PayloadIssue[];
  /** The definition used (the generic one for unknown ids). */
  event: EventDefinition;
}

export interface Candidate {
  event: string;
  /** 0..1, 1 = the body's key set is exactly the event's. */
  score: number;
  /** Keys the event has that the body lacks (optional billing keys are not counted). */
  missing: string[];
  /** Keys the body has that the event does not know (besides `wu_version`). */
  extra: string[];
  /** True when other candidates have the same score (identical key sets). */
  tie: boolean;
}
