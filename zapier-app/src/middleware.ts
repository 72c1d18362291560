import type { AfterResponseMiddleware, BeforeRequestMiddleware } from 'zapier-platform-core';
import { responseError } from './errors.js';

/** The plugin reads HTTP Basic `key:secret` first (before `api_key`/`api_secret` params). */
const addBasicAuth: BeforeRequestMiddleware = (request, _z, bundle) => {
  const key = (bundle.authData.api_key ?? '').trim();
  const secret = (bundle.authData.api_secret ?? '').trim();
  const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
  if (key !== '' || secret !== '') {
    headers.Authorization = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  }
  request.headers = headers;
  return request;
};

/**
 * Explains failed calls (see `responseError`). Requests that handle their own statuses
 * (`skipThrowForStatus`, e.g. an unsubscribe that tolerates 404) pass through untouched.
 */
const explainErrors: AfterResponseMiddleware = (response, z) => {
  if (response.skipThrowForStatus) return response;
  const error = responseError(z, response);
  if (error) throw error;
  return response;
};

export const befores = [addBasicAuth];
export const afters = [explainErrors];
