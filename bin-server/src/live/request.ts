import type { IncomingMessage } from 'node:http';
import { BIN_ID_PATTERN } from '../store/bin-id.js';

/** What a `/ws?bin=…&bin=…&sandbox=1` upgrade asks for, or why it is refused. */
export type ViewerRequest =
  | { ok: true; bins: string[]; sandbox: boolean }
  | { ok: false; status: number; error: string; message: string };

export function validBins(
  bins: readonly unknown[],
  max: number,
): { ok: true; bins: string[] } | { ok: false; message: string } {
  const unique = [...new Set(bins)];
  const bad = unique.find((b) => typeof b !== 'string' || !BIN_ID_PATTERN.test(b));
  if (bad !== undefined) {
    return {
      ok: false,
      message: `${JSON.stringify(bad)} is not a bin id (4 to 64 letters, digits, "-" or "_").`,
    };
  }
  if (unique.length > max) {
    return { ok: false, message: `Watch at most ${max} bins per connection.` };
  }
  return { ok: true, bins: unique as string[] };
}

/**
 * Browsers send `Origin` on WebSocket upgrades and do not apply CORS to them: refuse pages from
 * other sites, so a web page the developer visits cannot watch local bins. Non-browser clients
 * send no Origin.
 */
function originAllowed(req: IncomingMessage, publicUrl: string | undefined): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  if (host === req.headers.host) return true;
  return publicUrl !== undefined && new URL(publicUrl).host === host;
}

export function parseViewerRequest(
  req: IncomingMessage,
  maxBins: number,
  publicUrl: string | undefined,
): ViewerRequest {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== '/ws') {
    return {
      ok: false,
      status: 404,
      error: 'not_found',
      message: 'The live endpoint is /ws?bin=<bin id> (several bin parameters allowed).',
    };
  }
  if (!originAllowed(req, publicUrl)) {
    return {
      ok: false,
      status: 403,
      error: 'forbidden_origin',
      message: 'Live updates are only served to pages of this server.',
    };
  }
  const bins = validBins(url.searchParams.getAll('bin'), maxBins);
  if (!bins.ok) return { ok: false, status: 400, error: 'invalid_request', message: bins.message };
  const sandbox = ['1', 'true', 'yes'].includes(url.searchParams.get('sandbox') ?? '');
  return { ok: true, bins: bins.bins, sandbox };
}
