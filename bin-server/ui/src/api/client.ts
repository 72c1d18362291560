import { reportOutage } from './availability.js';
import type { PayloadIssue } from './types.js';

/** A read the server has not answered by then is treated as an outage, not waited on forever. */
const READ_TIMEOUT_MS = 20_000;

/** An error answer of the API (`{error, message}`), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly issues?: PayloadIssue[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  error?: unknown;
  message?: unknown;
  field?: unknown;
  issues?: unknown;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    // Not JSON (a proxy's error page): the status line is all we have.
  }
  const code = typeof body.error === 'string' ? body.error : `http_${response.status}`;
  const message =
    typeof body.message === 'string'
      ? body.message
      : response.status === 401
        ? 'This server needs its access token: open the link with ?token=… printed at start-up.'
        : `The server answered ${response.status} ${response.statusText}.`;
  return new ApiError(
    response.status,
    code,
    message,
    typeof body.field === 'string' ? body.field : undefined,
    Array.isArray(body.issues) ? (body.issues as PayloadIssue[]) : undefined,
  );
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  // Only reads time out: a change may legitimately take long (a test delivery to a slow receiver).
  const timeout = method === 'GET' ? AbortSignal.timeout(READ_TIMEOUT_MS) : undefined;
  const signals = [options.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: options.body === undefined ? {} : { 'content-type': 'application/json' },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
      credentials: 'same-origin',
    });
  } catch (error) {
    if (timeout?.aborted) {
      reportOutage('server');
      throw new ApiError(0, 'timeout', 'The umhooks server did not answer in time. Retry shortly.');
    }
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    reportOutage('server');
    throw new ApiError(0, 'network', 'The umhooks server cannot be reached. Is it still running?');
  }
  if (!response.ok) {
    const apiError = await toApiError(response);
    if (apiError.code === 'store_unavailable') reportOutage('store');
    throw apiError;
  }
  return response;
}

/** Calls the JSON API; resolves to the parsed body (undefined for 204). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Calls an API route that answers plain text (e.g. `/curl`). */
export async function apiText(path: string, options: RequestOptions = {}): Promise<string> {
  return (await send(path, options)).text();
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** `/api/bins/a b` → properly encoded path segments. */
export function path(...segments: Array<string | number>): string {
  return segments.map((s) => encodeURIComponent(String(s))).join('/');
}
