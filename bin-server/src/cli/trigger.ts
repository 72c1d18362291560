import fs from 'node:fs';
import { Command, Option } from 'commander';
import {
  deliver,
  generateSecret,
  parsePayload,
  resolveEvent,
  type Attempt,
  type DeliverOptions,
  type Profile,
} from '@umhooks/core';
import type { AttemptJson, DeliveryJson } from '../wire/sandbox.js';
import { fail } from './options.js';

interface TriggerOptions {
  url?: string;
  payload?: string;
  profile?: string;
  secret?: string;
  server?: string;
  token?: string;
  force?: boolean;
  timeout?: string;
  verbose?: boolean;
  redeliver?: string;
}

const DEFAULT_SERVER = 'http://127.0.0.1:8787';
const EXCERPT = 2000;

const EXAMPLES = `
Examples:
  $ umhooks trigger payment_received --url http://localhost:3000/hooks
      # POST the realistic sample exactly as Ultimate Multisite would (no server needed)
  $ umhooks trigger payment_received --url http://localhost:3000/hooks --profile standard
      # signed with Standard Webhooks headers; prints the generated secret to verify with
  $ umhooks trigger site_published --url https://example.test/hook --payload event.json
  $ cat event.json | umhooks trigger site_published --url http://localhost:3000/hook --payload -
  $ umhooks trigger payment_received
      # fire through a running "umhooks serve" to every active sandbox webhook of the event
  $ umhooks trigger payment_received --server http://127.0.0.1:9000 --token <token>
  $ umhooks trigger --redeliver msg_2Yx…
      # send a past sandbox delivery again (same payload and webhook-id) and print the answer

Exit code: 0 when the target answered (whatever the status; it is printed), 1 when no answer
came (refused, timeout, DNS…) or the fire failed, 2 for a usage mistake.`;

async function readPayload(source: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text =
      source === '-'
        ? await new Promise<string>((resolve, reject) => {
            let data = '';
            process.stdin.setEncoding('utf8');
            process.stdin.on('data', (chunk: string) => (data += chunk));
            process.stdin.on('end', () => resolve(data));
            process.stdin.on('error', reject);
          })
        : fs.readFileSync(source, 'utf8');
  } catch (error) {
    return fail(`cannot read --payload ${source}: ${(error as Error).message}`, 2);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(`--payload ${source} is not JSON: ${(error as Error).message}`, 2);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail(
      `--payload ${source} must hold a JSON object (an event payload), not ${JSON.stringify(parsed).slice(0, 40)}.`,
      2,
    );
  }
  return parsed as Record<string, unknown>;
}

function warnIssues(event: string, payload: Record<string, unknown>): void {
  const checked = parsePayload(event, payload);
  if (!checked.event.known) {
    console.error(
      `umhooks: "${event}" is not in the catalog (an add-on event?): the payload is sent unchecked.`,
    );
    return;
  }
  const issues = checked.issues;
  if (issues.length === 0) return;
  console.error(`umhooks: warning: the payload does not fully fit "${event}" (sent anyway):`);
  for (const issue of issues.slice(0, 20)) console.error(`  - ${issue.message}`);
  if (issues.length > 20) console.error(`  … and ${issues.length - 20} more`);
}

function printAttempt(attempt: Attempt, verbose: boolean): void {
  const request = attempt.request;
  console.log(`→ ${request.method} ${request.url}`);
  if (verbose) {
    for (const [name, value] of request.headers) console.log(`  ${name}: ${value}`);
    console.log(
      `  ${request.body.length > EXCERPT ? `${request.body.slice(0, EXCERPT)}…` : request.body}`,
    );
  }
  for (const hop of attempt.redirects ?? []) {
    console.log(`↪ ${hop.status} redirect to ${hop.location}`);
  }
  if (attempt.status !== undefined) {
    console.log(`← ${attempt.status} in ${attempt.durationMs} ms`);
    if (verbose)
      for (const [name, value] of attempt.responseHeaders ?? []) console.log(`  ${name}: ${value}`);
    const body = attempt.responseBody ?? '';
    if (body !== '') {
      const cut = body.length > EXCERPT || attempt.responseTruncated === true;
      console.log(`${body.slice(0, EXCERPT)}${cut ? '\n… (response truncated)' : ''}`);
    } else {
      console.log('(empty response body: the plugin’s Send Test Event dialog would show an error)');
    }
  }
  if (attempt.error) {
    const prefix = attempt.status === undefined ? '✗ no answer' : '✗ answer incomplete';
    console.log(
      `${prefix} after ${attempt.durationMs} ms: ${attempt.error.message} (${attempt.error.kind})`,
    );
  }
}

