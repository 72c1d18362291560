/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser and use its DOM types.
import { describe, expect, it } from 'vitest';
import { hasChromium } from '../../support/browser.js';
import type { BinJson } from '../../../bin-server/src/wire/bin.js';
import { useBrowserSession } from './session.js';

const PAYLOAD = '<img src=x onerror=alert(1)><script>alert(2)</script>';

describe.runIf(hasChromium())('a bin answering HTML, opened in the browser', () => {
  const session = useBrowserSession();

  async function htmlBin(headers: Array<[string, string]>): Promise<BinJson> {
    const response = await fetch(`${session.server.url}/api/bins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        response: {
          status: 200,
          headers: [['Content-Type', 'text/html'], ...headers],
          body: PAYLOAD,
        },
      }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as BinJson;
  }

  /** Opens the capture URL; returns the dialogs the page opened and what it could read of /api. */
  async function visit(bin: BinJson) {
    const { page } = session;
    const dialogs: string[] = [];
    // Recorded here as well as by the session (which fails the test on any dialog).
    page.on('dialog', (dialog) => dialogs.push(dialog.message()));
    const answer = await page.goto(`${bin.url}/page`);
    expect(answer!.status()).toBe(200);
    // The markup arrived and was parsed as HTML: the image element exists, its handler never ran.
    expect(await page.locator('img[src="x"]').count()).toBe(1);
    await page.waitForTimeout(300);
    const seen = await page.evaluate(async () => ({
      origin: self.origin,
      api: await fetch('/api/bins').then(
        async (r) => `${r.status} ${(await r.text()).slice(0, 20)}`,
        (e: unknown) => `refused: ${String(e)}`,
      ),
    }));
    return { dialogs, ...seen };
  }

  it('runs no script and has an opaque origin that cannot read /api', async () => {
    const seen = await visit(await htmlBin([]));
    expect(seen.dialogs).toEqual([]);
    expect(seen.origin).toBe('null');
    expect(seen.api).toMatch(/^refused: TypeError/);

    // The control: the UI's own origin reads /api.
    await session.page.goto(`${session.server.url}/`);
    const own = await session.page.evaluate(() => fetch('/api/bins').then((r) => r.status));
    expect(own).toBe(200);
  });

  it("stays sandboxed when the bin's own headers try to allow scripts and sniffing", async () => {
    const seen = await visit(
      await htmlBin([
        ['Content-Security-Policy', 'sandbox allow-scripts allow-same-origin'],
        ['X-Content-Type-Options', 'none'],
      ]),
    );
    expect(seen.dialogs).toEqual([]);
    expect(seen.origin).toBe('null');
    expect(seen.api).toMatch(/^refused: TypeError/);
  });
});
