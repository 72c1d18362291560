import { catalog, nestedLiveShapeIds } from './catalog.js';
import { NESTED_DEMO_KEYS } from './demo-site.js';
import type { Candidate } from './types.js';
import { isPlainObject } from './values.js';

/*
 * Runs on every captured JSON request, so nothing is parsed and everything is precomputed: every
 * key any event knows gets a bit, every event shape is a pair of bitsets (required keys, all known
 * keys), and a body becomes one bitset. Score = |body ∩ known| / |body ∪ required| (wu_version
 * ignored), so optional keys (billing fields, which live payloads drop when empty) neither help
 * nor hurt when absent. Events with the same keys get exactly the same score and come back
 * flagged as a tie instead of one of them being picked at random.
 */

const IGNORED_KEY = 'wu_version';

interface Shape {
  /** In the plugin's key order, for the `missing` list; `requiredBitIndex` matches it. */
  required: readonly string[];
  requiredBitIndex: readonly number[];
  requiredBits: Uint32Array;
  knownBits: Uint32Array;
  requiredCount: number;
}

interface EventShapes {
  id: string;
  shapes: readonly Shape[];
}

const bitOfKey = new Map<string, number>();
function bitOf(key: string): number {
  let bit = bitOfKey.get(key);
  if (bit === undefined) {
    bit = bitOfKey.size;
    bitOfKey.set(key, bit);
  }
  return bit;
}

const shapeSpecs = catalog.map((event) => {
  const required = event.fields.filter((f) => !f.optional).map((f) => f.key);
  const optional = event.fields.filter((f) => f.optional).map((f) => f.key);
  const specs = [{ required, optional }];
  if (nestedLiveShapeIds.has(event.id))
    specs.push({ required: [...NESTED_DEMO_KEYS], optional: [] });
  for (const spec of specs) for (const key of [...spec.required, ...spec.optional]) bitOf(key);
  return { id: event.id, specs };
});

const WORDS = Math.ceil(bitOfKey.size / 32);

function bitsOf(keys: readonly string[]): Uint32Array {
  const bits = new Uint32Array(WORDS);
  for (const key of keys) {
    const bit = bitOfKey.get(key)!;
    bits[bit >>> 5]! |= 1 << (bit & 31);
  }
  return bits;
}

const eventShapes: readonly EventShapes[] = shapeSpecs.map(({ id, specs }) => ({
  id,
  shapes: specs.map(({ required, optional }) => ({
    required,
    requiredBitIndex: required.map((key) => bitOfKey.get(key)!),
    requiredBits: bitsOf(required),
    knownBits: bitsOf([...required, ...optional]),
    requiredCount: required.length,
  })),
}));

function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function hasBit(bits: Uint32Array, bit: number): boolean {
  return (bits[bit >>> 5]! & (1 << (bit & 31))) !== 0;
}

interface Scored {
  id: string;
  order: number;
  score: number;
  shape: Shape;
}

/** Which catalog events `body` can be, best first; [] for anything but a JSON object. */
export function identify(body: unknown): Candidate[] {
  if (!isPlainObject(body)) return [];
  const keys = Object.keys(body).filter((key) => key !== IGNORED_KEY);
  const bodyBits = new Uint32Array(WORDS);
  // -1 for keys no event knows (always extra).
  const keyBits = keys.map((key) => bitOfKey.get(key) ?? -1);
  for (const bit of keyBits) if (bit >= 0) bodyBits[bit >>> 5]! |= 1 << (bit & 31);

  const scored: Scored[] = [];
  for (let order = 0; order < eventShapes.length; order++) {
    const { id, shapes } = eventShapes[order]!;
    let best: Scored | undefined;
    for (const shape of shapes) {
      let matchedRequired = 0;
      let matchedKnown = 0;
      for (let w = 0; w < WORDS; w++) {
        matchedRequired += popcount(bodyBits[w]! & shape.requiredBits[w]!);
        matchedKnown += popcount(bodyBits[w]! & shape.knownBits[w]!);
      }
      const matchedOptional = matchedKnown - matchedRequired;
      const extra = keys.length - matchedKnown;
      const union = shape.requiredCount + matchedOptional + extra;
      const score = union === 0 ? 0 : matchedKnown / union;
      if (!best || score > best.score) best = { id, order, score, shape };
    }
    if (best && best.score > 0) scored.push(best);
  }
  scored.sort((a, b) => b.score - a.score || a.order - b.order);

  const countByScore = new Map<number, number>();
  for (const { score } of scored) countByScore.set(score, (countByScore.get(score) ?? 0) + 1);
  return scored.map(({ id, score, shape }) => ({
    event: id,
    score,
    missing: shape.required.filter((_key, i) => !hasBit(bodyBits, shape.requiredBitIndex[i]!)),
    extra: keys.filter((_key, i) => keyBits[i]! < 0 || !hasBit(shape.knownBits, keyBits[i]!)),
    tie: (countByScore.get(score) ?? 0) > 1,
  }));
}
