import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command, Option } from 'commander';
import {
  deliver,
  generateSecret,
  getScenario,
  listScenarios,
  MAX_SEED,
  parseAssignments,
  runScenario,
  ScenarioError,
  type DeliverOptions,
  type Overrides,
  type Profile,
  type ScenarioRun,
} from '@umhooks/core';
import { parseDuration } from '../config.js';
import { fail } from './options.js';
import { printAttempt } from './trigger.js';

const DEFAULT_SERVER = 'http://127.0.0.1:8787';

interface RunOptions {
  url?: string;
  seed?: string;
  start?: string;
  delay?: string;
  set: string[];
  unset: string[];
  force?: boolean;
  profile?: string;
  secret?: string;
  server?: string;
  token?: string;
  json?: boolean;
  verbose?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function seedOf(text: string | undefined): number {
  if (text === undefined) return randomInt(0, MAX_SEED);
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED)
    fail(`--seed ${text} must be a whole number from 0 to ${MAX_SEED}.`, 2);
  return seed;
}

function overridesOf(options: RunOptions): Overrides {
  try {
    return { set: parseAssignments(options.set), unset: options.unset };
  } catch (error) {
    return fail((error as Error).message, 2);
  }
}

function delayOf(text: string | undefined): number {
  if (text === undefined) return 0;
  try {
    return parseDuration(text);
  } catch (error) {
    return fail(`--delay: ${(error as Error).message}`, 2);
  }
}

function play(name: string, options: RunOptions, seed: number): ScenarioRun {
  try {
    return runScenario(name, {
      seed,
      ...(options.start !== undefined ? { start: options.start } : {}),
      overrides: overridesOf(options),
      force: options.force === true,
    });
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    console.error(`umhooks: ${error.message}`);
    for (const issue of error.issues.slice(0, 20))
      console.error(`  - #${(issue.step ?? 0) + 1} ${issue.event ?? ''}: ${issue.message}`);
    if (error.issues.length > 0)
      console.error('Fix the values, or pass --force to send them anyway.');
    return process.exit(2);
  }
}

function list(options: { json?: boolean }): void {
  if (options.json) {
    console.log(
      JSON.stringify(
        listScenarios().map(({ play: _play, ...rest }) => rest),
        null,
        2,
      ),
    );
    return;
  }
  const width = Math.max(...listScenarios().map((s) => s.name.length));
  for (const s of listScenarios()) console.log(`${s.name.padEnd(width)}  ${s.summary}`);
  console.log('\n"umhooks scenario show <name>" describes one and prints its payloads.');
}

function show(name: string, options: { seed?: string; start?: string; json?: boolean }): void {
  const scenario = getScenario(name) ?? fail(unknownScenario(name), 2);
  const run = play(name, { set: [], unset: [], ...options }, seedOf(options.seed ?? '1'));
  if (options.json) {
    console.log(JSON.stringify(run, null, 2));
    return;
  }
  console.log(`${scenario.title} (${scenario.name})\n\n${scenario.description}\n`);
  console.log('Left open by the plugin, assumed here:');
  for (const line of scenario.open) console.log(`  - ${line}`);
  console.log('\nFrom the plugin’s code:');
  for (const line of scenario.sources) console.log(`  - ${line}`);
  console.log(`\nEvents (seed ${run.seed}; --json prints every payload):`);
  run.steps.forEach((step, i) => {
    console.log(`  ${i + 1}. ${step.at}  ${step.event}\n     ${step.cause}`);
  });
}

function unknownScenario(name: string): string {
  return `no scenario "${name}"; there are: ${listScenarios()
    .map((s) => s.name)
    .join(', ')}.`;
}

async function runDirect(name: string, url: string, options: RunOptions, seed: number) {
  const run = play(name, options, seed);
  const delay = delayOf(options.delay);
  const profile = (options.profile ?? 'plugin') as Profile;
  const secret = profile === 'standard' ? (options.secret ?? generateSecret()) : undefined;
  if (profile === 'standard' && options.secret === undefined)
    console.error(`umhooks: signing secret ${secret}`);
  console.log(`Scenario ${name}, seed ${seed} (run again with --seed ${seed}) → ${url}`);
  let unanswered = 0;
  for (const [index, step] of run.steps.entries()) {
    if (index > 0 && delay > 0) await sleep(delay);
    const deliverOptions: DeliverOptions = { profile, eventId: step.event };
    if (secret !== undefined) deliverOptions.secret = secret;
    const attempt = await deliver(url, step.payload, deliverOptions).catch((error: unknown) =>
      fail((error as Error).message, 2),
    );
    const answer =
      attempt.status !== undefined
        ? `${attempt.status} in ${attempt.durationMs} ms`
        : `no answer: ${attempt.error?.message ?? ''}`;
    console.log(`${index + 1}/${run.steps.length}  ${step.at}  ${step.event}  → ${answer}`);
    if (options.verbose) printAttempt(attempt, true);
    if (attempt.status === undefined) unanswered++;
  }
  process.exit(unanswered === 0 ? 0 : 1);
}

interface RunAnswer {
  seed?: number;
  events?: { event: string; at: string; deliveries: string[] }[];
  error?: string;
  message?: string;
  issues?: { message: string; event?: string; step?: number }[];
}

