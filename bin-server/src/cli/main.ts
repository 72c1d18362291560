#!/usr/bin/env node
import { Command } from 'commander';
import { packageVersion } from './options.js';
import { eventsCommand } from './events.js';
import { replayCommand } from './replay.js';
import { scenarioCommand } from './scenario.js';
import { serveCommand } from './serve.js';
import { tailCommand } from './tail.js';
import { triggerCommand } from './trigger.js';

// Wiring only: each command lives in its own file and is added here.
const program = new Command('umhooks')
  .description(
    'Capture bin and sandbox network for Ultimate Multisite webhooks. Run "umhooks <command> --help" for details.',
  )
  .version(packageVersion())
  .showHelpAfterError('(add --help for usage)')
  .addCommand(serveCommand())
  .addCommand(tailCommand())
  .addCommand(replayCommand())
  .addCommand(triggerCommand())
  .addCommand(eventsCommand())
  .addCommand(scenarioCommand())
  .addHelpText(
    'after',
    `
Examples:
  $ umhooks serve                 # UI, API and capture on http://127.0.0.1:8787
  $ umhooks tail <bin-url>        # follow a bin in the terminal
  $ umhooks replay <request-url> --to http://localhost:3000/webhooks
  $ umhooks trigger payment_received --url http://localhost:3000/hook
  $ umhooks events payment_received
  $ umhooks scenario run signup --url http://localhost:3000/hook`,
  );

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`umhooks: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
