import type { NextFunction, Request, Response, Router } from 'express';
import { HttpError } from './errors.js';

/** One method on one path as express routes it (`/bins/:id`, relative to the API router). */
export interface RegisteredRoute {
  method: string;
  path: string;
}

interface RouteWithMethods {
  path: string;
  /** Set by express's router for each method a route handles; `_all` for `router.all`. */
  methods?: Record<string, boolean>;
}

/**
 * The routes registered on a router, read from express's own stack: the OpenAPI drift test and
 * the 405 answers use what express really serves, not a second list that could disagree.
 */
export function registeredRoutes(router: Router): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  for (const layer of router.stack) {
    const route = layer.route as RouteWithMethods | undefined;
    if (!route || typeof route.path !== 'string') continue;
    for (const [method, on] of Object.entries(route.methods ?? {})) {
      if (on && method !== '_all') routes.push({ method: method.toUpperCase(), path: route.path });
    }
  }
  return routes;
}

/**
 * After every route is registered: a known path asked with another method answers 405 with
 * `Allow`, instead of falling through to the 404.
 */
export function answerMethodNotAllowed(router: Router): void {
  const allowed = new Map<string, Set<string>>();
  for (const { method, path } of registeredRoutes(router)) {
    const methods = allowed.get(path) ?? new Set<string>();
    methods.add(method);
    if (method === 'GET') methods.add('HEAD');
    allowed.set(path, methods);
  }
  for (const [path, methods] of allowed) {
    const allow = [...methods].join(', ');
    router.all(path, (req: Request, _res: Response, next: NextFunction) => {
      next(
        new HttpError(
          405,
          'method_not_allowed',
          `${req.method} is not supported on ${req.baseUrl}${req.path}: use ${allow}.`,
          undefined,
          { allow },
        ),
      );
    });
  }
}
