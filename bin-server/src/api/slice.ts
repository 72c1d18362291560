import type { Router } from 'express';
import type { z } from 'zod';
import type { Context } from '../context.js';
import type { PathItem, TagObject } from './openapi/types.js';

/**
 * A slice of the API: its routes and their OpenAPI description, kept side by side so they are
 * written together. `api/slices.ts` lists them.
 */
export interface ApiSlice {
  name: string;
  /** Registers the routes on the /api router; paths are relative to /api (`/bins/:id`). */
  routes(router: Router, context: Context): void;
  /** Called once, when the OpenAPI document is first asked for (not at start-up). */
  openapi(): {
    tags?: TagObject[];
    /** Keyed by the full path in OpenAPI form: `/api/bins/{id}`. */
    paths: Record<string, PathItem>;
    /** zod schemas published under `components/schemas` as they are sent (answers). */
    outputs?: Record<string, z.ZodType>;
    /** zod schemas published under `components/schemas` as they are read (request bodies). */
    inputs?: Record<string, z.ZodType>;
  };
}
