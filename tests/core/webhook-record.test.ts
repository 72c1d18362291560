import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  checkWebhookCreate,
  checkWebhookUpdate,
  formatWebhookRecord,
  invalidSetMethodError,
  unknownWebhookUpdateKeys,
  webhookCreateSchema,
  webhookNotFoundError,
  webhookRecordSchema,
  webhookUpdateSchema,
  type StoredWebhook,
} from '../../core/src/index.js';
import { commandWorks, need } from '../support/requirements.js';

// The key order of the plugin's to_array(): Base_Model's properties, then Webhook's.
const REST_KEYS = [
  'id',
  'model',
  'slug',
  'date_created',
  'date_modified',
  'migrated_from_id',
  'name',
  'webhook_url',
  'event',
  'event_count',
  'active',
  'hidden',
  'integration',
  'date_last_failed',
];

const stored: StoredWebhook = {
  id: 3,
  name: 'Zapier: Payment Received',
  webhook_url: 'https://hooks.zapier.com/hooks/standard/1/abc/',
  event: 'payment_received',
  event_count: 3,
  active: true,
  hidden: false,
  integration: 'zapier',
  date_created: '2026-04-01 12:00:00',
  date_modified: '2026-04-02 08:30:00',
};

const zapierBody = {
  name: 'Zapier: Payment Received',
  webhook_url: 'https://hooks.zapier.com/hooks/standard/1/abc/',
  event: 'payment_received',
  integration: 'zapier',
  active: true,
};

