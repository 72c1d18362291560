import express, { type RequestHandler } from 'express';
import { HttpError } from './errors.js';

/** Bodies here are small settings objects; the largest (a bin response) is about 10 KB. */
export const JSON_BODY_LIMIT = 100 * 1024;

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = Number(headers['content-length']);
  return Number.isFinite(length) && length > 0;
}

const requireJson: RequestHandler = (req, _res, next) => {
  if (hasBody(req.headers) && !req.is(['application/json', '+json'])) {
    return next(
      new HttpError(
        415,
        'unsupported_media_type',
        `The request body must be JSON with "Content-Type: application/json" (got ${JSON.stringify(req.headers['content-type'] ?? 'none')}).`,
      ),
    );
  }
  next();
};

/** JSON bodies only, bounded; parse failures reach the error handler as `invalid_json`. */
export const jsonBody: RequestHandler[] = [
  requireJson,
  express.json({ limit: JSON_BODY_LIMIT, strict: true, type: ['application/json', '+json'] }),
];
