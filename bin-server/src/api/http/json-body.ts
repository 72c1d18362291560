import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { inspectJsonText, PHP_JSON_DEPTH } from '../../http/json-text.js';
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

const invalidJson = (message: string) => new HttpError(400, 'invalid_json', message);

/**
 * What JSON.parse would take but store wrongly or ambiguously: bytes that are not UTF-8 (they
 * would be stored as U+FFFD), nesting the plugin's PHP could not decode, a key given twice, and an
 * unpaired surrogate escape. Syntax errors are left to body-parser, which reports them.
 */
function refuseAmbiguousJson(_req: unknown, _res: unknown, buf: Buffer): void {
  if (!isUtf8(buf)) {
    throw invalidJson('The request body is not valid UTF-8: send JSON encoded as UTF-8.');
  }
  const text = buf.toString('utf8');
  try {
    JSON.parse(text);
  } catch {
    return;
  }
  const facts = inspectJsonText(text);
  if (facts.depth >= PHP_JSON_DEPTH) {
    throw invalidJson(
      `The request body nests objects and arrays ${facts.depth > PHP_JSON_DEPTH ? 'more than ' : ''}${PHP_JSON_DEPTH} levels deep; at most ${PHP_JSON_DEPTH - 1} are accepted (as by the plugin's PHP).`,
    );
  }
  if (facts.duplicateKey !== undefined) {
    throw invalidJson(
      `The request body gives the key "${facts.duplicateKey}" twice: send each key once.`,
    );
  }
  if (facts.loneSurrogate !== undefined) {
    throw invalidJson(
      `The request body's string at "${facts.loneSurrogate}" has an unpaired surrogate escape (\\uD800-\\uDFFF without its pair): send well-formed Unicode.`,
    );
  }
}

/** JSON bodies only, bounded; parse failures reach the error handler as `invalid_json`. */
export const jsonBody: RequestHandler[] = [
  requireJson,
  express.json({
    limit: JSON_BODY_LIMIT,
    strict: true,
    type: ['application/json', '+json'],
    verify: refuseAmbiguousJson,
  }),
];
