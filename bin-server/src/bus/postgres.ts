import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { topicOf } from './events.js';
import { missedEvent } from './missed.js';
import { createSubscribers } from './subscribers.js';
import type { Bus, DomainEvent, Topic } from './types.js';

/**
 * Domain events across instances through PostgreSQL LISTEN/NOTIFY, on one channel per schema.
 *
 * - An event is handed to this instance's subscribers at once (in process, the same object)
 *   and sent to the others with NOTIFY as JSON; each instance ignores its own notifications.
 * - NOTIFY payloads must stay under 8,000 bytes: a larger event travels as a small `missed`
 *   event naming what changed (viewers refetch it over the API), never dropped silently.
 * - Sends are batched: events published in one turn of the event loop are packed into as few
 *   payloads as fit, sent by one query (one transaction: delivered in order).
 * - One dedicated connection listens and sends (not from the store's pool: a LISTEN must stay on
 *   its session). When it is lost it reconnects with backoff; subscribers then get a `missed`
 *   event for each topic (events from other instances may have been missed meanwhile), and
 *   other instances get one for everything if events from here had to be dropped.
 */
export interface PostgresBusOptions {
  connectionString: string;
  channel: string;
  log(message: string): void;
  /** First reconnect delay; doubles up to maxRetryMs (with jitter). */
  minRetryMs?: number;
  maxRetryMs?: number;
  /** How often an idle connection is checked (a silent network loss is otherwise found late). */
  pingIntervalMs?: number;
}

export interface PostgresBus extends Bus {
  /** Whether the LISTEN connection is up now. */
  readonly connected: boolean;
  /** This instance's id in payloads (tests). */
  readonly source: string;
}

/**
 * A NOTIFY payload: `{"s":<sending instance>,"n":<its counter>,"m":[[topic, event], …]}`. The
 * counter keeps payloads distinct (PostgreSQL merges identical ones within a transaction). Topic
 * `*` tells every instance that it missed events on every topic.
 */
interface Payload {
  s: string;
  n: number;
  m: Array<[Topic | '*', DomainEvent]>;
}

/** The item that says "you missed events on every topic" (its event part is not read). */
const MISSED_EVERYTHING = '["*",{}]';

/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more. */
export const MAX_NOTIFY_BYTES = 7999;
/** Room a payload's envelope takes around its events. */
const ENVELOPE_BYTES = 64;
/** Events waiting while disconnected; past this they are dropped (and `missed` sent later). */
const MAX_OUTBOX = 10_000;
/** Payloads per NOTIFY query. */
const MAX_PAYLOADS = 500;

