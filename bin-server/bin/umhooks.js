#!/usr/bin/env node
// The `umhooks` command. A committed file, not dist/cli/main.js itself: npm links a package's bins
// when it installs it, and in a clone of the repository dist/ is built only afterwards (by
// `npm start` or `npm run build`), so a bin pointing into dist/ would never be linked.
import fs from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!fs.existsSync(main)) {
  process.stderr.write(
    'umhooks: the command is not built yet (bin-server/dist is missing). ' +
      'Run "npm run build" (or "npm start") at the root of the umhooks repository, then try again.\n',
  );
  process.exit(1);
}
await import(main.href);
