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