export async function createPostgresBus(options: PostgresBusOptions): Promise<PostgresBus> {
  const { channel, log } = options;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) {
    throw new Error(`"${channel}" is not a usable LISTEN channel name.`);
  }
  const minRetry = options.minRetryMs ?? 100;
  const maxRetry = options.maxRetryMs ?? 5000;
  const source = randomBytes(6).toString('base64url');
  const subscribers = createSubscribers((topic, error) =>
    log(`bus: a subscriber of ${topic} failed: ${String(error)}`),
  );
  let counter = 0;
  let outbox: string[] = [];
  let client: pg.Client | undefined;
  /** The backend process of `client`: notifications it sent carry this id. */
  let ownPid: number | undefined;
  let sending = false;
  /** A send is due at the next check phase (one per turn, however many were published). */
  let scheduled = false;
  let closing = false;
  /** Events from others may have been missed (connection lost): say so on reconnect. */
  let missedIncoming = false;
  /** Events from here were dropped: tell the others on reconnect. */
  let droppedOutgoing = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelay = minRetry;
  let failures = 0;

  function missedEverything(): void {
    for (const topic of subscribers.topics()) subscribers.deliver(topic, missedEvent(topic));
  }

  /** `[topic, event]` as JSON, or its `missed` stand-in when it cannot fit in a payload. */
  function item(topic: Topic, event: DomainEvent): string {
    const text = JSON.stringify([topic, event]);
    // UTF-8 takes at most 3 bytes per UTF-16 unit: measure exactly only when it may matter.
    if (text.length * 3 <= MAX_NOTIFY_BYTES - ENVELOPE_BYTES) return text;
    if (Buffer.byteLength(text) <= MAX_NOTIFY_BYTES - ENVELOPE_BYTES) return text;
    return JSON.stringify([topic, missedEvent(topic, event)]);
  }

  /** Packs waiting items into payloads under the limit, in order. */
  function pack(): string[] {
    const payloads: string[] = [];
    let items: string[] = [];
    let bytes = 0;
    const close = () => {
      counter += 1;
      payloads.push(`{"s":${JSON.stringify(source)},"n":${counter},"m":[${items.join(',')}]}`);
      items = [];
      bytes = 0;
    };
    while (outbox.length > 0 && payloads.length < MAX_PAYLOADS) {
      const next = outbox[0]!;
      const size = Buffer.byteLength(next) + 1;
      if (items.length > 0 && bytes + size > MAX_NOTIFY_BYTES - ENVELOPE_BYTES) close();
      if (payloads.length === MAX_PAYLOADS) break;
      items.push(outbox.shift()!);
      bytes += size;
    }
    if (items.length > 0) close();
    return payloads;
  }

  function onNotification(notification: pg.Notification): void {
    if (notification.channel !== channel || !notification.payload) return;
    // Our own, sent on this same connection: skipped before parsing (most traffic is local).
    if (notification.processId === ownPid) return;
    let received: Payload;
    try {
      received = JSON.parse(notification.payload) as Payload;
    } catch {
      return; // Not ours (someone else NOTIFYing on this channel): ignore.
    }
    if (received.s === source || !Array.isArray(received.m)) return;
    for (const entry of received.m) {
      if (!Array.isArray(entry)) continue;
      const [topic, event] = entry;
      if (topic === '*') missedEverything();
      // Sent by another instance of this deployment (same channel): trusted to be an event.
      else if (typeof topic === 'string' && event && typeof event === 'object') {
        subscribers.deliver(topic as Topic, event);
      }
    }
  }

  function queue(text: string): void {
    if (outbox.length >= MAX_OUTBOX) {
      outbox = [];
      droppedOutgoing = true;
    }
    outbox.push(text);
    schedule();
  }

  function schedule(): void {
    if (scheduled || sending) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void send();
    });
  }

  async function send(): Promise<void> {
    if (sending || !client || outbox.length === 0) return;
    sending = true;
    const current = client;
    const payloads = pack();
    try {
      // One statement: one transaction, whose notifications arrive in order. Plain parameters
      // (not an array, which pg would have to escape element by element).
      const calls = payloads.map((_, i) => `pg_notify($1, $${i + 2})`).join(', ');
      await current.query(`SELECT ${calls}`, [channel, ...payloads]);
    } catch (error) {
      // Lost with the connection (reconnect says so), or refused: the others hear of it later.
      droppedOutgoing = true;
      if (client === current) log(`bus: sending to other instances failed: ${String(error)}`);
    } finally {
      sending = false;
    }
    if (outbox.length > 0 && client) schedule();
  }

  function lost(from: pg.Client, error: unknown): void {
    if (client !== from) return;
    client = undefined;
    missedIncoming = true;
    from.removeAllListeners('notification');
    from.end().catch(() => {});
    if (closing) return;
    log(
      `bus: lost the PostgreSQL connection for live updates between instances (${error instanceof Error ? error.message : String(error)}); reconnecting.`,
    );
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (closing || retryTimer) return;
    const delay = retryDelay * (0.5 + Math.random() / 2);
    retryDelay = Math.min(maxRetry, retryDelay * 2);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().catch((error: unknown) => {
        failures += 1;
        // The first failure and then every tenth: a long outage does not flood the log.
        if (failures === 1 || failures % 10 === 0) {
          log(`bus: reconnecting to PostgreSQL failed (${failures}x): ${String(error)}`);
        }
        scheduleReconnect();
      });
    }, delay);
  }

  async function connect(): Promise<void> {
    const next = new pg.Client({
      connectionString: options.connectionString,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      // A ping or send that hangs this long means the connection is gone.
      query_timeout: 10_000,
    });
    // Errors after connecting arrive as events; before, as the rejection below.
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next, new Error('connection ended')));
    next.on('notification', onNotification);
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (error) {
      next.removeAllListeners();
      next.on('error', () => {});
      await next.end().catch(() => {});
      throw error;
    }
    if (closing) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    // Set by pg at connect (missing from its type definitions).
    ownPid = (next as unknown as { processID: number | null }).processID ?? undefined;
    retryDelay = minRetry;
    if (failures > 0 || missedIncoming) log('bus: reconnected to PostgreSQL.');
    failures = 0;
    if (missedIncoming) {
      missedIncoming = false;
      missedEverything();
    }
    if (droppedOutgoing) {
      droppedOutgoing = false;
      outbox.unshift(MISSED_EVERYTHING);
    }
    void send();
  }

  await connect();

  const pinger = setInterval(() => {
    const current = client;
    if (!current || sending) return;
    current.query('SELECT 1').catch((error: unknown) => lost(current, error));
  }, options.pingIntervalMs ?? 30_000);
  pinger.unref();

  return {
    source,
    get connected() {
      return client !== undefined;
    },
    publish(event) {
      const topic = topicOf(event);
      subscribers.deliver(topic, event);
      if (!closing) queue(item(topic, event));
    },
    subscribe: (topic, handler) => subscribers.add(topic, handler),
    async close() {
      if (closing) return;
      // Whatever was published before close still goes out.
      while (client && (outbox.length > 0 || sending)) {
        if (!sending) await send();
        else await new Promise((resolve) => setTimeout(resolve, 5));
      }
      closing = true;
      clearInterval(pinger);
      clearTimeout(retryTimer);
      const last = client;
      client = undefined;
      subscribers.clear();
      if (last) {
        last.removeAllListeners('notification');
        await last.end().catch(() => {});
      }
    },
  };
}
