import type { Response } from 'express';
import { encodePhpJson, type WpRestError } from '@umhooks/core';

/** A WordPress REST error: `{code, message, data}`, data carrying the HTTP status. */
export function wpError(
  status: number,
  code: string,
  message: string,
  data: Record<string, unknown> = {},
): WpRestError {
  return { status, body: { code, message, data: { status, ...data } } };
}

/**
 * Answers like WordPress's REST server: the JSON PHP's json_encode writes (`\/`, `\uXXXX`,
 * empty arrays as `[]`), `application/json; charset=UTF-8`.
 */
export function sendWp(
  res: Response,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = encodePhpJson(value);
  res.status(status);
  for (const [name, headerValue] of Object.entries(headers)) res.setHeader(name, headerValue);
  res.setHeader('Content-Type', 'application/json; charset=UTF-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

export function sendWpError(res: Response, error: WpRestError): void {
  sendWp(res, error.status, error.body);
}

/** WordPress's answer for a path or method no route serves. */
export const noRoute = (): WpRestError =>
  wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.');

/** WordPress's answer when a permission callback refuses (not logged in: 401). */
export const forbidden = (): WpRestError =>
  wpError(401, 'rest_forbidden', 'Sorry, you are not allowed to do that.');
