import { Command } from 'commander';
import { catalog, getEvent, type EventDefinition } from '@umhooks/core';
import { toEventJson } from '../wire/event.js';
import { fail } from './options.js';

interface EventsOptions {
  json?: boolean;
  pluginSample?: boolean;
}

const EXAMPLES = `
Examples:
  $ umhooks events                          # every event: id, name, whether the plugin delivers it
  $ umhooks events payment_received         # description, fields and a realistic sample
  $ umhooks events payment_received --plugin-sample   # what the plugin's Send Test Event posts
  $ umhooks events --json | jq '.[].id'`;

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function printList(): void {
  const idWidth = Math.max(...catalog.map((e) => e.id.length)) + 2;
  const nameWidth = Math.max(...catalog.map((e) => e.name.length)) + 2;
  console.log(`${pad('EVENT', idWidth)}${pad('NAME', nameWidth)}${pad('DELIVERY', 10)}SINCE`);
  for (const event of catalog) {
    console.log(
      `${pad(event.id, idWidth)}${pad(event.name, nameWidth)}${pad(event.delivery, 10)}${event.since}`,
    );
  }
  console.log(
    `\n${catalog.length} events. "log-only" events are never posted for real occurrences; only Send Test Event posts their samples.\nDetails: umhooks events <event>`,
  );
}

function printOne(event: EventDefinition, pluginSample: boolean): void {
  console.log(`${event.name} (${event.id})\n`);
  console.log(event.description);
  console.log(`\nTriggers when ${event.when}.`);
  console.log(
    `Delivery: ${event.delivery === 'webhook' ? 'posted to webhooks' : 'log-only (never posted for real occurrences; Send Test Event posts the sample)'}, since ${event.since}.`,
  );
  console.log(`\nFields (${event.fields.length}):`);
  const keyWidth = Math.max(...event.fields.map((f) => f.key.length)) + 2;
  for (const field of event.fields) {
    const extra = [
      field.optional ? 'optional' : '',
      field.choices ? `one of ${field.choices.join(', ')}` : '',
    ].filter(Boolean);
    console.log(`  ${pad(field.key, keyWidth)}${pad(field.type, 10)}${extra.join('; ')}`);
  }
  const renamed = Object.entries(event.deprecatedArgs);
  if (renamed.length > 0) {
    console.log('\nDeprecated 1.x arguments:');
    for (const [old, now] of renamed) console.log(`  ${old} → ${String(now)}`);
  }
  console.log(
    pluginSample
      ? "\nThe plugin's Send Test Event payload (mock objects):"
      : '\nSample payload (as a live delivery carries it):',
  );
  console.log(JSON.stringify(pluginSample ? event.pluginSample : event.sample, null, 2));
}

export function eventsCommand(): Command {
  return new Command('events')
    .description(
      "List the plugin's webhook events, or show one event's description, fields and sample.",
    )
    .argument('[event]', 'event id, e.g. payment_received')
    .option('--json', 'print JSON')
    .option(
      '--plugin-sample',
      "show the plugin's Send Test Event sample instead of the realistic one",
    )
    .addHelpText('after', EXAMPLES)
    .action((id: string | undefined, options: EventsOptions) => {
      if (id === undefined) {
        if (options.json) console.log(JSON.stringify(catalog.map(toEventJson), null, 2));
        else printList();
        return;
      }
      const event = getEvent(id);
      if (!event) {
        const close = catalog
          .filter((e) => e.id.includes(id) || id.includes(e.id))
          .map((e) => e.id);
        fail(
          `no event "${id}" in the catalog${close.length > 0 ? ` (did you mean ${close.join(', ')}?)` : ''}. "umhooks events" lists them; add-on events are not known here.`,
        );
      }
      if (options.json) console.log(JSON.stringify(toEventJson(event), null, 2));
      else printOne(event, options.pluginSample === true);
    });
}
