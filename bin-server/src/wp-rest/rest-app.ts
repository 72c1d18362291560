import express, {
  type ErrorRequestHandler,
  type NextFunction,
  type Request,
  type Response,
} from 'express';
import {
  catalog,
  checkWebhookCreate,
  checkWebhookUpdate,
  webhookNotFoundError,
  type WpRestError,
} from '@umhooks/core';
import type { Context } from '../context.js';
import type { RequestHandler } from '../http/handler.js';
import type { SandboxWebhook, WebhookPatch } from '../store/types.js';
import type { SandboxCredentials } from '../sandbox/credentials.js';
import {
  createWebhook,
  deleteWebhook,
  toWebhookPatch,
  updateWebhook,
} from '../sandbox/webhooks.js';
import { isAuthorized } from './auth.js';
import { planList } from './list-query.js';
import { bodyObject, mergedParams, readParams, type WpParams } from './params.js';
import { parseMysqlDate, toPluginRecord } from './record.js';
import { forbidden, noRoute, sendWp, sendWpError, wpError } from './wp-response.js';

/** Largest request body the REST API reads (a webhook record is a few hundred bytes). */
const BODY_LIMIT = 1024 * 1024;
const NAMESPACE = '/wp-json/wu/v2';

interface WpRequest {
  req: Request;
  res: Response;
  params: WpParams;
  all: Record<string, unknown>;
}

type Handler = (request: WpRequest) => Promise<void>;

/** Route options: `before` runs WordPress's argument checks, which come before the permission check. */
interface RouteOptions {
  before?: (request: WpRequest) => WpRestError | undefined;
}

/**
 * The plugin's REST API (namespace `wu/v2`) for integrations like the Zapier app: key/secret
 * auth, `/auth`, `/hooks` and webhook CRUD, answering with the plugin's status codes, error codes
 * and record shapes (core's record facts), in WordPress's order: route, JSON body, argument
 * checks, permission, handler.
 */
