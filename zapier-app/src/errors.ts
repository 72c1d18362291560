import type { HttpResponse, ZObject } from 'zapier-platform-core';
import { CREDENTIALS_PLACE } from './api.js';

/** WordPress REST errors look like `{code, message, data: {status}}`. */
export interface PluginError {
  code: string;
  message: string;
}

export function pluginError(response: HttpResponse): PluginError | undefined {
  const body: unknown = response.data;
  if (typeof body !== 'object' || body === null) return undefined;
  const { code, message } = body as Record<string, unknown>;
  if (typeof code !== 'string' && typeof message !== 'string') return undefined;
  return {
    code: typeof code === 'string' && code !== '' ? code : 'error',
    message: typeof message === 'string' ? message : '',
  };
}

function requestLine(response: HttpResponse): string {
  const method = response.request.method ?? 'GET';
  // Never echo credentials: drop the query string (it may carry api_key/api_secret).
  const url = (response.request.url ?? '').replace(/[?#].*$/, '');
  return `${method} ${url}`;
}

/**
 * The error a no-code user can act on for a failed call, or undefined for a success. 401/403 are
 * `AuthenticationError`s that say what to check; the plugin's own errors keep its code and message.
 */
export function responseError(z: ZObject, response: HttpResponse): Error | undefined {
  const status = response.status;
  if (status < 400) return undefined;
  const error = pluginError(response);
  const detail = error
    ? `${error.message || 'no message'} (${error.code}, HTTP ${status})`
    : `HTTP ${status}`;
  if (status === 401 || status === 403) {
    return new z.errors.Error(
      `Ultimate Multisite refused the API Key and Secret: ${detail}. Check that the Site URL is your ` +
        `network's main site, that "Enable API" is on under ${CREDENTIALS_PLACE}, and that the API Key ` +
        'and API Secret are copied from there exactly.',
      'AuthenticationError',
      status,
    );
  }
  if (!error) {
    return new z.errors.Error(
      `${requestLine(response)} answered HTTP ${status}, not an Ultimate Multisite error. Check that the ` +
        "Site URL is your network's main site and that Ultimate Multisite is network-activated with its API enabled.",
      status === 404 ? 'NotFound' : 'HttpError',
      status,
    );
  }
  return new z.errors.Error(
    `Ultimate Multisite answered ${requestLine(response)} with an error: ${detail}.`,
    error.code,
    status,
  );
}