async function runThroughServer(name: string, options: RunOptions, seed: number) {
  const server = (options.server ?? DEFAULT_SERVER).replace(/\/+$/, '');
  if (!/^https?:\/\//i.test(server)) fail(`--server ${server} is not an http(s) URL.`, 2);
  const overrides = overridesOf(options);
  const body = {
    seed,
    ...(options.start !== undefined ? { start: options.start } : {}),
    set: overrides.set,
    unset: overrides.unset,
    force: options.force === true,
    delay_ms: delayOf(options.delay),
  };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await fetch(`${server}/api/sandbox/scenarios/${encodeURIComponent(name)}/run`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
  } catch (error) {
    const cause =
      (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    return fail(
      `cannot reach umhooks at ${server} (${cause}). Start it with "umhooks serve", pass --server, or send straight to a receiver with --url.`,
    );
  }
  const answer = (await res.json().catch(() => ({}))) as RunAnswer;
  if (res.status !== 202) {
    console.error(
      `umhooks: the server refused the run (${res.status} ${answer.error ?? ''}): ${answer.message ?? ''}`,
    );
    for (const issue of answer.issues ?? [])
      console.error(`  - #${(issue.step ?? 0) + 1} ${issue.event ?? ''}: ${issue.message}`);
    if (res.status === 401)
      console.error('Pass the access token printed by "umhooks serve" with --token.');
    process.exit(1);
  }
  const events = answer.events ?? [];
  console.log(
    `Scenario ${name}, seed ${answer.seed ?? seed}: fired ${events.length} events through ${server}`,
  );
  let delivered = 0;
  for (const [i, e] of events.entries()) {
    delivered += e.deliveries.length;
    const to =
      e.deliveries.length === 0
        ? 'no webhook'
        : `${e.deliveries.length} webhook${e.deliveries.length === 1 ? '' : 's'}`;
    console.log(
      `${i + 1}/${events.length}  ${e.at}  ${e.event}  → ${to} ${e.deliveries.join(' ')}`,
    );
  }
  if (delivered === 0)
    console.log(
      `No active sandbox webhook subscribes to these events: add some in the UI (${server}/#/webhooks).`,
    );
  process.exit(0);
}

const EXAMPLES = `
Examples:
  $ umhooks scenario list
  $ umhooks scenario show signup                  # what fires, in which order, and why
  $ umhooks scenario show renewal --seed 7 --json # every payload
  $ umhooks scenario run signup --url http://localhost:3000/hooks --delay 500ms
  $ umhooks scenario run failed-renewal --seed 42 --set customer_name="Ada Lovelace"
      # through a running "umhooks serve": to every active sandbox webhook of each event
  $ umhooks scenario run demo-expiry --url http://localhost:3000/hooks --set site.title="Demo"

A seed gives the same payloads, byte for byte; without --seed one is chosen and printed.
--set applies to every event that carries the field (typed by its schema); --unset removes it.`;

export function scenarioCommand(): Command {
  const command = new Command('scenario').description(
    'Realistic sequences of events (signup, renewal, failed renewal…) with one consistent customer, membership, payments, site and domain.',
  );
  command.command('list').description('The scenarios').option('--json', 'as JSON').action(list);
  command
    .command('show')
    .description('One scenario: its events in order, why each fires, and (--json) the payloads')
    .argument('<name>')
    .option('--seed <n>', 'seed of the payloads shown', '1')
    .option('--start <date>', 'when the scenario starts, e.g. 2026-04-01T12:00:00Z')
    .option('--json', 'the whole run as JSON (payloads included)')
    .action(show);
  command
    .command('run')
    .description(
      'Fire a scenario: straight to a URL with --url, or through a running server to its sandbox webhooks',
    )
    .argument('<name>')
    .option('--url <target>', 'POST each event to this URL directly (no server needed)')
    .option('--seed <n>', 'repeat a run (default: a new seed, printed)')
    .option(
      '--start <date>',
      'when the scenario starts, e.g. 2026-04-01T12:00:00Z (default: from the seed)',
    )
    .option('--delay <duration>', 'wait between events, e.g. 500ms or 2s')
    .option(
      '--set <key=value>',
      'change a field in every event that has it (repeatable; dot paths)',
      collect,
      [],
    )
    .option(
      '--unset <key>',
      'remove a field from every event that has it (repeatable)',
      collect,
      [],
    )
    .option('--force', 'send payloads the overrides broke anyway')
    .addOption(
      new Option('--profile <profile>', 'how to send with --url')
        .choices(['plugin', 'standard'])
        .default('plugin'),
    )
    .option(
      '--secret <whsec_…>',
      'signing secret for --profile standard (default: a new one, printed)',
    )
    .option('--verbose', 'with --url: print each request and answer')
    .addOption(
      new Option(
        '--server <url>',
        `umhooks server to fire through (default: ${DEFAULT_SERVER})`,
      ).env('UMHOOKS_SERVER'),
    )
    .addOption(new Option('--token <token>', 'access token of that server').env('UMHOOKS_TOKEN'))
    .action(async (name: string, options: RunOptions) => {
      if (!getScenario(name)) fail(unknownScenario(name), 2);
      if (options.secret !== undefined && options.profile !== 'standard')
        fail('--secret only applies to --profile standard.', 2);
      const seed = seedOf(options.seed);
      if (options.url !== undefined) await runDirect(name, options.url, options, seed);
      await runThroughServer(name, options, seed);
    });
  command.addHelpText('after', EXAMPLES);
  return command;
}
