// The plugin's webhook record and the checks its REST API applies, ported exactly (not
// approximately) so that the sandbox answers what a real site answers: integrations tested
// here behave the same against production. Both sandbox APIs use these rules. Where each fact
// comes from in the plugin's source: README.md, "Where the plugin's rules come from".
import { z } from 'zod';
import { isPluginWebhookUrl } from './php-url.js';

const WEBHOOK_CLASS = 'WP_Ultimo\\Models\\Webhook';
const NEVER_FAILED = '0000-00-00 00:00:00';

// ---------------------------------------------------------------- the REST record

const numericId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]);
const nullableDate = z.string().nullable();

/** The JSON the plugin's REST API returns for a webhook, fresh from a create or loaded from the DB. */
export const webhookRecordSchema = z.strictObject({
  /** Integer right after a create, numeric string when loaded from the database. */
  id: numericId,
  model: z.literal('webhook'),
  slug: z.string(),
  date_created: nullableDate,
  date_modified: nullableDate,
  migrated_from_id: z.number().int().nonnegative().nullable(),
  name: z.string(),
  webhook_url: z.string(),
  event: z.string(),
  event_count: numericId,
  active: z.boolean(),
  /** Boolean as sent on create; "0"/"1" when loaded from the tinyint column. */
  hidden: z.union([z.boolean(), z.enum(['0', '1'])]),
  integration: z.string(),
  date_last_failed: nullableDate,
});
export type WebhookRecord = z.infer<typeof webhookRecordSchema>;

/** A webhook as the kit stores it: clean types. */
export interface StoredWebhook {
  id: number;
  name: string;
  webhook_url: string;
  event: string;
  event_count: number;
  active: boolean;
  hidden: boolean;
  integration: string;
  date_created: string | null;
  date_modified: string | null;
  date_last_failed?: string | null;
  migrated_from_id?: number;
  slug?: string;
}

/**
 * The plugin's JSON for a webhook: `created` is the POST /webhook answer (the model as built,
 * typed values), `loaded` what GET, list and update answers carry (database strings).
 */
export function formatWebhookRecord(
  webhook: StoredWebhook,
  form: 'created' | 'loaded',
): WebhookRecord {
  const loaded = form === 'loaded';
  return {
    id: loaded ? String(webhook.id) : webhook.id,
    model: 'webhook',
    slug: webhook.slug ?? '',
    date_created: webhook.date_created,
    date_modified: webhook.date_modified,
    migrated_from_id: webhook.migrated_from_id ?? 0,
    name: webhook.name,
    webhook_url: webhook.webhook_url,
    event: webhook.event,
    event_count: loaded ? String(webhook.event_count) : webhook.event_count,
    active: webhook.active,
    hidden: loaded ? (webhook.hidden ? '1' : '0') : webhook.hidden,
    integration: webhook.integration,
    date_last_failed: webhook.date_last_failed ?? NEVER_FAILED,
  };
}

// ---------------------------------------------------------------- REST argument types

/** Which check an issue comes from; decides the HTTP answer (see checkWebhookCreate). */
export type WebhookIssueLayer = 'missing' | 'type' | 'model' | 'set-method';

function layered(layer: WebhookIssueLayer, message: string) {
  return { message, params: { layer } };
}

/** WordPress's messages: "Missing parameter(s): <key>" or "<key> is not of type <type>.". */
function restError(key: string, type: string, required: boolean) {
  return (issue: { input: unknown }) =>
    required && (issue.input === undefined || issue.input === null)
      ? `Missing parameter(s): ${key}`
      : `${key} is not of type ${type}.`;
}

function restString(key: string, required = false) {
  return z.string({ error: restError(key, 'string', required) });
}

/** rest_is_boolean: booleans, 0/1, and "true"/"false"/"1"/"0" in any case. */
function isRestBoolean(value: unknown): value is boolean | number | string {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'number') return value === 0 || value === 1;
  return typeof value === 'string' && /^(true|false|1|0)$/i.test(value);
}

