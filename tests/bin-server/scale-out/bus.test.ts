import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createPostgresBus,
  MAX_NOTIFY_BYTES,
  type PostgresBus,
} from '../../../bin-server/src/bus/postgres.js';
import type { DomainEvent, Topic } from '../../../bin-server/src/bus/types.js';
import type { RequestSummary } from '../../../bin-server/src/store/types.js';
import { hasPostgres, postgresBaseUrl, sql } from '../../support/postgres.js';
import { eventually } from '../../support/sandbox.js';

// The LISTEN/NOTIFY bus between instances, against the real server: fan-out, order, the
// 8,000-byte limit (a `missed` event instead of a silent drop), and reconnecting.

describe.runIf(hasPostgres)('PostgreSQL bus (LISTEN/NOTIFY)', () => {
  const opened: PostgresBus[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((bus) => bus.close()));
  });

  const logs: string[] = [];
  /** A bus as an instance opens it; `name` shows in pg_stat_activity.application_name. */
  async function open(channel: string, name: string, minRetryMs = 20): Promise<PostgresBus> {
    const url = new URL(postgresBaseUrl);
    url.searchParams.set('application_name', name);
    const bus = await createPostgresBus({
      connectionString: url.toString(),
      channel,
      log: (message) => logs.push(message),
      minRetryMs,
      maxRetryMs: Math.max(200, minRetryMs),
    });
    opened.push(bus);
    return bus;
  }
  const unique = (what: string) => `umhooks_bus_${what}_${randomBytes(4).toString('hex')}`;

  function collect(bus: PostgresBus, topic: Topic): DomainEvent[] {
    const got: DomainEvent[] = [];
    bus.subscribe(topic, (event) => got.push(event));
    return got;
  }
  /** A small event of the sandbox topic, told apart by `id`. */
  const webhookDeleted = (id: number): DomainEvent => ({ type: 'webhook.deleted', id });
  /** A captured request's summary with `headers`. */
  const summary = (bin: string, id: string, headers: string[]): RequestSummary => ({
    id,
    binId: bin,
    seq: 1,
    receivedAt: 1_700_000_000_000,
    method: 'POST',
    path: '/',
    query: '',
    rawHeaders: headers,
    remoteAddress: '127.0.0.1',
    recognition: undefined,
    size: 0,
    contentType: '',
  });

  it('delivers to subscribers on every instance, once each, in publishing order', async () => {
    const channel = unique('fan');
    const a = await open(channel, unique('a'));
    const b = await open(channel, unique('b'));
    const onA = collect(a, 'bin:shared');
    const onB = collect(b, 'bin:shared');
    const otherTopic = collect(b, 'bin:other');
    const sent = Array.from({ length: 500 }, (_, i): DomainEvent => ({
      type: 'request.deleted',
      bin: 'shared',
      id: `req_${i}`,
    }));
    for (const event of sent) a.publish(event);
    // The publisher's own subscribers get the message at once, in process, and not again.
    expect(onA).toEqual(sent);
    await eventually(() => (onB.length >= sent.length ? true : undefined), 10_000, 'fan-out');
    expect(onB).toEqual(sent);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(onA).toHaveLength(sent.length);
    expect(otherTopic).toEqual([]);
  });

  it('does not cross to another channel (another schema or deployment)', async () => {
    const one = unique('one');
    const a = await open(one, unique('a'));
    const b = await open(unique('two'), unique('b'));
    const c = await open(one, unique('c'));
    const onC = collect(c, 'sandbox');
    b.publish(webhookDeleted(2));
    a.publish(webhookDeleted(1));
    await eventually(() => (onC.length >= 1 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(onC).toEqual([webhookDeleted(1)]);
  });

  it('sends a missed event instead of an event over the 8,000-byte limit, never dropping it', async () => {
    const channel = unique('big');
    const a = await open(channel, unique('a'));
    const b = await open(channel, unique('b'));
    const onA = collect(a, 'bin:big-bin');
    const onB = collect(b, 'bin:big-bin');
    const sandboxOnB = collect(b, 'sandbox');
    const big: DomainEvent = {
      type: 'request.captured',
      bin: 'big-bin',
      request: summary('big-bin', 'req_big', ['x-large', 'y'.repeat(MAX_NOTIFY_BYTES)]),
    };
    const small: DomainEvent = {
      type: 'request.captured',
      bin: 'big-bin',
      request: summary('big-bin', 'req_small', []),
    };
    a.publish(big);
    a.publish(small);
    a.publish({
      type: 'delivery.queued',
      delivery: {
        id: 'msg_1',
        webhookId: 1,
        event: 'site_published',
        payload: 'é'.repeat(MAX_NOTIFY_BYTES / 2),
        profile: 'plugin',
        url: 'http://127.0.0.1:9/',
        status: 'pending',
        attemptCount: 0,
        createdAt: 1,
        nextAttemptAt: 1,
        leaseOwner: undefined,
        leaseUntil: undefined,
      },
    });
    expect(onA).toEqual([big, small]);
    await eventually(() => (onB.length >= 2 && sandboxOnB.length >= 1 ? true : undefined));
    expect(onB).toEqual([
      {
        type: 'missed',
        topic: 'bin:big-bin',
        of: 'request.captured',
        bin: 'big-bin',
        id: 'req_big',
      },
      small,
    ]);
    // Multi-byte characters count as bytes, not as characters.
    expect(sandboxOnB).toEqual([
      { type: 'missed', topic: 'sandbox', of: 'delivery.queued', id: 'msg_1' },
    ]);
  });

  it('reconnects after losing its connection, tells its subscribers they missed events, and delivers again', async () => {
    const channel = unique('lost');
    const a = await open(channel, unique('a'));
    const bName = unique('b');
    const b = await open(channel, bName);
    const onB = collect(b, 'bin:watched');
    const terminated = await sql<{ ok: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1',
      [bName],
    );
    expect(terminated).toEqual([{ ok: true }]);
    // While b is away nothing reaches it; once back, its subscribers learn they may have missed
    // something, and new events flow again.
    await eventually(
      () => (onB.some((m) => m.type === 'missed') ? true : undefined),
      10_000,
      'the missed event after reconnecting',
    );
    expect(onB[onB.length - 1]).toEqual({ type: 'missed', topic: 'bin:watched', of: '*' });
    expect(b.connected).toBe(true);
    const after: DomainEvent = { type: 'request.deleted', bin: 'watched', id: 'req_1' };
    a.publish(after);
    await eventually(() => (onB.length >= 2 ? true : undefined), 10_000, 'an event after it');
    expect(onB.at(-1)).toEqual(after);
    expect(logs.some((line) => /lost the PostgreSQL connection/.test(line))).toBe(true);
  });

  it('keeps events published while disconnected and sends them once back', async () => {
    const channel = unique('queue');
    const aName = unique('a');
    // A slow first retry keeps it disconnected long enough to publish meanwhile.
    const a = await open(channel, aName, 1500);
    const b = await open(channel, unique('b'));
    const onB = collect(b, 'sandbox');
    await sql(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [aName],
    );
    await eventually(() => (a.connected ? undefined : true), 5000, 'a to notice the loss');
    a.publish(webhookDeleted(3));
    await eventually(() => (onB.length >= 1 ? true : undefined), 10_000, 'the queued event');
    expect(onB).toEqual([webhookDeleted(3)]);
  });

  it('isolates a failing subscriber from the others', async () => {
    const a = await open(unique('throws'), unique('a'));
    const got: DomainEvent[] = [];
    a.subscribe('sandbox', () => {
      throw new Error('boom');
    });
    a.subscribe('sandbox', (event) => got.push(event));
    a.publish(webhookDeleted(4));
    expect(got).toEqual([webhookDeleted(4)]);
    expect(logs.some((line) => /subscriber of sandbox failed: Error: boom/.test(line))).toBe(true);
  });
});
