/**
 * An answer the API gives on purpose: the error middleware turns it into JSON
 * `{error, message[, field]}` with `status`. Anything else thrown is a 500 without details.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The request field at fault (`response.status`, `limit`, …), for forms and clients. */
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const invalidRequest = (field: string, message: string): HttpError =>
  new HttpError(400, 'invalid_request', message, field);

export const binNotFound = (id: string): HttpError =>
  new HttpError(
    404,
    'bin_not_found',
    `No bin "${id}": it was deleted, expired, or never created. List bins with GET /api/bins or create it with POST /api/bins {"id":"${id}"}.`,
  );

export const requestNotFound = (binId: string, id: string): HttpError =>
  new HttpError(
    404,
    'request_not_found',
    `No request "${id}" in bin "${binId}": it was deleted or pushed out by newer requests. List what is stored with GET /api/bins/${binId}/requests.`,
  );