/** An attempt of the delivery log (wire shape), as printAttempt reads attempts. */
function fromWire(attempt: AttemptJson): Attempt {
  return {
    startedAt: attempt.started_at,
    durationMs: attempt.duration_ms,
    request: {
      method: attempt.request.method as Attempt['request']['method'],
      url: attempt.request.url,
      headers: attempt.request.headers,
      body: attempt.request.body,
    },
    ...(attempt.status !== null ? { status: attempt.status } : {}),
    ...(attempt.response_headers !== null ? { responseHeaders: attempt.response_headers } : {}),
    ...(attempt.response_body !== null ? { responseBody: attempt.response_body } : {}),
    responseTruncated: attempt.response_truncated,
    ...(attempt.error !== null ? { error: attempt.error } : {}),
  };
}

function serverOf(options: TriggerOptions): string {
  const server = (options.server ?? DEFAULT_SERVER).replace(/\/+$/, '');
  if (!/^https?:\/\//i.test(server)) fail(`--server ${server} is not an http(s) URL.`, 2);
  return server;
}

function unreachable(server: string, error: unknown): never {
  const cause =
    (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
  return fail(
    `cannot reach umhooks at ${server} (${cause}). Start it with "umhooks serve", pass --server, or send straight to a receiver with --url.`,
  );
}

/** `--redeliver <id>`: the server sends the delivery again now; its answer is printed. */
async function redeliverThroughServer(id: string, options: TriggerOptions): Promise<never> {
  const server = serverOf(options);
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await fetch(`${server}/api/sandbox/deliveries/${encodeURIComponent(id)}/redeliver`, {
      method: 'POST',
      headers,
    });
  } catch (error) {
    return unreachable(server, error);
  }
  const answer = (await res.json().catch(() => ({}))) as Partial<DeliveryJson> & FireAnswer;
  if (res.status !== 200 || !answer.attempts) {
    console.error(
      `umhooks: delivery ${id} was not redelivered (${res.status} ${answer.error ?? ''}): ${answer.message ?? ''}`,
    );
    if (res.status === 401)
      console.error('Pass the access token printed by "umhooks serve" with --token.');
    process.exit(1);
  }
  const attempt = answer.attempts.at(-1)!;
  console.log(`Redelivered ${id} (attempt ${attempt.number}, webhook ${answer.webhook_id}):`);
  printAttempt(fromWire(attempt), options.verbose === true);
  const why = attempt.reason ? ` ${attempt.reason}` : '';
  console.log(`Delivery ${id} is now ${answer.status}.${why}`);
  process.exit(attempt.status === null ? 1 : 0);
}

async function sendDirect(event: string, url: string, options: TriggerOptions): Promise<never> {
  const profile = (options.profile ?? 'plugin') as Profile;
  const payload =
    options.payload !== undefined ? await readPayload(options.payload) : resolveEvent(event).sample;
  if (options.payload !== undefined) warnIssues(event, payload);
  else if (!resolveEvent(event).known) {
    fail(
      `"${event}" is not in the catalog, so there is no sample: pass --payload <file> (umhooks events lists the known ones).`,
      2,
    );
  }
  const deliverOptions: DeliverOptions = { profile, eventId: event };
  if (profile === 'standard') {
    deliverOptions.secret = options.secret ?? generateSecret();
    if (options.secret === undefined)
      console.error(`umhooks: signing secret ${deliverOptions.secret}`);
  }
  if (options.timeout !== undefined) {
    const ms = Number(options.timeout);
    if (!Number.isInteger(ms) || ms < 1)
      fail(`--timeout ${options.timeout} is not a number of milliseconds.`, 2);
    deliverOptions.timeoutMs = ms;
  }
  let attempt: Attempt;
  try {
    attempt = await deliver(url, payload, deliverOptions);
  } catch (error) {
    return fail((error as Error).message, 2);
  }
  printAttempt(attempt, options.verbose === true);
  process.exit(attempt.status === undefined ? 1 : 0);
}

interface FireAnswer {
  event?: string;
  deliveries?: string[];
  error?: string;
  message?: string;
  issues?: Array<{ message: string }>;
}

async function fireThroughServer(event: string, options: TriggerOptions): Promise<never> {
  const server = serverOf(options);
  const body: Record<string, unknown> = { event };
  if (options.payload !== undefined) body.payload = await readPayload(options.payload);
  if (options.force) body.force = true;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await fetch(`${server}/api/sandbox/fire`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
  } catch (error) {
    return unreachable(server, error);
  }
  const answer = (await res.json().catch(() => ({}))) as FireAnswer;
  if (res.status === 202) {
    const ids = answer.deliveries ?? [];
    if (ids.length === 0) {
      console.log(
        `Fired ${event}, but no active sandbox webhook subscribes to it: add one in the UI (${server}/#/webhooks) or with POST /wp-json/wu/v2/webhook.`,
      );
    } else {
      console.log(
        `Fired ${event} to ${ids.length} webhook${ids.length === 1 ? '' : 's'} (queued in the outbox):`,
      );
      for (const id of ids) console.log(`  ${id}    ${server}/api/sandbox/deliveries/${id}`);
    }
    process.exit(0);
  }
  console.error(
    `umhooks: the server refused the fire (${res.status} ${answer.error ?? ''}): ${answer.message ?? ''}`,
  );
  for (const issue of answer.issues ?? []) console.error(`  - ${issue.message}`);
  if (answer.error === 'invalid_payload')
    console.error('Fix the payload, or pass --force to fire it anyway.');
  if (answer.error === 'unknown_event')
    console.error(
      '"umhooks events" lists the known ones; an add-on\'s event needs --payload <file>.',
    );
  if (res.status === 401)
    console.error('Pass the access token printed by "umhooks serve" with --token.');
  process.exit(1);
}

export function triggerCommand(): Command {
  return new Command('trigger')
    .description(
      'Send one event: straight to a URL with --url (no server needed), or through a running server to its sandbox webhooks.',
    )
    .argument('[event]', 'event id, e.g. payment_received (see "umhooks events")')
    .option('--url <target>', 'POST the event to this URL directly')
    .option(
      '--payload <file|->',
      'JSON payload to send (file, or - for stdin); default: the catalog sample',
    )
    .addOption(
      new Option('--profile <profile>', 'how to send with --url')
        .choices(['plugin', 'standard'])
        .default('plugin'),
    )
    .option(
      '--secret <whsec_…>',
      'signing secret for --profile standard (default: a new one, printed)',
    )
    .option(
      '--timeout <ms>',
      'give up waiting after this many milliseconds (default: 45000 plugin, 15000 standard)',
    )
    .option('--verbose', 'also print the exact request sent and the response headers')
    .addOption(
      new Option(
        '--server <url>',
        `umhooks server to fire through (default: ${DEFAULT_SERVER})`,
      ).env('UMHOOKS_SERVER'),
    )
    .addOption(new Option('--token <token>', 'access token of that server').env('UMHOOKS_TOKEN'))
    .option('--force', 'through the server: fire a payload that fails the event schema anyway')
    .option(
      '--redeliver <delivery id>',
      "through the server: send a past sandbox delivery again (same payload and webhook-id, the webhook's current URL)",
    )
    .addHelpText('after', EXAMPLES)
    .action(async (event: string | undefined, options: TriggerOptions, self: Command) => {
      if (options.redeliver !== undefined) {
        const conflicting = ['url', 'payload', 'secret', 'force', 'timeout'].filter(
          (name) => self.getOptionValue(name) !== undefined,
        );
        if (self.getOptionValueSource('profile') === 'cli') conflicting.push('profile');
        if (event !== undefined || conflicting.length > 0) {
          const given = [...(event !== undefined ? [`the event "${event}"`] : [])];
          given.push(...conflicting.map((name) => `--${name}`));
          fail(
            `--redeliver sends a past delivery as it was fired (its payload, its webhook's URL and profile): drop ${given.join(', ')}.`,
            2,
          );
        }
        await redeliverThroughServer(options.redeliver, options);
      }
      if (event === undefined) {
        fail('give an event id (e.g. payment_received), or --redeliver <delivery id>.', 2);
      }
      if (options.secret !== undefined && options.profile !== 'standard') {
        fail('--secret only applies to --profile standard.', 2);
      }
      if (options.url !== undefined) await sendDirect(event, options.url, options);
      await fireThroughServer(event, options);
    });
}
