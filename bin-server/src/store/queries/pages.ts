/**
 * A page from a query that asked for `limit + 1` rows, newest first: the extra row only says that
 * there is more, and the last row shown is where the next page starts (its seq is the cursor).
 */
export function pageOf<R extends { seq: number }>(
  rows: R[],
  limit: number,
): { rows: R[]; nextBefore: number | undefined } {
  if (rows.length <= limit) return { rows, nextBefore: undefined };
  const page = rows.slice(0, limit);
  return { rows: page, nextBefore: page[page.length - 1]!.seq };
}
