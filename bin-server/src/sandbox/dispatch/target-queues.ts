import type { Delivery } from '../../store/types.js';

interface Target {
  origin: string;
  running: number;
  waiting: Delivery[];
  /** Taken from a fire before its commit (handoff.ts): pushed once committed, or let go. */
  reserved: number;
}

/**
 * Claimed deliveries grouped by target origin. `next()` hands out work round-robin across
 * targets, never more than `perTarget` running for one target, so a slow or dead target only
 * ever holds its own slots. A target with `2 × perTarget` buffered is "full": the dispatcher
 * stops claiming for it until it drains. Room can be reserved for deliveries not committed yet
 * (a fire's, handed over without a claim): reserved counts as buffered until pushed or let go.
 */
export class TargetQueues {
  private readonly targets = new Map<string, Target>();
  /** Targets with waiting work, in round-robin order. */
  private ready: Target[] = [];
  private runningCount = 0;
  private waitingCount = 0;
  private reservedCount = 0;

  constructor(private readonly perTarget: number) {}

  get running(): number {
    return this.runningCount;
  }

  /** Claimed (or reserved) and not finished: waiting plus running plus reserved. */
  get buffered(): number {
    return this.runningCount + this.waitingCount + this.reservedCount;
  }

  private target(origin: string): Target {
    let target = this.targets.get(origin);
    if (!target) {
      target = { origin, running: 0, waiting: [], reserved: 0 };
      this.targets.set(origin, target);
    }
    return target;
  }

  /** Reserves room for one delivery to `origin` if the target is not full; whether it did. */
  reserve(origin: string): boolean {
    const target = this.targets.get(origin);
    if (target && target.running + target.waiting.length + target.reserved >= 2 * this.perTarget) {
      return false;
    }
    (target ?? this.target(origin)).reserved += 1;
    this.reservedCount += 1;
    return true;
  }

  /** Lets a reservation go (its fire was not committed, or the dispatcher stopped). */
  unreserve(origin: string): void {
    const target = this.targets.get(origin);
    if (!target || target.reserved === 0) return;
    target.reserved -= 1;
    this.reservedCount -= 1;
    this.forgetIfIdle(target);
  }

  /** Queues a delivery; `reserved`: it fills a reservation made for it. */
  push(delivery: Delivery, origin: string, reserved = false): void {
    const target = this.target(origin);
    if (reserved && target.reserved > 0) {
      target.reserved -= 1;
      this.reservedCount -= 1;
    }
    if (target.waiting.length === 0 && target.running < this.perTarget) this.ready.push(target);
    target.waiting.push(delivery);
    this.waitingCount += 1;
  }

  /** The next delivery to send and its origin, or undefined when every target with work is busy. */
  next(): { delivery: Delivery; origin: string } | undefined {
    while (this.ready.length > 0) {
      const target = this.ready.shift()!;
      if (target.running >= this.perTarget || target.waiting.length === 0) continue;
      const delivery = target.waiting.shift()!;
      this.waitingCount -= 1;
      target.running += 1;
      this.runningCount += 1;
      if (target.waiting.length > 0 && target.running < this.perTarget) this.ready.push(target);
      return { delivery, origin: target.origin };
    }
    return undefined;
  }

  /** A send to `origin` finished; returns how many are now buffered for that origin. */
  done(origin: string): number {
    const target = this.targets.get(origin);
    if (!target) return 0;
    target.running -= 1;
    this.runningCount -= 1;
    const buffered = target.running + target.waiting.length + target.reserved;
    if (buffered === 0) this.targets.delete(origin);
    else if (target.waiting.length > 0 && target.running === this.perTarget - 1) {
      this.ready.push(target);
    }
    return buffered;
  }

  /** Origins with no room for more claimed work. */
  fullOrigins(): string[] {
    const full: string[] = [];
    for (const target of this.targets.values()) {
      if (target.running + target.waiting.length + target.reserved >= 2 * this.perTarget) {
        full.push(target.origin);
      }
    }
    return full;
  }

  /** Removes and returns every waiting (not running) delivery. */
  drainWaiting(): Delivery[] {
    const drained: Delivery[] = [];
    for (const target of this.targets.values()) {
      drained.push(...target.waiting);
      target.waiting = [];
      this.forgetIfIdle(target);
    }
    this.waitingCount = 0;
    this.ready = [];
    return drained;
  }

  private forgetIfIdle(target: Target): void {
    if (target.running + target.waiting.length + target.reserved === 0) {
      this.targets.delete(target.origin);
    }
  }
}
