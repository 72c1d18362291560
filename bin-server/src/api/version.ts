import fs from 'node:fs';

/** bin-server's package version; this file sits two levels below the package in src/ and dist/. */
export const serverVersion: string = (
  JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
