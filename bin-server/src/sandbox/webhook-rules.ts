/**
 * The plugin's webhook validation (Webhook::validation_rules plus the wu_webhooks column sizes),
 * shared by the plugin-compatible REST API and /api/sandbox. Each problem carries the plugin's
 * own message (rakit/validation wording, used by the REST API) and a plainer one for our API.
 */
export interface WebhookFields {
  name: string;
  webhook_url: string;
  event: string;
  integration: string;
}

export interface WebhookProblem {
  field: keyof WebhookFields;
  /** What the plugin answers, e.g. `The Name minimum is 2`. */
  pluginMessage: string;
  /** What /api/sandbox answers: what is wrong and what to do. */
  message: string;
}

/** rakit/validation's humanized attribute: `webhook_url` → `Webhook url`. */
function humanized(field: string): string {
  const words = field.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Column sizes of the plugin's wu_webhooks table (MySQL varchar lengths count characters). */
export const MAX_LENGTH: Record<keyof WebhookFields, number> = {
  name: 191,
  webhook_url: 191,
  event: 40,
  integration: 191,
};

const length = (text: string) => [...text].length;

/** PHP's FILTER_VALIDATE_URL plus rakit's `url:http,https` scheme check, approximately. */
export function isHttpUrl(text: string): boolean {
  if (/\s/.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The problems of a complete set of fields (create, or a record after an update), in field order. */
export function webhookProblems(fields: WebhookFields): WebhookProblem[] {
  const problems: WebhookProblem[] = [];
  const required = (field: keyof WebhookFields) => {
    problems.push({
      field,
      pluginMessage: `The ${humanized(field)} field is required`,
      message: `"${field}" is required.`,
    });
  };
  const tooLong = (field: keyof WebhookFields) => {
    const max = MAX_LENGTH[field];
    if (length(fields[field]) <= max) return false;
    problems.push({
      field,
      pluginMessage: `The ${humanized(field)} maximum is ${max}`,
      message: `"${field}" is longer than ${max} characters (the plugin's column size): shorten it.`,
    });
    return true;
  };

  if (fields.name === '') required('name');
  else if (length(fields.name) < 2) {
    problems.push({
      field: 'name',
      pluginMessage: 'The Name minimum is 2',
      message: '"name" needs at least 2 characters.',
    });
  } else tooLong('name');

  if (fields.webhook_url === '') required('webhook_url');
  else if (!tooLong('webhook_url') && !isHttpUrl(fields.webhook_url)) {
    problems.push({
      field: 'webhook_url',
      pluginMessage: 'The Webhook url is not valid url',
      message: `"webhook_url" must be an http:// or https:// URL (got "${fields.webhook_url}").`,
    });
  }

  if (fields.event === '') required('event');
  else tooLong('event');

  if (length(fields.integration) < 2) {
    problems.push({
      field: 'integration',
      pluginMessage: 'The Integration minimum is 2',
      message: '"integration" needs at least 2 characters, e.g. "manual" or "zapier".',
    });
  } else tooLong('integration');

  return problems;
}
