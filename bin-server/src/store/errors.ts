/** `bins.create` with an id that is taken (the API answers 409 `bin_exists`). */
export class BinExistsError extends Error {
  readonly code = 'bin_exists';
  constructor(readonly binId: string) {
    super(`A bin "${binId}" already exists: choose another id or omit it to get a generated one.`);
    this.name = 'BinExistsError';
  }
}

/** `requests.insert` into a bin that does not exist (deleted or expired meanwhile). */
export class BinNotFoundError extends Error {
  readonly code = 'bin_not_found';
  constructor(readonly binId: string) {
    super(`No bin "${binId}": it was deleted or expired.`);
    this.name = 'BinNotFoundError';
  }
}

const CONNECTION_LOST =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * True for a failure of the storage itself rather than of the request: the disk is full or
 * failing, the file is locked or read-only, the database server is gone. Such a request was not
 * stored; the API answers 503 `store_unavailable` (retry later), never a 500 or a false success.
 */
export function isStoreUnavailable(error: unknown): boolean {
  // node-postgres reports a connection lost mid-query or never made with a message only.
  if (error instanceof Error && CONNECTION_LOST.test(error.message)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return (
    /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN|PROTOCOL)/.test(code) ||
    // node's network errors, and PostgreSQL's connection (08), resources (53) and shutdown (57P).
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|08...|53...|57P0[1-3])$/.test(code)
  );
}