function failure(
  result: ReturnType<typeof checkWebhookCreate> | ReturnType<typeof checkWebhookUpdate>,
) {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('the REST record', () => {
  it('is shaped like the plugin: key order, database strings when loaded, typed when just created', () => {
    const loaded = formatWebhookRecord(stored, 'loaded');
    expect(Object.keys(loaded)).toEqual(REST_KEYS);
    expect(loaded).toEqual({
      id: '3',
      model: 'webhook',
      slug: '',
      date_created: '2026-04-01 12:00:00',
      date_modified: '2026-04-02 08:30:00',
      migrated_from_id: 0,
      name: 'Zapier: Payment Received',
      webhook_url: 'https://hooks.zapier.com/hooks/standard/1/abc/',
      event: 'payment_received',
      event_count: '3',
      active: true,
      hidden: '0',
      integration: 'zapier',
      date_last_failed: '0000-00-00 00:00:00',
    });
    const created = formatWebhookRecord(stored, 'created');
    expect(Object.keys(created)).toEqual(REST_KEYS);
    expect(created).toMatchObject({ id: 3, event_count: 3, hidden: false, active: true });
    expect(webhookRecordSchema.parse(loaded)).toEqual(loaded);
    expect(webhookRecordSchema.parse(created)).toEqual(created);
  });

  it('rejects records that are not the plugin shape', () => {
    const loaded = formatWebhookRecord(stored, 'loaded');
    expect(webhookRecordSchema.safeParse({ ...loaded, model: 'customer' }).success).toBe(false);
    expect(webhookRecordSchema.safeParse({ ...loaded, extra: 1 }).success).toBe(false);
    expect(webhookRecordSchema.safeParse({ ...loaded, id: 'three' }).success).toBe(false);
    expect(webhookRecordSchema.safeParse({ ...loaded, active: 'true' }).success).toBe(false);
    const { event: _event, ...withoutEvent } = loaded;
    expect(webhookRecordSchema.safeParse(withoutEvent).success).toBe(false);
  });
});

describe('POST /webhook validation', () => {
  it('accepts what the Zapier app sends and applies the REST-create defaults', () => {
    const result = checkWebhookCreate(zapierBody);
    expect(result).toEqual({
      ok: true,
      value: { ...zapierBody, active: true, hidden: false, event_count: 0 },
    });
    const { active: _active, ...withoutActive } = zapierBody;
    expect(checkWebhookCreate(withoutActive)).toMatchObject({ ok: true, value: { active: false } });
  });

  it('drops keys the plugin ignores on create', () => {
    const result = checkWebhookCreate({ ...zapierBody, api_key: 'k', foo: 'bar', model: 'x' });
    expect(result.ok && Object.keys(result.value)).not.toContain('foo');
    expect(result.ok && Object.keys(result.value)).not.toContain('api_key');
  });

  it('coerces REST types the way WordPress and the plugin do', () => {
    for (const [sent, expected] of [
      ['true', true],
      ['1', true],
      [1, true],
      ['TRUE', true],
      ['false', false],
      ['0', false],
      [0, false],
    ] as const) {
      expect(checkWebhookCreate({ ...zapierBody, active: sent })).toMatchObject({
        ok: true,
        value: { active: expected },
      });
    }
    expect(checkWebhookCreate({ ...zapierBody, event_count: '5' })).toMatchObject({
      value: { event_count: 5 },
    });
    expect(checkWebhookCreate({ ...zapierBody, event_count: 3.0 })).toMatchObject({
      value: { event_count: 3 },
    });
    expect(checkWebhookCreate({ ...zapierBody, integration: '' })).toMatchObject({
      value: { integration: 'manual' },
    });
  });

  it('answers 400 rest_missing_callback_param listing missing (or null) keys in the route order', () => {
    const error = failure(
      checkWebhookCreate({ integration: null, event: 'payment_received', name: 'X1' }),
    );
    expect(error).toEqual({
      status: 400,
      body: {
        code: 'rest_missing_callback_param',
        message: 'Missing parameter(s): webhook_url, integration',
        data: { status: 400, params: ['webhook_url', 'integration'] },
      },
    });
  });

  it('answers 400 rest_invalid_param for wrong types, in body order', () => {
    const error = failure(
      checkWebhookCreate({ ...zapierBody, event_count: '5.5', active: 'yes', name: 42 }),
    );
    expect(error).toEqual({
      status: 400,
      body: {
        code: 'rest_invalid_param',
        message: 'Invalid parameter(s): name, active, event_count',
        data: {
          status: 400,
          params: {
            name: 'name is not of type string.',
            active: 'active is not of type boolean.',
            event_count: 'event_count is not of type integer.',
          },
        },
      },
    });
    expect(failure(checkWebhookCreate({ ...zapierBody, hidden: null })).body.message).toBe(
      'Invalid parameter(s): hidden',
    );
  });

  it("answers with the model's messages (status 500, as WordPress does for a WP_Error without status)", () => {
    const error = failure(
      checkWebhookCreate({ ...zapierBody, name: 'a', webhook_url: 'ftp://example.com/x' }),
    );
    expect(error).toEqual({
      status: 500,
      body: {
        code: 'name',
        message: 'The Name minimum is 2',
        data: null,
        additional_errors: [
          { code: 'webhook_url', message: 'The Webhook url is not valid url', data: null },
        ],
      },
    });
    expect(failure(checkWebhookCreate({ ...zapierBody, event: '  ' })).body).toMatchObject({
      code: 'event',
      message: 'The Event field is required',
    });
    expect(failure(checkWebhookCreate({ ...zapierBody, integration: 'z' })).body.message).toBe(
      'The Integration minimum is 2',
    );
    // skip_validation bypasses the model's rules, as in the plugin
    expect(checkWebhookCreate({ ...zapierBody, name: 'a', skip_validation: true }).ok).toBe(true);
  });

  it("enforces the database's column lengths (191 for the URL, 40 for the event)", () => {
    const longUrl = `https://example.com/${'a'.repeat(191 - 'https://example.com/'.length)}`;
    expect(checkWebhookCreate({ ...zapierBody, webhook_url: longUrl }).ok).toBe(true);
    expect(
      failure(checkWebhookCreate({ ...zapierBody, webhook_url: `${longUrl}b` })).body.message,
    ).toBe('The Webhook url maximum is 191');
    expect(checkWebhookCreate({ ...zapierBody, event: 'e'.repeat(40) }).ok).toBe(true);
    expect(failure(checkWebhookCreate({ ...zapierBody, event: 'e'.repeat(41) })).body.message).toBe(
      'The Event maximum is 40',
    );
  });

  it('rejects a body that is not a JSON object', () => {
    for (const body of [null, [], 'name=x', 5]) {
      expect(failure(checkWebhookCreate(body)).body.code).toBe('rest_invalid_json');
    }
  });

  it('exposes the same rules as zod schemas', () => {
    expect(webhookCreateSchema.safeParse(zapierBody).success).toBe(true);
    const parsed = webhookCreateSchema.safeParse({ ...zapierBody, name: 'a' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['name'],
      message: 'The Name minimum is 2',
    });
  });
});

describe('POST/PUT/PATCH /webhook/{id} validation', () => {
  it('accepts partial updates and ignores credentials and meta', () => {
    expect(checkWebhookUpdate({ name: 'Renamed', api_key: 'k', meta: {} })).toEqual({
      ok: true,
      value: { name: 'Renamed' },
    });
    expect(checkWebhookUpdate({ active: 'false', event_count: '7' })).toEqual({
      ok: true,
      value: { active: false, event_count: 7 },
    });
  });

  it('answers 400 wu_rest_webhook_invalid_set_method for the first key without a setter', () => {
    const error = failure(
      checkWebhookUpdate({ name: 'Renamed', foo: 1, date_last_failed: '2026-01-01 00:00:00' }),
    );
    expect(error).toEqual({
      status: 400,
      body: {
        code: 'wu_rest_webhook_invalid_set_method',
        message: 'The WP_Ultimo\\Models\\Webhook object does not have a set_foo method',
        data: { status: 400 },
      },
    });
    expect(invalidSetMethodError('foo')).toEqual(error);
    expect(
      unknownWebhookUpdateKeys({
        name: 'x',
        foo: 1,
        date_last_failed: '',
        id: 4,
        api_secret: 's',
        model: 'w',
      }),
    ).toEqual(['foo', 'date_last_failed', 'id', 'model']);
    expect(webhookUpdateSchema.safeParse({ bar: 1 }).success).toBe(false);
  });

  it('checks REST types before setters, and model rules on the fields given', () => {
    expect(failure(checkWebhookUpdate({ active: 'yes', foo: 1 })).body.code).toBe(
      'rest_invalid_param',
    );
    expect(failure(checkWebhookUpdate({ webhook_url: 'not a url' })).body).toMatchObject({
      code: 'webhook_url',
      message: 'The Webhook url is not valid url',
    });
  });

  it('answers 404 for an unknown id like the plugin', () => {
    expect(webhookNotFoundError()).toEqual({
      status: 404,
      body: {
        code: 'wu_rest_webhook_invalid_id',
        message: 'Item not found.',
        data: { status: 404 },
      },
    });
  });
});

const hasPhp = need('php', commandWorks('php', ['-v']), 'apt-get install php-cli');

describe.runIf(hasPhp)(
  'webhook_url validation matches PHP filter_var + rakit url:http,https',
  () => {
    it('agrees with real PHP on a table of URLs', () => {
      const urls = [
        'http://example.com',
        'https://hooks.zapier.com/hooks/catch/123/abc/',
        'http://localhost:8080/x?y=1#z',
        'http://127.0.0.1:3000/b/abc',
        'http://[::1]:3000/x',
        'http://[zz]/',
        'http://exa mple.com',
        'http://exämple.com',
        'http://ex_ample.com',
        'http://-a.com',
        'http://a-.com',
        'http://a..b',
        'http://a.b.',
        'http://a:99999/',
        'http://a:/',
        'http://user:pa ss@a.com',
        'http://user:pass@a.com/',
        'http://us%20er@a.com',
        'ftp://a.com',
        'http:/a.com',
        'http://',
        '//a.com',
        'HTTP://A.COM',
        'http://a.com/<>"{}|\\^`',
        'http://a.com/ä',
        'http://a.com:80:80/',
        'http://xn--bcher-kva.example/',
        `http://${'a'.repeat(64)}.com`,
        `http://${'a'.repeat(63)}.com`,
        'http://1.2.3.4/',
        'http://a.com?x=1',
        'http://a.com#f',
        'http://a.com/\n',
        'https://a.com\t',
        'http://@a.com',
        'http://a@b@c.com',
        'http://a.com:0/',
        'http://[::1/',
        'http://a.com/%zz',
        'https://a.com/?q=%E2%9C%93',
        ' http://a.com',
        'http://a.com ',
        'https://network.example.com/wp-json/',
      ];
      const script =
        '$u = json_decode(file_get_contents("php://stdin"));' +
        'foreach ($u as $x) { echo (filter_var($x, FILTER_VALIDATE_URL) !== false && preg_match("/^https?:\\/\\//", $x)) ? "1" : "0"; }';
      const php = execFileSync('php', ['-r', script], { input: JSON.stringify(urls) }).toString();
      expect(php).toHaveLength(urls.length);
      expect(php).toMatch(/1/);
      expect(php).toMatch(/0/);
      urls.forEach((url, index) => {
        expect(
          checkWebhookCreate({ ...zapierBody, webhook_url: url }).ok,
          JSON.stringify(url),
        ).toBe(php[index] === '1');
      });
    });
  },
);
