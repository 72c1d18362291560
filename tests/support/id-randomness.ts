/**
 * The random bits an id generator really produces, as observed: for each character position of
 * the random part, the characters seen across `ids` (all of an alphabet of 2^k show up when the
 * sample is large), summed as log2(distinct) per position. A constant or narrowed position counts
 * for less, so the sum is an honest lower bound of what the generator claims.
 */
export function observedBits(randomParts: readonly string[]): number {
  const length = randomParts[0]!.length;
  let bits = 0;
  for (let position = 0; position < length; position++) {
    const seen = new Set(randomParts.map((part) => part[position]));
    bits += Math.log2(seen.size);
  }
  return bits;
}
