import { describe, expect, it } from 'vitest';
import { hasChromium, sendRaw } from '../../support/browser.js';
import { useBrowserSession } from './session.js';
import { createBin } from './ui-helpers.js';

// The request detail says who answered a request held for a `tail --respond` forwarder: the app
// (its status and time) or the bin as configured, and why. The outcomes are recorded in the store
// here (tail-respond.test.ts drives the real forwarder); this checks what the UI makes of them.

describe.runIf(hasChromium())('two-way forwarding in the request detail', () => {
  const session = useBrowserSession();

  it("shows the app's answer, a fallback with its reason, and nothing for requests not held", async () => {
    const { page, server } = session;
    const { forwards } = server.context.store;
    const bin = await createBin(server.url, { name: 'Forwarded' });
    const ids: string[] = [];
    for (const body of ['answered', 'gone', 'plain']) {
      const answer = await sendRaw(`${bin.url}/${body}`, { body });
      ids.push((JSON.parse(answer.body) as { id: string }).id);
    }
    const [answered, gone, plain] = ids as [string, string, string];
    for (const id of [answered, gone]) {
      expect(
        await forwards.hold({ binId: bin.id, requestId: id, heldAt: Date.now(), timeoutMs: 10 }),
      ).toBe(true);
    }
    await forwards.settle(bin.id, answered, {
      outcome: 'answered',
      at: Date.now(),
      appMs: 42,
      answer: { status: 201, statusText: 'Created', headers: [], body: new Uint8Array() },
    });
    await forwards.settle(bin.id, gone, {
      outcome: 'gone',
      at: Date.now(),
      reason: 'the forwarder disconnected before answering',
    });

    const note = page.getByTestId('forward-note');
    await page.goto(`${server.url}/#/bins/${bin.id}/${answered}`);
    await note.waitFor();
    expect(await note.getAttribute('data-outcome')).toBe('answered');
    const said = async () => ((await note.locator('dd').textContent()) ?? '').replace(/\s+/g, ' ');
    expect(await note.locator('dt').textContent()).toBe('Answered by');
    expect(await said()).toBe('your app via tail --respond 201 in 42 ms');

    await page.goto(`${server.url}/#/bins/${bin.id}/${gone}`);
    await page.locator(`.request-detail[data-request-id="${gone}"]`).waitFor();
    expect(await note.getAttribute('data-outcome')).toBe('gone');
    expect(await said()).toBe(
      'the bin, as configured (forwarder disconnected) the forwarder disconnected before answering',
    );

    // Opened while still held: the outcome shows once it is settled (live `request.forwarded`).
    const held = (
      JSON.parse((await sendRaw(`${bin.url}/held`, { body: 'held' })).body) as {
        id: string;
      }
    ).id;
    await forwards.hold({ binId: bin.id, requestId: held, heldAt: Date.now(), timeoutMs: 10 });
    await page.goto(`${server.url}/#/bins/${bin.id}/${held}`);
    await page.locator(`.request-detail[data-request-id="${held}"]`).waitFor();
    expect(await said()).toBe('waiting for the forwarder…');
    await forwards.settle(bin.id, held, { outcome: 'timed_out', at: Date.now(), reason: 'slow' });
    server.context.bus.publish({
      type: 'forward.settled',
      bin: bin.id,
      request: held,
      outcome: 'timed_out',
      status: null,
    });
    await page.locator('[data-testid="forward-note"][data-outcome="timed_out"]').waitFor();
    expect(await said()).toBe('the bin, as configured (forwarder too slow) slow');

    await page.goto(`${server.url}/#/bins/${bin.id}/${plain}`);
    await page.locator(`.request-detail[data-request-id="${plain}"]`).waitFor();
    expect(await note.count()).toBe(0);
  });
});
