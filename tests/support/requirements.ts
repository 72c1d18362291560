import { execFileSync } from 'node:child_process';

/**
 * Tests that need something a developer's machine may lack (Chromium, PostgreSQL, Node 22, PHP)
 * skip there with a message. CI sets UMHOOKS_REQUIRE_ALL=1, which turns every such skip into a
 * failure, so CI always runs them all.
 */
const requireAll = process.env.UMHOOKS_REQUIRE_ALL === '1';

/** Returns whether `what` is available; warns (or throws under UMHOOKS_REQUIRE_ALL) when not. */
export function need(what: string, available: boolean, howToGet: string): boolean {
  if (available) return true;
  const message = `${what} is not available: ${howToGet}`;
  if (requireAll) throw new Error(`UMHOOKS_REQUIRE_ALL=1 but ${message}`);
  console.warn(`skipping tests that need ${message}`);
  return false;
}

export function commandWorks(command: string, args: string[] = ['--version']): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}