/** rest_is_integer: an integral number, or a numeric string holding one. */
function isRestInteger(value: unknown): value is number | string {
  if (typeof value === 'number') return Number.isInteger(value);
  return (
    typeof value === 'string' &&
    /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value) &&
    Number.isInteger(Number(value))
  );
}

/** rest_is_boolean, then wu_string_to_bool. */
function restBoolean(key: string) {
  return z
    .unknown()
    .refine(isRestBoolean, layered('type', `${key} is not of type boolean.`))
    .transform((value) => value === true || value === 1 || /^(true|1)$/i.test(String(value)));
}

function restInteger(key: string) {
  return z
    .unknown()
    .refine(isRestInteger, layered('type', `${key} is not of type integer.`))
    .transform(Number);
}

// ---------------------------------------------------------------- model rules

/**
 * The plugin's column sizes (wu_webhooks table, varchar lengths in characters). Longer values
 * fail its insert; the kit refuses them as validation errors instead.
 */
export const WEBHOOK_MAX_LENGTH = {
  name: 191,
  webhook_url: 191,
  event: 40,
  integration: 191,
} as const;

/** The model's `min:2` rules. */
export const WEBHOOK_MIN_LENGTH = { name: 2, integration: 2 } as const;

/** The fields the model's rules check. */
export type WebhookRuleField = keyof typeof WEBHOOK_MAX_LENGTH;

/** What the plugin stores for an empty integration (rakit's `default:manual`). */
export function integrationOrDefault(integration: string): string {
  return integration.trim() === '' ? 'manual' : integration;
}

const codePoints = (text: string) => [...text].length;

const RULES: Record<WebhookRuleField, { label: string; required: boolean; url?: true }> = {
  name: { label: 'Name', required: true },
  webhook_url: { label: 'Webhook url', required: true, url: true },
  event: { label: 'Event', required: true },
  integration: { label: 'Integration', required: false },
};

/** One failed model rule: which field, which rule, and the plugin's own message. */
export interface WebhookRuleProblem {
  field: WebhookRuleField;
  rule: 'required' | 'min' | 'url' | 'max';
  /** The length bound of a `min` or `max` problem. */
  limit?: number;
  /** What the plugin says, e.g. `The Name minimum is 2`. */
  message: string;
}

/**
 * The model's rules (rakit/validation, then the column sizes) on the string fields present in
 * `fields`, in the plugin's rule order; at most one problem per field. Non-strings are left to
 * the REST type checks.
 */
export function webhookRuleProblems(fields: Record<string, unknown>): WebhookRuleProblem[] {
  const problems: WebhookRuleProblem[] = [];
  for (const field of Object.keys(RULES) as WebhookRuleField[]) {
    const value = fields[field];
    if (typeof value !== 'string') continue;
    const rule = RULES[field];
    const min = (WEBHOOK_MIN_LENGTH as Partial<Record<WebhookRuleField, number>>)[field];
    const max = WEBHOOK_MAX_LENGTH[field];
    if (value.trim() === '') {
      // rakit skips the other rules of an empty optional field.
      if (rule.required)
        problems.push({ field, rule: 'required', message: `The ${rule.label} field is required` });
    } else if (min !== undefined && codePoints(value) < min) {
      problems.push({
        field,
        rule: 'min',
        limit: min,
        message: `The ${rule.label} minimum is ${min}`,
      });
    } else if (rule.url && !isPluginWebhookUrl(value)) {
      problems.push({ field, rule: 'url', message: `The ${rule.label} is not valid url` });
    } else if (codePoints(value) > max) {
      problems.push({
        field,
        rule: 'max',
        limit: max,
        message: `The ${rule.label} maximum is ${max}`,
      });
    }
  }
  return problems;
}

/** The model's rules as schema issues (skipped with skip_validation, as in the plugin). */
function addModelIssues(data: Record<string, unknown>, context: z.RefinementCtx): void {
  if (data.skip_validation === true) return;
  for (const problem of webhookRuleProblems(data)) {
    context.addIssue({
      code: 'custom',
      path: [problem.field],
      ...layered('model', problem.message),
    });
  }
}

