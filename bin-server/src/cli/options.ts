import { createRequire } from 'node:module';
import type { Command } from 'commander';

/** The package version (`umhooks --version`). */
export function packageVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}

/**
 * Commander sets a boolean flag to true whenever its environment variable exists, even as `0` or
 * `false`: read such values the way the flag parser in config.ts does instead.
 */
export function booleanFromEnv(command: Command, option: string, variable: string): boolean {
  const value = command.getOptionValue(option) as boolean | undefined;
  if (command.getOptionValueSource(option) !== 'env') return value === true;
  return ['1', 'true', 'yes'].includes((process.env[variable] ?? '').trim().toLowerCase());
}

/** Prints a message for a mistake the user can fix and exits (no stack trace). */
export function fail(message: string, code = 1): never {
  console.error(`umhooks: ${message}`);
  process.exit(code);
}
