import { randomBytes } from 'node:crypto';
import type { Context } from '../context.js';
import { settlementOf, type AnswerMessage } from './answer.js';

/** A connected forwarder, as the live hub lets the registry talk to it. */
export interface ResponderLink {
  /** Hands request `requestId` of `binId` to the forwarder, to answer within `timeoutMs`. */
  forward(binId: string, requestId: string, timeoutMs: number): void;
}

type ClaimResult = { ok: true } | { ok: false; message: string };

export interface Responders {
  /** Makes `link` the bin's responding forwarder, unless another one (on any instance) is. */
  claim(binId: string, timeoutMs: number, link: ResponderLink): Promise<ClaimResult>;
  /** The forwarder's answer to a request handed to it (ignored when not, or no longer, held). */
  answer(link: ResponderLink, message: AnswerMessage): Promise<void>;
  /** The forwarder went away: its bins answer as configured again, its held requests too. */
  detach(link: ResponderLink): Promise<void>;
  close(): Promise<void>;
}

interface Claim {
  binId: string;
  owner: string;
  link: ResponderLink;
  /** Requests handed to the forwarder and not settled yet. */
  pending: Set<string>;
  unsubscribe: () => void;
}

/**
 * The responding forwarders connected to this instance. A claim is a lease in the store (one
 * forwarder per bin across every instance), renewed while the forwarder stays connected; an
 * instance that dies leaves a lease that runs out. Requests are held by whichever instance
 * captured them (responders/hold.ts): `forward.held` reaches the instance of the forwarder over
 * the bus, and the answer goes back as a stored settlement and `forward.settled`.
 */
export function createResponders(context: Context, options: { leaseMs?: number } = {}): Responders {
  const { store, bus } = context;
  const leaseMs = options.leaseMs ?? 15_000;
  const claims = new Map<string, Claim>();
  /** Releases under way: close waits for them (the store closes after). */
  const releasing = new Set<Promise<void>>();

  const renewal = setInterval(() => {
    const owners = [...claims.values()].map((c) => c.owner);
    store.responders.renew(owners, context.now(), leaseMs).catch((error: unknown) => {
      context.log(`forward: could not renew the forwarders' leases: ${String(error)}`);
    });
  }, leaseMs / 3);
  renewal.unref();

  async function settleGone(claim: Claim, requestId: string): Promise<void> {
    const reason = 'the forwarder disconnected before answering';
    const at = context.now();
    if (await store.forwards.settle(claim.binId, requestId, { outcome: 'gone', at, reason })) {
      bus.publish({
        type: 'forward.settled',
        bin: claim.binId,
        request: requestId,
        outcome: 'gone',
        status: null,
      });
    }
  }

  function release(claim: Claim): Promise<void> {
    if (claims.get(claim.binId) !== claim) return Promise.resolve();
    claims.delete(claim.binId);
    claim.unsubscribe();
    const done = releaseStored(claim).finally(() => releasing.delete(done));
    releasing.add(done);
    return done;
  }

  async function releaseStored(claim: Claim): Promise<void> {
    try {
      await Promise.all([...claim.pending].map((id) => settleGone(claim, id)));
      claim.pending.clear();
      await store.responders.release(claim.binId, claim.owner);
      bus.publish({ type: 'responder.changed', bin: claim.binId, responding: false });
    } catch (error) {
      // Its lease runs out, and its held requests time out, without us.
      context.log(`forward: could not release bin ${claim.binId}: ${String(error)}`);
    }
  }

  return {
    async claim(binId, timeoutMs, link) {
      const current = claims.get(binId);
      if (current?.link === link) return { ok: true };
      const refused: ClaimResult = {
        ok: false,
        message: `Another forwarder already answers for bin "${binId}" (one "umhooks tail --respond" per bin). Stop it first, or run this one without --respond.`,
      };
      if (current) return refused;
      const owner = randomBytes(9).toString('base64url');
      const claimed = await store.responders.claim(binId, owner, {
        timeoutMs,
        now: context.now(),
        leaseMs,
      });
      if (!claimed || claims.has(binId)) {
        if (claimed) await store.responders.release(binId, owner);
        return refused;
      }
      const claim: Claim = { binId, owner, link, pending: new Set(), unsubscribe: () => {} };
      claim.unsubscribe = bus.subscribe(`bin:${binId}`, (event) => {
        if (event.type === 'forward.held' && event.owner === owner) {
          claim.pending.add(event.request);
          link.forward(binId, event.request, event.timeoutMs);
        } else if (event.type === 'forward.settled') {
          claim.pending.delete(event.request);
        }
      });
      claims.set(binId, claim);
      bus.publish({ type: 'responder.changed', bin: binId, responding: true });
      return { ok: true };
    },

    async answer(link, message) {
      const requestId = message.request_id;
      if (typeof requestId !== 'string') return;
      const claim = [...claims.values()].find((c) => c.link === link && c.pending.has(requestId));
      if (!claim) return; // Settled already (timed out), or never handed to this forwarder.
      claim.pending.delete(requestId);
      const settlement = settlementOf(message, context.now());
      if (await store.forwards.settle(claim.binId, requestId, settlement)) {
        bus.publish({
          type: 'forward.settled',
          bin: claim.binId,
          request: requestId,
          outcome: settlement.outcome,
          status: settlement.outcome === 'answered' ? settlement.answer.status : null,
        });
      }
    },

    async detach(link) {
      await Promise.all([...claims.values()].filter((c) => c.link === link).map(release));
    },

    async close() {
      clearInterval(renewal);
      await Promise.all([...claims.values()].map(release));
      await Promise.all([...releasing]);
    },
  };
}
