import type { CapturedRequest } from '../../store/types.js';

/** The full URL a request was sent to, under `binUrl` (`<base>/b/<bin>`). */
export function captureUrl(
  binUrl: string,
  request: Pick<CapturedRequest, 'path' | 'query'>,
): string {
  const path = request.path === '/' ? '' : request.path;
  return `${binUrl}${path}${request.query ? `?${request.query}` : ''}`;
}