// ---------------------------------------------------------------- create and update

const optionalFields = {
  event_count: restInteger('event_count').optional(),
  active: restBoolean('active').optional(),
  hidden: restBoolean('hidden').optional(),
  date_created: restString('date_created').optional(),
  date_modified: restString('date_modified').optional(),
  date_last_failed: restString('date_last_failed').optional(),
  migrated_from_id: restInteger('migrated_from_id').transform(Math.abs).optional(),
  skip_validation: restBoolean('skip_validation').optional(),
};

/**
 * POST /webhook: REST argument types, then the model's rules. Unknown keys are dropped (the
 * plugin ignores them). Output: clean values with the REST-create defaults (active false,
 * hidden false, event_count 0); an empty integration becomes 'manual' as rakit's default does.
 */
export const webhookCreateSchema = z
  .object({
    name: restString('name', true),
    webhook_url: restString('webhook_url', true),
    event: restString('event', true),
    integration: restString('integration', true),
    ...optionalFields,
  })
  .superRefine(addModelIssues)
  .transform((data) => ({
    ...data,
    integration: integrationOrDefault(data.integration),
    active: data.active ?? false,
    hidden: data.hidden ?? false,
    event_count: data.event_count ?? 0,
  }));
export type WebhookCreate = z.infer<typeof webhookCreateSchema>;

/** Body keys the update endpoint accepts without calling a setter (credentials are filtered out). */
const IGNORED_UPDATE_KEYS = new Set(['api_key', 'api_secret', 'api-key', 'api-secret', 'meta']);
/** Keys with a public `set_<key>` method on the plugin's Webhook model. */
const SETTER_KEYS = new Set([
  'name',
  'webhook_url',
  'event',
  'event_count',
  'active',
  'hidden',
  'integration',
  'date_created',
  'date_modified',
  'migrated_from_id',
  'skip_validation',
  'slug',
]);

/**
 * Body keys, in order, that the plugin's update endpoint cannot set: the first one makes it
 * answer 400 wu_rest_webhook_invalid_set_method (see invalidSetMethodError). `id` counts as
 * one (the plugin's set_id is private; calling it is a fatal error there).
 */
export function unknownWebhookUpdateKeys(body: Record<string, unknown>): string[] {
  return Object.keys(body).filter((key) => !SETTER_KEYS.has(key) && !IGNORED_UPDATE_KEYS.has(key));
}

const updateFields = z.object({
  name: restString('name').optional(),
  webhook_url: restString('webhook_url').optional(),
  event: restString('event').optional(),
  integration: restString('integration').optional(),
  slug: z.string().optional(),
  ...optionalFields,
});
export type WebhookUpdate = z.infer<typeof updateFields>;
const UPDATE_FIELD_KEYS: readonly string[] = Object.keys(updateFields.shape);

/**
 * POST/PUT/PATCH /webhook/{id}: every field optional; REST types, then keys without a setter
 * (rejected), then the model's rules on the fields given. Output: only the fields to change.
 */
export const webhookUpdateSchema = updateFields
  .loose()
  .superRefine((data, context) => {
    const unknown = unknownWebhookUpdateKeys(data);
    for (const key of unknown) {
      context.addIssue({
        code: 'custom',
        path: [key],
        ...layered('set-method', invalidSetMethodMessage(key)),
      });
    }
    if (unknown.length === 0) addModelIssues(data, context);
  })
  .transform(
    (data): WebhookUpdate =>
      Object.fromEntries(
        Object.entries(data).filter(([key]) => UPDATE_FIELD_KEYS.includes(key)),
      ) as WebhookUpdate,
  );

// ---------------------------------------------------------------- the plugin's error answers

export interface WpRestErrorBody {
  code: string;
  message: string;
  data: unknown;
  additional_errors?: Array<{ code: string; message: string; data: unknown }>;
}

export interface WpRestError {
  status: number;
  body: WpRestErrorBody;
}

function invalidSetMethodMessage(key: string): string {
  return `The ${WEBHOOK_CLASS} object does not have a set_${key} method`;
}

