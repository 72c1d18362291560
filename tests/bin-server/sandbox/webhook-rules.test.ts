import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../support/sandbox.js';

// One table of webhook fields, fed to both APIs of one real server: the plugin-compatible REST API
// (/wp-json/wu/v2/webhook) and ours (/api/sandbox/webhooks). Both must give the plugin's verdict:
// accepted, or refused naming the same field (REST: the plugin's 500 with the field as `code`;
// ours: 400 with `field`).

type Field = 'name' | 'webhook_url' | 'event' | 'integration';
type Verdict = 'accepted' | Field;

const VALID = {
  name: 'Verdict hook',
  webhook_url: 'https://receiver.example/hook',
  event: 'payment_received',
  integration: 'zapier',
};

const TABLE: Array<[Field, string, Verdict]> = [
  ['name', 'ab', 'accepted'],
  ['name', '😀😀', 'accepted'], // two characters (four UTF-16 units)
  ['name', 'n'.repeat(191), 'accepted'],
  ['name', 'x', 'name'],
  ['name', 'é', 'name'],
  ['name', '', 'name'],
  ['name', '   ', 'name'],
  ['name', 'n'.repeat(192), 'name'],
  ['webhook_url', 'http://127.0.0.1:3000/hook', 'accepted'],
  ['webhook_url', 'https://user:pw@a.example:8443/p?q=1#f', 'accepted'],
  ['webhook_url', 'http://[::1]:8080/x', 'accepted'],
  ['webhook_url', 'https://xn--bcher-kva.example/', 'accepted'],
  ['webhook_url', `https://a.example/${'a'.repeat(173)}`, 'accepted'], // 191 characters
  ['webhook_url', `https://a.example/${'a'.repeat(174)}`, 'webhook_url'],
  ['webhook_url', 'HTTP://example.com/x', 'webhook_url'], // rakit's prefix test is case-sensitive
  ['webhook_url', 'http://a_b.example/', 'webhook_url'], // PHP's hostname check: no underscore
  ['webhook_url', 'https://bücher.example/', 'webhook_url'],
  ['webhook_url', 'https://-a.example/', 'webhook_url'],
  ['webhook_url', 'http://a.example:99999/', 'webhook_url'],
  ['webhook_url', 'https://a.example/ x', 'webhook_url'],
  ['webhook_url', 'ftp://a.example/', 'webhook_url'],
  ['webhook_url', 'nope', 'webhook_url'],
  ['webhook_url', '', 'webhook_url'],
  ['event', 'addon_custom_event', 'accepted'],
  ['event', 'with space', 'accepted'], // the plugin takes any event string
  ['event', 'e'.repeat(40), 'accepted'],
  ['event', 'e'.repeat(41), 'event'],
  ['event', '', 'event'],
  ['event', '  ', 'event'],
  ['integration', 'manual', 'accepted'],
  ['integration', '', 'accepted'], // stored as `manual` on create
  ['integration', 'i'.repeat(191), 'accepted'],
  ['integration', 'z', 'integration'],
  ['integration', 'i'.repeat(192), 'integration'],
];

type Rec = Record<string, unknown>;

/** The REST API's verdict: 200, or the model's 500 whose `code` is the field. */
function restVerdict(answer: { status: number; json: unknown }): Verdict | string {
  if (answer.status === 200) return 'accepted';
  const code = (answer.json as Rec | undefined)?.code;
  return answer.status === 500 ? String(code) : `${answer.status} ${String(code)}`;
}

/** Our API's verdict: 201/200, or 400 naming the field. */
function apiVerdict(answer: { status: number; json: unknown }): Verdict | string {
  if (answer.status === 200 || answer.status === 201) return 'accepted';
  const field = (answer.json as Rec | undefined)?.field;
  return answer.status === 400 ? String(field) : `${answer.status} ${String(field)}`;
}

const stored = (record: unknown) => {
  const { name, webhook_url, event, integration } = record as Rec;
  return { name, webhook_url, event, integration };
};

describe('webhook rules: one verdict from both APIs', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it.each(TABLE)('create with %s = %j: %s', async (field, value, verdict) => {
    const fields = { ...VALID, [field]: value };
    const rest = await sandbox.rest('POST', '/webhook', { body: { ...fields, active: true } });
    const api = await sandbox.api('POST', '/sandbox/webhooks', fields);
    expect(restVerdict(rest), rest.text).toBe(verdict);
    expect(apiVerdict(api), api.text).toBe(verdict);
    if (verdict === 'accepted') {
      expect(stored(api.json)).toEqual(stored(rest.json));
      if (field === 'integration' && value === '') {
        expect(stored(api.json).integration).toBe('manual');
      }
    } else {
      expect((api.json as Rec).error).toBe('invalid_request');
    }
  });

  it.each(TABLE)('update with %s = %j: %s', async (field, value, verdict) => {
    const restHook = (await sandbox.rest('POST', '/webhook', { body: VALID })).json as Rec;
    const apiHook = (await sandbox.api('POST', '/sandbox/webhooks', VALID)).json as Rec;
    const rest = await sandbox.rest('PUT', `/webhook/${String(restHook.id)}`, {
      body: { [field]: value },
    });
    const api = await sandbox.api('PATCH', `/sandbox/webhooks/${String(apiHook.id)}`, {
      [field]: value,
    });
    expect(restVerdict(rest), rest.text).toBe(verdict);
    expect(apiVerdict(api), api.text).toBe(verdict);
    const restAfter = (await sandbox.rest('GET', `/webhook/${String(restHook.id)}`)).json;
    const apiAfter = (await sandbox.api('GET', `/sandbox/webhooks/${String(apiHook.id)}`)).json;
    // A refused update changes nothing; an accepted one the same field in both.
    expect(stored(apiAfter)).toEqual(stored(restAfter));
    expect(stored(apiAfter)).toEqual(verdict === 'accepted' ? { ...VALID, [field]: value } : VALID);
  });
});
