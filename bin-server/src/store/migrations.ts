/**
 * A schema step, as both drivers number them (their SQL differs, the history is the same). A step
 * never changes once released: append a new one instead.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The steps a schema has not seen yet, in version order. Throws `newer(found, known)` when the
 * schema holds a version this umhooks does not know: a newer umhooks wrote it.
 */
export function stepsToApply(
  applied: ReadonlySet<number>,
  steps: readonly Migration[],
  newer: (found: number, known: number) => Error,
): Migration[] {
  const newest = Math.max(0, ...steps.map((s) => s.version));
  const unknown = [...applied].filter((v) => v > newest);
  if (unknown.length > 0) throw newer(Math.max(...unknown), newest);
  return [...steps].sort((a, b) => a.version - b.version).filter((s) => !applied.has(s.version));
}