export function invalidSetMethodError(key: string): WpRestError {
  return {
    status: 400,
    body: {
      code: 'wu_rest_webhook_invalid_set_method',
      message: invalidSetMethodMessage(key),
      data: { status: 400 },
    },
  };
}

export function webhookNotFoundError(): WpRestError {
  return {
    status: 404,
    body: { code: 'wu_rest_webhook_invalid_id', message: 'Item not found.', data: { status: 404 } },
  };
}

const REQUIRED_ON_CREATE = ['name', 'webhook_url', 'event', 'integration'];

/** Turns schema issues into the answer the plugin (through WordPress's REST server) gives. */
function toPluginError(
  issues: z.core.$ZodIssue[],
  body: Record<string, unknown>,
  creating: boolean,
): WpRestError {
  const bodyKeys = Object.keys(body);
  const keyOf = (issue: z.core.$ZodIssue) => String(issue.path[0] ?? '');
  const layerOf = (issue: z.core.$ZodIssue): WebhookIssueLayer => {
    const layer = (issue as { params?: { layer?: WebhookIssueLayer } }).params?.layer;
    if (layer) return layer;
    const key = keyOf(issue);
    return creating && REQUIRED_ON_CREATE.includes(key) && body[key] == null ? 'missing' : 'type';
  };
  const inLayer = (layer: WebhookIssueLayer) => issues.filter((issue) => layerOf(issue) === layer);

  // WordPress lists missing keys in the order of the route's args.
  const missingKeys = new Set(inLayer('missing').map(keyOf));
  const missing = REQUIRED_ON_CREATE.filter((key) => missingKeys.has(key));
  if (missing.length > 0) {
    return {
      status: 400,
      body: {
        code: 'rest_missing_callback_param',
        message: `Missing parameter(s): ${missing.join(', ')}`,
        data: { status: 400, params: missing },
      },
    };
  }
  const invalid = inLayer('type').sort(
    (a, b) => bodyKeys.indexOf(keyOf(a)) - bodyKeys.indexOf(keyOf(b)),
  );
  if (invalid.length > 0) {
    const params = Object.fromEntries(invalid.map((issue) => [keyOf(issue), issue.message]));
    return {
      status: 400,
      body: {
        code: 'rest_invalid_param',
        message: `Invalid parameter(s): ${Object.keys(params).join(', ')}`,
        data: { status: 400, params },
      },
    };
  }
  const setMethod = inLayer('set-method').sort(
    (a, b) => bodyKeys.indexOf(keyOf(a)) - bodyKeys.indexOf(keyOf(b)),
  )[0];
  if (setMethod) return invalidSetMethodError(keyOf(setMethod));

  // The model's WP_Error has no status: WordPress's REST server answers 500.
  const [first, ...rest] = inLayer('model').map((issue) => ({
    code: keyOf(issue),
    message: issue.message,
    data: null,
  }));
  return {
    status: 500,
    body: {
      ...(first ?? { code: 'wu_rest_webhook', message: 'Invalid webhook.', data: null }),
      ...(rest.length > 0 ? { additional_errors: rest } : {}),
    },
  };
}

export type WebhookCheck<T> = { ok: true; value: T } | { ok: false; error: WpRestError };

function check<T>(schema: z.ZodType<T>, body: unknown, creating: boolean): WebhookCheck<T> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return {
      ok: false,
      error: {
        status: 400,
        body: {
          code: 'rest_invalid_json',
          message: 'Invalid JSON body passed.',
          data: { status: 400 },
        },
      },
    };
  }
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    error: toPluginError(result.error.issues, body as Record<string, unknown>, creating),
  };
}

/** POST /webhook: the clean webhook to store, or the plugin's error answer. */
export function checkWebhookCreate(body: unknown): WebhookCheck<WebhookCreate> {
  return check(webhookCreateSchema, body, true);
}

/** POST/PUT/PATCH /webhook/{id}: the fields to change, or the plugin's error answer. */
export function checkWebhookUpdate(body: unknown): WebhookCheck<WebhookUpdate> {
  return check(webhookUpdateSchema, body, false);
}
