/**
 * The nearest-rank percentile of ascending values: the smallest value with at least `p` percent
 * of them at or below it (NaN when there are none). Of 100 runs the p99 is the second slowest,
 * not the slowest; of fewer than 100 it is the slowest, and the benchmarks say how many they ran.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
