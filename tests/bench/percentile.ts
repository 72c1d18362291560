/**
 * The nearest-rank percentile of ascending values: the smallest value with at least `p` percent
 * of them at or below it (NaN when there are none). Of 100 runs the p99 is the second slowest,
 * not the slowest; of fewer than 100 it is the slowest, and the benchmarks say how many they ran.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  // p × n first: (p / 100) × n rounds 99.9% of 1,000 up to 999.0000000000001, one rank too high.
  return sorted[Math.max(0, Math.ceil((p * sorted.length) / 100) - 1)]!;
}
