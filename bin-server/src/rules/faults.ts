import { seededRandom } from '@umhooks/core';
import type { RuleFault } from '../store/types.js';

/** FNV-1a over the text: a stable 32-bit number for a bin and a rule. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The seed of a percentage fault: the rule's own `seed` if set, else one derived from the bin id
 * and the rule's position (`fnv1a("<bin id>/<index>")`), so the same bin and rules fail the same
 * requests on every run.
 */
export function faultSeed(binId: string, rule: number, seed: number | undefined): number {
  return seed ?? fnv1a(`${binId}/${rule}`);
}

/**
 * The `n`th draw (1-based) of mulberry32 seeded with `seed`, in [0, 1). mulberry32 adds a
 * constant to its state each step, so the nth draw is one step from `seed + (n - 1) * constant`:
 * any instance computes it from the shared match count alone.
 */
function nthDraw(seed: number, n: number): number {
  return seededRandom((seed + Math.imul(n - 1, 0x6d2b79f5)) >>> 0).next();
}

/** Counting faults need the rule's match count from the store; the others do not. */
export function isCounted(fault: RuleFault | undefined): boolean {
  return fault?.kind === 'fail_first' || fault?.kind === 'fail_percent';
}

/** What a fault does to the nth match of its rule. */
export type FaultOutcome =
  | { kind: 'none'; detail?: string }
  | { kind: 'error'; status: number; detail: string }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'trickle'; bytesPerSecond: number };

/** `n` is the match count (1 for the first match since the rules were saved), 0 if not counted. */
export function applyFault(fault: RuleFault | undefined, n: number, seed: number): FaultOutcome {
  switch (fault?.kind) {
    case undefined:
      return { kind: 'none' };
    case 'fail_first':
      return n <= fault.count
        ? { kind: 'error', status: fault.status, detail: `match ${n} of the first ${fault.count}` }
        : { kind: 'none', detail: `match ${n}, after the first ${fault.count}` };
    case 'fail_percent': {
      const draw = nthDraw(seed, n);
      const failed = draw * 100 < fault.percent;
      const detail = `match ${n}: draw ${(draw * 100).toFixed(2)} ${failed ? '<' : '≥'} ${fault.percent}% (seed ${seed})`;
      return failed ? { kind: 'error', status: fault.status, detail } : { kind: 'none', detail };
    }
    case 'reset':
      return { kind: 'reset' };
    case 'hang':
      return { kind: 'hang' };
    case 'trickle':
      return { kind: 'trickle', bytesPerSecond: fault.bytesPerSecond };
  }
}
