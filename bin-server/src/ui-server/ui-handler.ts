import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { TOKEN_COOKIE } from '../auth/token.js';
import type { Context } from '../context.js';
import type { RequestHandler } from '../http/handler.js';
import {
  contentTypeFor,
  defaultWebRoot,
  isImmutableAsset,
  resolveFile,
  statFile,
} from './files.js';
import { setSecurityHeaders } from './headers.js';

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(text);
}

/**
 * `/?token=<t>` (the link printed at start-up on a non-loopback bind): server.ts has already
 * checked the token; keep it in an HttpOnly cookie so the UI, its API calls and its WebSocket are
 * authorized, then drop the token from the address bar and the history.
 */
function storeTokenAndRedirect(context: Context, res: ServerResponse): void {
  if (context.token !== undefined) {
    const secure = context.config.publicUrl?.startsWith('https:') ? '; Secure' : '';
    res.setHeader(
      'Set-Cookie',
      `${TOKEN_COOKIE}=${encodeURIComponent(context.token)}; Path=/; HttpOnly; SameSite=Strict${secure}`,
    );
  }
  res.writeHead(303, { location: '/', 'cache-control': 'no-store' });
  res.end();
}

async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  urlPath: string,
): Promise<void> {
  const file = resolveFile(root, urlPath);
  const stats = file ? await statFile(file) : undefined;
  if (!file || !stats) {
    if (!(await statFile(path.join(root, 'index.html')))) {
      return sendText(
        res,
        503,
        'The umhooks browser UI is not built. Run "npm run build" at the repository root (or "npm run build -w bin-server") and reload. The JSON API is available at /api.',
      );
    }
    return sendText(res, 404, `Nothing at ${urlPath}. The UI is at /.`);
  }
  // Hashed assets never change; everything else is revalidated (cheap with the ETag).
  const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
  res.setHeader(
    'cache-control',
    isImmutableAsset(urlPath) ? 'public, max-age=31536000, immutable' : 'no-cache',
  );
  res.setHeader('etag', etag);
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304).end();
    return;
  }
  res.writeHead(200, { 'content-type': contentTypeFor(file), 'content-length': stats.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(fs.createReadStream(file), res);
}

/** The pipe failed because the client closed its connection, not because of the file. */
function clientWentAway(res: ServerResponse, error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (
    res.destroyed &&
    (code === 'ERR_STREAM_PREMATURE_CLOSE' ||
      code === 'ECONNRESET' ||
      code === 'EPIPE' ||
      code === 'ERR_STREAM_DESTROYED')
  );
}

export interface UiOptions {
  /** The built app (default: bin-server/dist/ui). */
  root?: string;
}

/** Serves the built browser app with a strict CSP; see bin-server/ui/build.mjs for how it is built. */
export function createUiHandler(context: Context, options: UiOptions = {}): RequestHandler {
  const root = options.root ?? defaultWebRoot;
  return (req, res) => {
    setSecurityHeaders(res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendText(
        res,
        405,
        `${req.method} is not allowed here: the UI only answers GET and HEAD.`,
      );
    }
    const url = new URL(req.url ?? '/', 'http://ui.invalid');
    if (url.pathname === '/' && url.searchParams.has('token')) {
      return storeTokenAndRedirect(context, res);
    }
    serveFile(req, res, root, url.pathname).catch((error: unknown) => {
      // A browser that goes away mid-file (a reload, a closed tab) is not a server error.
      if (clientWentAway(res, error)) return;
      context.log(`ui: could not serve ${url.pathname}: ${String(error)}`);
      if (!res.headersSent) sendText(res, 500, 'Could not read the UI files; see the server log.');
      else res.destroy();
    });
  };
}
