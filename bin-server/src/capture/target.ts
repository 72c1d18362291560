import { isValidBinId } from '../store/bin-id.js';

/** What a capture URL `/b/:bin[/path][?query]` names. */
export interface CaptureTarget {
  binId: string;
  /** After the bin, `/` when none; raw (percent-encoding kept). */
  path: string;
  /** Raw, without `?`; `` when none. */
  query: string;
  /** The last non-empty path segment (a possible expected event id), if any. */
  lastSegment: string | undefined;
}

const PREFIX = '/b/';

/**
 * Splits a raw request URL that starts with `/b/`. The bin id must match the id shape exactly,
 * so `..`, `%2e%2e` and anything else odd are refused here and never reach another route.
 */
export function parseTarget(url: string): CaptureTarget | undefined {
  const queryStart = url.indexOf('?');
  const pathname = queryStart === -1 ? url : url.slice(0, queryStart);
  const binEnd = pathname.indexOf('/', PREFIX.length);
  const binId = pathname.slice(PREFIX.length, binEnd === -1 ? undefined : binEnd);
  if (!isValidBinId(binId)) return undefined;
  const path = binEnd === -1 ? '/' : pathname.slice(binEnd);
  let lastSegment: string | undefined;
  if (path.length > 1) {
    const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
    const segment = trimmed.slice(trimmed.lastIndexOf('/') + 1);
    if (segment) lastSegment = segment;
  }
  return {
    binId,
    path,
    query: queryStart === -1 ? '' : url.slice(queryStart + 1),
    lastSegment,
  };
}
