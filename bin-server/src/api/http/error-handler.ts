import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { isStoreUnavailable } from '../../store/errors.js';
import type { ErrorJson } from '../../wire/error.js';
import { HttpError } from './errors.js';

function sendError(res: Response, status: number, body: ErrorJson): void {
  if (res.headersSent) {
    // A streamed answer (HAR export) failed midway: cutting the connection is the only honest signal.
    res.destroy();
    return;
  }
  res.status(status).json(body);
}

/** body-parser's error `type`s → what the client did wrong and how to fix it. */
const bodyErrors: Record<string, { status: number; error: string; message: string }> = {
  'entity.parse.failed': {
    status: 400,
    error: 'invalid_json',
    message: 'The request body is not valid JSON',
  },
  'entity.too.large': {
    status: 413,
    error: 'body_too_large',
    message: 'The request body is larger than the API accepts (100 KB): send less',
  },
  'encoding.unsupported': {
    status: 415,
    error: 'unsupported_media_type',
    message: 'The request body uses an unsupported Content-Encoding: send it uncompressed',
  },
  'charset.unsupported': {
    status: 415,
    error: 'unsupported_media_type',
    message: 'The request body uses an unsupported charset: send UTF-8 JSON',
  },
  'request.aborted': {
    status: 400,
    error: 'request_aborted',
    message: 'The client closed the connection before the body was complete',
  },
  'request.size.invalid': {
    status: 400,
    error: 'invalid_request',
    message: 'The request body is shorter or longer than its Content-Length',
  },
};

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Every error leaves as JSON `{error, message[, field]}`: deliberate ones with their status,
 * client mistakes caught by express or body-parser with a helpful message, and anything else as
 * a 500 that only the server log explains (no stack traces leave the process).
 */
export function errorHandler(log: (message: string) => void): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
      const body: ErrorJson = { error: error.code, message: error.message };
      if (error.field !== undefined) body.field = error.field;
      return sendError(res, error.status, body);
    }
    const type = (error as { type?: unknown } | null)?.type;
    const known = typeof type === 'string' ? bodyErrors[type] : undefined;
    if (known) {
      const detail = type === 'entity.parse.failed' ? `: ${(error as Error).message}` : '';
      return sendError(res, known.status, {
        error: known.error,
        message: `${known.message}${detail}.`,
      });
    }
    const status = statusOf(error);
    if (error instanceof URIError || (status === 400 && /decode param/i.test(String(error)))) {
      return sendError(res, 400, {
        error: 'invalid_request',
        message:
          'The URL has an invalid percent-encoding: encode path segments with encodeURIComponent.',
      });
    }
    if (status !== undefined && status >= 400 && status < 500) {
      return sendError(res, status, {
        error: 'bad_request',
        message: `The request was refused (${status}): ${(error as Error).message}`,
      });
    }
    if (isStoreUnavailable(error)) {
      log(`api: ${req.method} ${req.originalUrl}: the store is unavailable: ${String(error)}`);
      return sendError(res, 503, {
        error: 'store_unavailable',
        message:
          'The data store could not take this change (disk full, or the database unreachable), so nothing was changed. Retry; if it keeps failing, check the server log.',
      });
    }
    log(
      `api: ${req.method} ${req.originalUrl} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return sendError(res, 500, {
      error: 'internal_error',
      message:
        'The server failed to answer this request; its log has the details. Retry, and report it if it persists.',
    });
  };
}

/** Unknown `/api/*` routes. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(
    new HttpError(
      404,
      'not_found',
      `No API route ${req.method} ${req.originalUrl.split('?')[0]}. The routes are listed in GET /api/openapi.json.`,
    ),
  );
};
