/** A count as benchmarks take it on the command line: 500, 10k, 1M. */
export function parseSize(text: string, option: string): number {
  const m = /^(\d+)([kM]?)$/.exec(text.trim());
  if (!m) throw new Error(`${option}: "${text}" is not a size like 10k, 100k or 1M`);
  return Number(m[1]) * (m[2] === 'k' ? 1_000 : m[2] === 'M' ? 1_000_000 : 1);
}

/** A count as benchmarks print it: 10k, 1M, 1,500. */
export const sizeLabel = (size: number): string =>
  size >= 1_000_000 && size % 1_000_000 === 0
    ? `${size / 1_000_000}M`
    : size >= 1_000 && size % 1_000 === 0
      ? `${size / 1_000}k`
      : String(size);
