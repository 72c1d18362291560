import type { Request } from 'express';
import type { WpRestError } from '@umhooks/core';
import { inspectJsonText, PHP_JSON_DEPTH } from '../http/json-text.js';
import { wpError } from './wp-response.js';

/** What WordPress's WP_REST_Request would hold for this request. */
export interface WpParams {
  /** `?a=1` (the last of repeated keys wins, as in PHP). */
  query: Record<string, string>;
  /** A form-encoded body (`$_POST`). */
  form: Record<string, string>;
  /** A JSON body sent with a JSON content type, when it decodes to an object. */
  json: Record<string, unknown> | undefined;
  /** The raw body bytes. */
  raw: Buffer;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function lastWins(search: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  // Defined, not assigned: `__proto__=x` is a parameter like any other (PHP keeps it).
  for (const [key, value] of search) {
    Object.defineProperty(out, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** `wp_is_json_media_type`: application/json or any `+json` type. */
function isJsonType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the request's parameters the way WordPress does. A JSON content type with a body that
 * does not decode is `rest_invalid_json` (400) with PHP's json_last_error code and message.
 */
export function readParams(req: Request): WpParams | WpRestError {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const queryText = (req.originalUrl.split('?')[1] ?? '').split('#')[0] ?? '';
  const query = lastWins(new URLSearchParams(queryText));
  const type = mediaType(req);
  let form: Record<string, string> = {};
  let json: Record<string, unknown> | undefined;
  if (type === 'application/x-www-form-urlencoded') {
    form = lastWins(new URLSearchParams(raw.toString('utf8')));
  } else if (isJsonType(type) && raw.length > 0) {
    let text: string;
    try {
      text = utf8.decode(raw);
    } catch {
      return invalidJson(5, 'Malformed UTF-8 characters, possibly incorrectly encoded');
    }
    let decoded: unknown;
    try {
      decoded = JSON.parse(text);
    } catch {
      return invalidJson(4, 'Syntax error');
    }
    // What json_decode refuses and JSON.parse takes; a repeated key keeps its last value in both.
    const facts = inspectJsonText(text);
    if (facts.depth >= PHP_JSON_DEPTH) return invalidJson(1, 'Maximum stack depth exceeded');
    if (facts.loneSurrogate !== undefined) {
      return invalidJson(10, 'Single unpaired UTF-16 surrogate in unicode escape');
    }
    if (isObject(decoded)) json = decoded;
  }
  return { query, form, json, raw };
}

function invalidJson(code: number, message: string): WpRestError {
  return wpError(400, 'rest_invalid_json', 'Invalid JSON body passed.', {
    json_error_code: code,
    json_error_message: message,
  });
}

/** `$request->get_params()`: JSON over form over query. */
export function mergedParams(params: WpParams): Record<string, unknown> {
  return { ...params.query, ...params.form, ...params.json };
}

/**
 * The body the plugin's create and update handlers read (`json_decode($request->get_body())`,
 * whatever the content type): a JSON object, else the form fields, else nothing.
 */
export function bodyObject(params: WpParams): Record<string, unknown> | undefined {
  if (params.json) return params.json;
  if (params.raw.length > 0) {
    try {
      const decoded: unknown = JSON.parse(params.raw.toString('utf8'));
      if (isObject(decoded)) return decoded;
    } catch {
      // not JSON: fall through to the form fields
    }
  }
  return Object.keys(params.form).length > 0 ? params.form : undefined;
}
