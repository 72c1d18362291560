import { z } from 'zod';
import type { ApiSlice } from '../slice.js';
import { errorJson } from '../../wire/error.js';
import { error, simplifyDates } from './dsl.js';
import type { HttpMethod, JsonSchema, PathItem, TagObject } from './types.js';

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  tags: TagObject[];
  security: Array<Record<string, string[]>>;
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
  };
}

const METHODS: HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

/** Published component schemas of one direction (answers or request bodies), with $refs between them. */
function componentsOf(schemas: Map<string, z.ZodType>, io: 'input' | 'output') {
  if (schemas.size === 0) return {};
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of schemas) registry.add(schema, { id });
  const { schemas: generated } = z.toJSONSchema(registry, {
    io,
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
    override: simplifyDates,
  }) as { schemas: Record<string, JsonSchema> };
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(generated)) {
    const { $schema: _dialect, $id: _id, ...rest } = schema;
    out[id] = rest;
  }
  return out;
}

function collect(
  target: Map<string, z.ZodType>,
  from: Record<string, z.ZodType> | undefined,
  seen: Set<string>,
) {
  for (const [id, schema] of Object.entries(from ?? {})) {
    if (seen.has(id)) throw new Error(`OpenAPI component "${id}" is defined twice.`);
    seen.add(id);
    target.set(id, schema);
  }
}

const description = `The umhooks JSON API: capture bins and their requests, the Ultimate Multisite event catalog and the sandbox network.

Errors are always JSON \`{error, message}\` (plus \`field\` for \`invalid_request\`). On a loopback address the API needs no token; started with \`--token\` (or on another address) it requires \`Authorization: Bearer <token>\`. Every API use of a bin refreshes its time-to-live.`;

/**
 * Merges the slices' descriptions into one OpenAPI 3.1 document. Two slices describing the same
 * operation or component is a programming error, reported at start-up.
 */
export function buildOpenApiDocument(
  slices: readonly ApiSlice[],
  options: { version: string; secured: boolean },
): OpenApiDocument {
  const paths: Record<string, PathItem> = {};
  const tags: TagObject[] = [];
  const outputs = new Map<string, z.ZodType>([['Error', errorJson]]);
  const inputs = new Map<string, z.ZodType>();
  const ids = new Set(['Error']);
  for (const slice of slices) {
    const docs = slice.openapi();
    tags.push(...(docs.tags ?? []));
    for (const [path, item] of Object.entries(docs.paths)) {
      const merged: PathItem = (paths[path] ??= {});
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        if (merged[method])
          throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} is described twice.`);
        // Answers every route can give, whatever it does.
        op.responses['401'] ??= error(
          'The server requires its access token (`Authorization: Bearer <token>`).',
        );
        op.responses['403'] ??= error(
          '`forbidden_host`: a non-loopback Host on a token-less server (DNS rebinding guard); `forbidden_origin`: a write from a page of another site.',
        );
        op.responses['500'] ??= error('The server failed; its log has the details.');
        merged[method] = op;
      }
    }
    collect(outputs, docs.outputs, ids);
    collect(inputs, docs.inputs, ids);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'umhooks', version: options.version, description },
    servers: [],
    tags,
    security: options.secured ? [{ bearer: [] }] : [{}, { bearer: [] }],
    paths,
    components: {
      schemas: { ...componentsOf(outputs, 'output'), ...componentsOf(inputs, 'input') },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The access token printed at start-up; required when the server was started with --token or bound to a non-loopback address.',
        },
      },
    },
  };
}
