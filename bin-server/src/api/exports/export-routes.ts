import type { Response, Router } from 'express';
import type { Context } from '../../context.js';
import type { Bin, CapturedRequest } from '../../store/types.js';
import { contentTypeOf } from '../../store/columns.js';
import { loadBin } from '../bins/load.js';
import { binPath } from '../bins/schemas.js';
import { requestNotFound } from '../http/errors.js';
import { parseInput } from '../http/validate.js';
import { orUndefined, requestFilters, requestPath } from '../requests/schemas.js';
import { serverVersion } from '../version.js';
import { toCurl } from './curl.js';
import { HAR_END, harStart, toHar, toHarEntry } from './har.js';
import { rawFilename } from './raw-filename.js';
import { captureUrl } from './url.js';

const creator = { name: 'umhooks', version: serverVersion };

/** Writes a chunk, waiting while the client is slow; false once the client is gone. */
async function write(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(chunk)) return true;
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

function download(res: Response, contentType: string, filename: string): void {
  res.setHeader('content-type', contentType);
  res.setHeader('content-disposition', `attachment; filename="${filename}"`);
}

export function exportRoutes(router: Router, context: Context): void {
  const { store } = context;
  const urlOf = (bin: Bin, request: CapturedRequest) =>
    captureUrl(`${context.baseUrl()}/b/${bin.id}`, request);

  async function load(params: unknown) {
    const { id, rid } = parseInput(requestPath, params, 'path');
    const bin = await loadBin(context, id);
    const request = await store.requests.get(bin.id, rid);
    if (!request) throw requestNotFound(bin.id, rid);
    return { bin, request };
  }

  router.get('/bins/:id/requests/:rid/raw', async (req, res) => {
    const { request } = await load(req.params);
    // The exact bytes as a download: never rendered, sniffed or run, whatever the type says.
    const contentType = contentTypeOf(request.rawHeaders);
    download(res, contentType || 'application/octet-stream', rawFilename(request.id, contentType));
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('content-security-policy', 'sandbox');
    res.setHeader('content-length', request.body.byteLength);
    res
      .status(200)
      .end(Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength));
  });

  router.get('/bins/:id/requests/:rid/curl', async (req, res) => {
    const { bin, request } = await load(req.params);
    res.type('text/plain; charset=utf-8').send(toCurl(request, urlOf(bin, request)));
  });

  router.get('/bins/:id/requests/:rid/har', async (req, res) => {
    const { bin, request } = await load(req.params);
    const entry = toHarEntry(request, urlOf(bin, request), bin.response);
    download(res, 'application/json; charset=utf-8', `${request.id}.har`);
    res.status(200).send(toHar(creator, [entry]));
  });

  router.get('/bins/:id/har', async (req, res) => {
    const { id } = parseInput(binPath, req.params, 'path');
    const filters = parseInput(requestFilters, req.query, 'query');
    const bin = await loadBin(context, id);
    // Ids first (metadata only), then one body at a time, oldest first: memory stays bounded
    // whatever the bin holds.
    const ids: string[] = [];
    let before: number | undefined;
    do {
      const page = await store.requests.list(bin.id, {
        before,
        limit: 500,
        includeBody: false,
        q: orUndefined(filters.q),
        method: orUndefined(filters.method),
        event: orUndefined(filters.event),
      });
      for (const item of page.items) ids.push(item.id);
      before = page.nextBefore;
    } while (before !== undefined);
    ids.reverse();

    download(res, 'application/json; charset=utf-8', `${bin.id}.har`);
    res.status(200);
    if (!(await write(res, harStart(creator)))) return;
    let first = true;
    for (const rid of ids) {
      const request = await store.requests.get(bin.id, rid);
      if (!request) continue; // Deleted or evicted meanwhile.
      const entry = toHarEntry(request, urlOf(bin, request), bin.response);
      if (!(await write(res, `${first ? '' : ','}${JSON.stringify(entry)}`))) return;
      first = false;
    }
    res.end(HAR_END);
  });
}