export function createSandboxRestApp(
  context: Context,
  credentials: Promise<SandboxCredentials>,
): RequestHandler {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use((_req, res, next) => {
    // The headers WordPress's REST server sends with every answer.
    res.setHeader('X-Robots-Tag', 'noindex');
    res.setHeader('Link', `<${context.baseUrl()}/wp-json/>; rel="https://api.w.org/"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Access-Control-Expose-Headers', 'X-WP-Total, X-WP-TotalPages, Link');
    res.setHeader(
      'Access-Control-Allow-Headers',
      'Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type',
    );
    next();
  });
  app.use(express.raw({ type: () => true, limit: BODY_LIMIT }));

  const route =
    (handler: Handler, options: RouteOptions = {}) =>
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        const params = readParams(req);
        if ('status' in params) return sendWpError(res, params);
        const request: WpRequest = { req, res, params, all: mergedParams(params) };
        const early = options.before?.(request);
        if (early && isArgumentError(early)) return sendWpError(res, early);
        if (!isAuthorized(req, request.all, await credentials))
          return sendWpError(res, forbidden());
        await handler(request);
      } catch (error) {
        next(error);
      }
    };

  /** Loads `{id}` first: a missing item is 404 wu_rest_webhook_invalid_id, as in the plugin. */
  const withId =
    (handler: (request: WpRequest, webhook: SandboxWebhook) => Promise<void>): Handler =>
    async (request) => {
      const webhook = await context.store.webhooks.get(Number(request.req.params.id));
      if (!webhook) return sendWpError(request.res, webhookNotFoundError());
      return handler(request, webhook);
    };
  /** `{id}` is `[\d]+` in the plugin's route: anything else is no route at all. */
  const digitsOnly = (req: Request, _res: Response, next: NextFunction) =>
    next(/^\d+$/.test(String(req.params.id)) ? undefined : 'route');

  app.get(
    `${NAMESPACE}/auth`,
    route(async ({ res }) => {
      sendWp(res, 200, {
        success: true,
        label: context.config.networkName,
        message: 'Welcome to our API',
      });
    }),
  );

  app.get(
    `${NAMESPACE}/hooks`,
    route(async ({ res }) => {
      const hooks: Record<string, unknown> = {};
      for (const event of catalog) {
        const { wu_version: _version, ...payload } = event.pluginSample;
        hooks[event.id] = {
          name: event.name,
          desc: event.description,
          payload,
          deprecated_args: event.deprecatedArgs,
        };
      }
      sendWp(res, 200, hooks);
    }),
  );

  app.get(
    `${NAMESPACE}/webhook`,
    route(async ({ res, all }) => {
      const plan = planList(all);
      if ('status' in plan) return sendWpError(res, plan);
      const { items, total } = await context.store.webhooks.list(plan.query);
      sendWp(
        res,
        200,
        items.map((w) => toPluginRecord(w, 'loaded')),
        {
          'X-WP-Total': String(total),
          'X-WP-TotalPages': String(Math.ceil(total / plan.perPage)),
        },
      );
    }),
  );

  app.post(
    `${NAMESPACE}/webhook`,
    route(
      async ({ res, params }) => {
        const checked = checkWebhookCreate(bodyObject(params) ?? {});
        if (!checked.ok) return sendWpError(res, checked.error);
        const input = checked.value;
        const webhook = await createWebhook(context, input);
        const dated = await withDates(webhook, input);
        // WordPress answers a create with 200 (rest_ensure_response), not 201.
        sendWp(res, 200, toPluginRecord(dated, 'created'));
      },
      { before: ({ params }) => argumentError(checkWebhookCreate(bodyObject(params) ?? {})) },
    ),
  );

  app.get(
    `${NAMESPACE}/webhook/:id`,
    digitsOnly,
    route(
      withId(async ({ res }, webhook) => {
        sendWp(res, 200, toPluginRecord(webhook, 'loaded'));
      }),
    ),
  );

  const update = route(
    withId(async ({ res, params }, { id }) => {
      const checked = checkWebhookUpdate(bodyObject(params) ?? {});
      if (!checked.ok) return sendWpError(res, checked.error);
      const value = checked.value;
      const patch = toWebhookPatch(value);
      const created = parseMysqlDate(value.date_created);
      if (created !== undefined) patch.dateCreated = created;
      const modified = parseMysqlDate(value.date_modified);
      if (modified !== undefined) patch.dateModified = modified;
      const webhook = await updateWebhook(context, id, patch);
      if (!webhook) return sendWpError(res, webhookNotFoundError());
      sendWp(res, 200, toPluginRecord(webhook, 'loaded'));
    }),
    {
      before: ({ params }) => argumentError(checkWebhookUpdate(bodyObject(params) ?? {})),
    },
  );
  // WP_REST_Server::EDITABLE is POST, PUT and PATCH.
  app.post(`${NAMESPACE}/webhook/:id`, digitsOnly, update);
  app.put(`${NAMESPACE}/webhook/:id`, digitsOnly, update);
  app.patch(`${NAMESPACE}/webhook/:id`, digitsOnly, update);

  app.delete(
    `${NAMESPACE}/webhook/:id`,
    digitsOnly,
    route(
      withId(async ({ res }, { id }) => {
        // A concurrent delete may win the race: then this one did not find the item either.
        if (!(await deleteWebhook(context, id))) {
          return sendWpError(res, webhookNotFoundError());
        }
        sendWp(res, 200, true);
      }),
    ),
  );

  // WordPress's index routes are public: they say what the site serves.
  app.get('/wp-json', (_req, res) => {
    sendWp(res, 200, {
      name: context.config.networkName,
      description: 'umhooks sandbox network: the Ultimate Multisite webhook REST API, locally',
      url: context.baseUrl(),
      home: context.baseUrl(),
      namespaces: ['wu/v2'],
      authentication: [],
      routes: routeIndex(),
    });
  });
  app.get(NAMESPACE, (_req, res) => {
    sendWp(res, 200, { namespace: 'wu/v2', routes: routeIndex() });
  });

  // OPTIONS on a route: WordPress describes it (no auth), with an Allow header.
  for (const [route, methods] of Object.entries(ROUTE_METHODS)) {
    app.options(`/wp-json${route.replace('(?P<id>[\\d]+)', ':id')}`, (_req, res) => {
      sendWp(
        res,
        200,
        { namespace: 'wu/v2', methods, endpoints: [{ methods, args: {} }] },
        { Allow: methods.join(', ') },
      );
    });
  }

  app.use((_req: Request, res: Response) => sendWpError(res, noRoute()));

  const onError: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    const type = (error as { type?: unknown } | null)?.type;
    if (type === 'entity.too.large') {
      return sendWpError(
        res,
        wpError(
          413,
          'rest_request_too_large',
          `The request body is larger than ${BODY_LIMIT} bytes.`,
        ),
      );
    }
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendWpError(
        res,
        wpError(
          status,
          'rest_invalid_request',
          `The request could not be read: ${(error as Error).message}`,
        ),
      );
    }
    context.log(
      `sandbox REST: ${req.method} ${req.originalUrl} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    sendWpError(
      res,
      wpError(
        500,
        'internal_server_error',
        'The sandbox failed to answer; its log has the details.',
      ),
    );
  };
  app.use(onError);

  return (req, res) => {
    app(req, res);
  };

  /** The create body's dates (the plugin keeps what the caller sends), applied after the insert. */
  async function withDates(
    webhook: SandboxWebhook,
    input: {
      date_created?: string | undefined;
      date_modified?: string | undefined;
      date_last_failed?: string | undefined;
    },
  ): Promise<SandboxWebhook> {
    const patch: WebhookPatch = {};
    const created = parseMysqlDate(input.date_created);
    const modified = parseMysqlDate(input.date_modified);
    const failed = parseMysqlDate(input.date_last_failed);
    if (created !== undefined) patch.dateCreated = created;
    if (modified !== undefined) patch.dateModified = modified;
    if (failed !== undefined) patch.dateLastFailed = failed;
    if (Object.keys(patch).length === 0) return webhook;
    return (await context.store.webhooks.update(webhook.id, patch)) ?? webhook;
  }
}

/** The routes in WordPress's notation and their methods (index routes, OPTIONS). */
const ROUTE_METHODS: Record<string, string[]> = {
  '/wu/v2/auth': ['GET'],
  '/wu/v2/hooks': ['GET'],
  '/wu/v2/webhook': ['GET', 'POST'],
  '/wu/v2/webhook/(?P<id>[\\d]+)': ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
};

function routeIndex(): Record<string, { namespace: string; methods: string[] }> {
  return Object.fromEntries(
    Object.entries(ROUTE_METHODS).map(([route, methods]) => [
      route,
      { namespace: 'wu/v2', methods },
    ]),
  );
}

/** WordPress validates route arguments before the permission check; the model rules come after. */
function isArgumentError(error: WpRestError): boolean {
  return (
    error.body.code === 'rest_missing_callback_param' || error.body.code === 'rest_invalid_param'
  );
}

function argumentError(
  checked: { ok: true } | { ok: false; error: WpRestError },
): WpRestError | undefined {
  return checked.ok ? undefined : checked.error;
}
