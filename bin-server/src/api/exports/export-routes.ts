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
import { CSV_COLUMNS, toCsvCells, toExportLine } from '../../wire/export.js';
import { toCurl } from './curl.js';
import { csvRow } from './csv.js';
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

  /** The bin and the ids of its requests matching the filters, oldest first. */
  async function filteredIds(params: unknown, query: unknown) {
    const { id } = parseInput(binPath, params, 'path');
    const filters = parseInput(requestFilters, query, 'query');
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
    return { bin, ids };
  }

  /** Streams one chunk per request still stored, oldest first; false once the client is gone. */
  async function streamEach(
    res: Response,
    bin: Bin,
    ids: string[],
    chunk: (request: CapturedRequest, index: number) => string,
  ): Promise<boolean> {
    let index = 0;
    for (const rid of ids) {
      const request = await store.requests.get(bin.id, rid);
      if (!request) continue; // Deleted or evicted meanwhile.
      if (!(await write(res, chunk(request, index)))) return false;
      index += 1;
    }
    return true;
  }

  router.get('/bins/:id/har', async (req, res) => {
    const { bin, ids } = await filteredIds(req.params, req.query);
    download(res, 'application/json; charset=utf-8', `${bin.id}.har`);
    res.status(200);
    if (!(await write(res, harStart(creator)))) return;
    const entry = (request: CapturedRequest, index: number) =>
      `${index === 0 ? '' : ','}${JSON.stringify(toHarEntry(request, urlOf(bin, request), bin.response))}`;
    if (await streamEach(res, bin, ids, entry)) res.end(HAR_END);
  });

  router.get('/bins/:id/jsonl', async (req, res) => {
    const { bin, ids } = await filteredIds(req.params, req.query);
    download(res, 'application/jsonl; charset=utf-8', `${bin.id}.jsonl`);
    res.status(200);
    const line = (request: CapturedRequest) =>
      `${JSON.stringify(toExportLine(request, bin.signingSecret))}\n`;
    if (await streamEach(res, bin, ids, line)) res.end();
  });

  router.get('/bins/:id/csv', async (req, res) => {
    const { bin, ids } = await filteredIds(req.params, req.query);
    download(res, 'text/csv; charset=utf-8; header=present', `${bin.id}.csv`);
    res.status(200);
    if (!(await write(res, csvRow(CSV_COLUMNS)))) return;
    const row = (request: CapturedRequest) => csvRow(toCsvCells(request, bin.signingSecret));
    if (await streamEach(res, bin, ids, row)) res.end();
  });
}
