import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { ensureUiBuilt, launchBrowser, watchPage } from '../../support/browser.js';
import { startTestServer } from '../../support/server.js';

export interface BrowserSession {
  /** The suite's server, started once. */
  readonly server: RunningServer;
  /** A fresh page for the current test. */
  readonly page: Page;
}

/**
 * Registers the hooks of a suite that drives one test server in Chromium: a new page per test,
 * and every test fails if the page raised a script error or opened a dialog (an executed payload
 * would do either). Call it inside `describe`.
 */
export function useBrowserSession(): BrowserSession {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let seen: ReturnType<typeof watchPage>;

  beforeAll(async () => {
    ensureUiBuilt();
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    page = await browser!.newPage();
    // Shorter than the test's own timeout, so a failure names the element it waited for.
    page.setDefaultTimeout(10_000);
    seen = watchPage(page);
  });
  afterEach(async () => {
    expect(seen.errors).toEqual([]);
    expect(seen.dialogs).toEqual([]);
    await page?.close();
  });

  return {
    get server() {
      if (!server) throw new Error('the browser session has not started: use it inside a test');
      return server;
    },
    get page() {
      if (!page) throw new Error('no page yet: use it inside a test');
      return page;
    },
  };
}
