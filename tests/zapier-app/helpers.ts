import { createRequire } from 'node:module';
import zapier from 'zapier-platform-core';
import App from '../../zapier-app/src/index.js';
import type { Sandbox } from '../support/sandbox.js';

export { App };

/** A bundle as the tests pass it; Zapier fills the rest. */
interface TestBundle {
  authData?: Record<string, string>;
  inputData?: Record<string, unknown>;
  targetUrl?: string;
  subscribeData?: Record<string, unknown>;
  cleanedRequest?: unknown;
  meta?: Record<string, unknown>;
}

type Perform = (...args: never[]) => unknown;
/** `createAppTester`'s result, typed for these tests (its declared type does not fit a generic caller). */
export type AppTester = (method: Perform | string, bundle?: TestBundle) => Promise<unknown>;

export const appTester = zapier.createAppTester(App) as unknown as AppTester;

const requireFromHere = createRequire(import.meta.url);
/** The local schema check that `zapier-platform validate` runs (zapier-platform.md). */
export const schemaTools = requireFromHere('zapier-platform-core/src/tools/schema') as {
  compileApp(app: unknown): unknown;
  validateApp(compiledApp: unknown): unknown[];
  serializeApp(compiledApp: unknown): unknown;
};

/** The fields of a thrown `z.errors.Error` (its message is JSON: `{message, code, status}`). */
export interface AppErrorFields {
  message: string;
  code: string | null;
  status: number | null;
}

export async function appError(promise: Promise<unknown>): Promise<AppErrorFields> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    try {
      return JSON.parse(error.message) as AppErrorFields;
    } catch {
      return { message: error.message, code: null, status: null };
    }
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** The connection fields a Zapier user fills in, for the sandbox's own key pair. */
export function authDataOf(sandbox: Sandbox): Record<string, string> {
  return { site_url: sandbox.url, api_key: sandbox.key, api_secret: sandbox.secret };
}

/** A trigger's operation as these tests use it. */
export interface HookOperation {
  perform: Perform;
  performList: Perform;
  performSubscribe: Perform;
  performUnsubscribe: Perform;
  sample: Record<string, unknown>;
}

export function hookOperation(key: string): HookOperation {
  const trigger = (
    App.triggers as unknown as Record<string, { operation: HookOperation } | undefined>
  )[key];
  if (!trigger) throw new Error(`no trigger "${key}" in the app`);
  return trigger.operation;
}

/** What `perform` gets from Zapier for a JSON delivery: the parsed body plus the query string. */
export function cleanedRequest(
  body: Record<string, unknown>,
  querystring: Record<string, string> = {},
): Record<string, unknown> {
  return { ...body, querystring };
}

/** The item a trigger returns (an id plus payload fields). */
export type Item = { id: string } & Record<string, unknown>;

/** The JSON type of a value, for comparing output shapes (`null` kept apart). */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}
