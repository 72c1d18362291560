import { describe, expect, it } from 'vitest';
import { createMemoryBus } from '../../../bin-server/src/bus/memory.js';
import type { DomainEvent } from '../../../bin-server/src/bus/types.js';

const deleted = (bin: string): DomainEvent => ({ type: 'bin.deleted', bin });

describe('in-process bus', () => {
  it("hands each event to its topic's subscribers only, in the order they subscribed", async () => {
    const bus = createMemoryBus(() => {});
    const seen: string[] = [];
    bus.subscribe('bin:a', () => seen.push('a1'));
    bus.subscribe('bin:b', () => seen.push('b'));
    bus.subscribe('bin:a', () => seen.push('a2'));
    bus.publish(deleted('a'));
    expect(seen).toEqual(['a1', 'a2']);
    await bus.close();
  });

  it('isolates a failing subscriber from the others and from the publisher', async () => {
    const logged: string[] = [];
    const bus = createMemoryBus((message) => logged.push(message));
    const seen: string[] = [];
    bus.subscribe('bin:a', () => {
      throw new Error('boom');
    });
    bus.subscribe('bin:a', () => seen.push('second'));
    expect(() => bus.publish(deleted('a'))).not.toThrow();
    expect(seen).toEqual(['second']);
    expect(logged).toEqual(['bus: a subscriber of bin:a failed: Error: boom']);
    await bus.close();
  });

  it('does not hand an event to a subscriber that joined while it was being delivered', async () => {
    const bus = createMemoryBus(() => {});
    const seen: string[] = [];
    bus.subscribe('bin:a', () => {
      seen.push('first');
      bus.subscribe('bin:a', () => seen.push('late'));
    });
    bus.publish(deleted('a'));
    expect(seen).toEqual(['first']);
    bus.publish(deleted('a'));
    expect(seen).toEqual(['first', 'first', 'late']);
    await bus.close();
  });

  it('lets 10,000 subscribers of one topic leave in any order, after which none is called', async () => {
    const bus = createMemoryBus(() => {});
    let calls = 0;
    const leave = Array.from({ length: 10_000 }, () => bus.subscribe('bin:a', () => calls++));
    bus.publish(deleted('a'));
    expect(calls).toBe(10_000);
    // Every other one first, then the rest from the end: not the order they came in.
    for (let i = 0; i < leave.length; i += 2) leave[i]!();
    for (let i = leave.length - 1; i > 0; i -= 2) leave[i]!();
    leave[0]!(); // leaving twice is harmless
    bus.publish(deleted('a'));
    expect(calls).toBe(10_000);
    await bus.close();
  });
});
