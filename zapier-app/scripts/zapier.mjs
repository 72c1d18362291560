#!/usr/bin/env node
// `npm run zapier -w zapier-app -- <command>`: the Zapier CLI (zapier-platform) with Node 22.
// e.g. `-- validate --without-style`, `-- login`, `-- register "Ultimate Multisite"`, `-- push`.
import { runCli } from './tools.mjs';
import process from 'node:process';

process.exitCode = runCli(process.argv.slice(2));
