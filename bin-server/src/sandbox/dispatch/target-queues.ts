import type { Delivery } from '../../store/types.js';

interface Target {
  origin: string;
  running: number;
  waiting: Delivery[];
}

/**
 * Claimed deliveries grouped by target origin. `next()` hands out work round-robin across
 * targets, never more than `perTarget` running for one target, so a slow or dead target only
 * ever holds its own slots. A target with `2 × perTarget` buffered is "full": the dispatcher
 * stops claiming for it until it drains.
 */
export class TargetQueues {
  private readonly targets = new Map<string, Target>();
  /** Targets with waiting work, in round-robin order. */
  private ready: Target[] = [];
  private runningCount = 0;
  private waitingCount = 0;

  constructor(private readonly perTarget: number) {}

  get running(): number {
    return this.runningCount;
  }

  /** Claimed and not started. */
  get waiting(): number {
    return this.waitingCount;
  }

  /** Claimed and not finished: waiting plus running. */
  get buffered(): number {
    return this.runningCount + this.waitingCount;
  }

  push(delivery: Delivery, origin: string): void {
    let target = this.targets.get(origin);
    if (!target) {
      target = { origin, running: 0, waiting: [] };
      this.targets.set(origin, target);
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
    const buffered = target.running + target.waiting.length;
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
      if (target.running + target.waiting.length >= 2 * this.perTarget) full.push(target.origin);
    }
    return full;
  }

  /** Removes and returns every waiting (not running) delivery. */
  drainWaiting(): Delivery[] {
    const drained: Delivery[] = [];
    for (const target of this.targets.values()) {
      drained.push(...target.waiting);
      target.waiting = [];
      if (target.running === 0) this.targets.delete(target.origin);
    }
    this.waitingCount = 0;
    this.ready = [];
    return drained;
  }
}
