import express, { type Express, type Router } from 'express';
import type { Context } from '../context.js';
import type { RequestHandler } from '../http/handler.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { crossSiteGuard } from './http/guards.js';
import { jsonBody } from './http/json-body.js';
import { answerMethodNotAllowed } from './http/registered-routes.js';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi/document.js';
import { openApiDocumentApi } from './openapi/openapi-api.js';
import type { ApiSlice } from './slice.js';
import { apiSlices } from './slices.js';
import { serverVersion } from './version.js';

export interface ApiApp {
  app: Express;
  /** The router holding every /api route (paths relative to /api). */
  router: Router;
  /** Built on first use (the first GET of /api/openapi.json): start-up does not wait for it. */
  document(): OpenApiDocument;
}

/** The express app for /api: its slices, the OpenAPI document, JSON errors for everything else. */
export function createApiApp(context: Context, slices: readonly ApiSlice[] = apiSlices): ApiApp {
  // The document describes every slice, its own route included; it is built when first asked for.
  let built: OpenApiDocument | undefined;
  const document = (): OpenApiDocument =>
    (built ??= buildOpenApiDocument(all, {
      version: serverVersion,
      secured: context.token !== undefined,
    }));
  const all = [openApiDocumentApi(document), ...slices];

  const router = express.Router();
  for (const slice of all) slice.routes(router, context);
  answerMethodNotAllowed(router);
  router.use(notFoundHandler);

  const app = express();
  app.disable('x-powered-by');
  // Answers are dynamic (lists, long-polls) and may be large: no ETag hashing, no caching.
  app.set('etag', false);
  app.use((_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    next();
  });
  app.use('/api', crossSiteGuard(context), ...jsonBody, router);
  app.use(notFoundHandler);
  app.use(errorHandler(context.log));
  return { app, router, document };
}

/** The node:http handler server.ts mounts on /api (after its token check). */
export function createApiHandler(context: Context, slices?: readonly ApiSlice[]): RequestHandler {
  const { app } = createApiApp(context, slices);
  return (req, res) => {
    app(req, res);
  };
}
