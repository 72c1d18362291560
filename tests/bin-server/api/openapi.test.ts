import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../../bin-server/src/api/app.js';
import { registeredRoutes } from '../../../bin-server/src/api/http/registered-routes.js';
import type { OpenApiDocument } from '../../../bin-server/src/api/openapi/document.js';
import type { OperationObject, PathItem } from '../../../bin-server/src/api/openapi/types.js';
import { startApi, type ApiClient } from '../../support/api-client.js';

let api: ApiClient;
let doc: OpenApiDocument;
beforeAll(async () => {
  api = await startApi();
  const answer = await api.call('/api/openapi.json');
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  doc = JSON.parse(answer.text) as OpenApiDocument;
});
afterAll(async () => {
  await api.close();
});

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function operations(
  document: OpenApiDocument,
): Array<{ method: string; path: string; op: OperationObject }> {
  const out: Array<{ method: string; path: string; op: OperationObject }> = [];
  for (const [path, item] of Object.entries(document.paths) as Array<[string, PathItem]>) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) out.push({ method: method.toUpperCase(), path, op });
    }
  }
  return out;
}

/** `/bins/:id/requests/:rid` (express, relative to /api) → `/api/bins/{id}/requests/{rid}`. */
const toOpenApiPath = (path: string) => `/api${path.replace(/:(\w+)/g, '{$1}')}`;

function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, found);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') found.push(v);
      else refs(v, found);
    }
  }
  return found;
}

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document for this server', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('umhooks');
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(doc.servers).toEqual([{ url: api.url }]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('describes exactly the routes express registers, and nothing else', () => {
    const { router } = createApiApp(api.server.context);
    const registered = registeredRoutes(router).map((r) => `${r.method} ${toOpenApiPath(r.path)}`);
    const documented = operations(doc).map((o) => `${o.method} ${o.path}`);
    expect(new Set(registered).size).toBe(registered.length);
    expect([...documented].sort()).toEqual([...registered].sort());
    // The contract's routes are all there.
    for (const route of [
      'GET /api/info',
      'POST /api/bins',
      'GET /api/bins',
      'GET /api/bins/{id}',
      'PATCH /api/bins/{id}',
      'DELETE /api/bins/{id}',
      'GET /api/bins/{id}/requests',
      'DELETE /api/bins/{id}/requests',
      'GET /api/bins/{id}/requests/latest',
      'GET /api/bins/{id}/requests/{rid}',
      'DELETE /api/bins/{id}/requests/{rid}',
      'GET /api/bins/{id}/requests/{rid}/raw',
      'GET /api/bins/{id}/requests/{rid}/curl',
      'GET /api/bins/{id}/requests/{rid}/har',
      'POST /api/bins/{id}/requests/{rid}/replay',
      'GET /api/bins/{id}/requests/{rid}/replays',
      'GET /api/bins/{id}/har',
      'GET /api/bins/{id}/jsonl',
      'GET /api/bins/{id}/csv',
      'GET /api/events',
      'GET /api/events/{id}',
      'GET /api/openapi.json',
    ]) {
      expect(documented).toContain(route);
    }
  });

  it('every documented operation is served by the running server', async () => {
    const bin = await api.createBin();
    await fetch(bin.url, { method: 'POST', body: 'x' });
    const rid = ((await api.call(`/api/bins/${bin.id}/requests/latest`)).json as { id: string }).id;
    for (const { method, path } of operations(doc)) {
      if (method === 'DELETE') continue; // Served, but would remove the fixtures.
      const url = path
        .replace('{id}', path.startsWith('/api/events') ? 'payment_received' : bin.id)
        .replace('{rid}', rid);
      const answer = await api.call(url, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : '{}',
      });
      // A domain 404 (`bin_not_found`, `delivery_not_found`…) is fine: the route exists.
      const code = (answer.json as { error?: string } | undefined)?.error;
      expect(
        ['not_found', 'method_not_allowed'],
        `${method} ${path} → ${answer.status} ${answer.text.slice(0, 200)}`,
      ).not.toContain(code);
      expect(answer.status).toBeLessThan(500);
    }
  });

  it('has unique operation ids, parameters for every path segment, and documented errors', () => {
    const ids = operations(doc).map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, op } of operations(doc)) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(declared.sort(), path).toEqual(inPath.sort());
      for (const parameter of op.parameters ?? []) expect(parameter.schema).toBeTypeOf('object');
      expect(
        Object.keys(op.responses).some((s) => s.startsWith('2')),
        path,
      ).toBe(true);
      for (const [status, response] of Object.entries(op.responses)) {
        expect(response.description.length, `${path} ${status}`).toBeGreaterThan(0);
        if (Number(status) >= 400) {
          // Errors are JSON `{error, message, …}`: the Error schema or one that extends it.
          const ref = (
            response.content?.['application/json']?.schema as { $ref?: string } | undefined
          )?.$ref;
          expect(ref, `${path} ${status}`).toMatch(/^#\/components\/schemas\//);
          const schema = doc.components.schemas[ref!.split('/').pop()!] as { required?: string[] };
          expect(schema.required, ref).toEqual(expect.arrayContaining(['error', 'message']));
        }
      }
      if ((op.parameters ?? []).length > 0 || op.requestBody)
        expect(op.responses['400']).toBeDefined();
    }
  });

  it('resolves every $ref to a component schema', () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(10);
    for (const ref of all) {
      const match = /^#\/components\/schemas\/(\w+)$/.exec(ref);
      expect(match, ref).not.toBeNull();
      expect(doc.components.schemas[match![1]!], ref).toBeDefined();
    }
  });

  it('documents the shapes of the contract', () => {
    const schemas = doc.components.schemas as Record<
      string,
      { properties?: Record<string, unknown>; required?: string[] }
    >;
    expect(Object.keys(schemas.BinJson!.properties!).sort()).toEqual(
      [
        'id',
        'name',
        'url',
        'created_at',
        'last_used_at',
        'expires_at',
        'request_count',
        'evicted_count',
        'max_requests',
        'own_max_requests',
        'response',
        'signing_secret',
      ].sort(),
    );
    expect(schemas.RequestJson!.required).toEqual(
      expect.arrayContaining([
        'id',
        'headers',
        'body_base64',
        'body_text',
        'recognition',
        'signature',
      ]),
    );
    expect(schemas.Error!.required).toEqual(['error', 'message']);
    // A replay: the sandbox attempt's fields, with the bytes sent, the edits and the signature.
    expect(schemas.ReplayJson!.required).toEqual(
      expect.arrayContaining([
        'started_at',
        'duration_ms',
        'request',
        'status',
        'response_headers',
        'response_body',
        'response_truncated',
        'error',
        'edited',
        'signature',
      ]),
    );
    expect(schemas.ReplayInput!.required).toEqual(['url']);
    expect(Object.keys(schemas.RequestWithReplaysJson!.properties!)).toContain('replays');
    // Request bodies are described as they are read: every field optional, limits visible.
    const create = schemas.BinCreate as {
      required?: string[];
      properties: Record<string, unknown>;
    };
    expect(create.required ?? []).toEqual([]);
    expect(JSON.stringify(create.properties.response)).toContain('"maximum":599');
    const list = operations(doc).find((o) => o.op.operationId === 'listRequests')!.op;
    expect(list.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining(['limit', 'cursor', 'include_body', 'q', 'method', 'event']),
    );
    expect(list.parameters!.find((p) => p.name === 'limit')!.schema).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 500,
      default: 50,
    });
  });

  it('says the token is required when the server has one', async () => {
    const token = 't'.repeat(24);
    const secured = await startApi({ token });
    try {
      const answer = await secured.call('/api/openapi.json', {
        headers: { authorization: `Bearer ${token}` },
      });
      expect((answer.json as OpenApiDocument).security).toEqual([{ bearer: [] }]);
      expect(doc.security).toEqual([{}, { bearer: [] }]);
    } finally {
      await secured.close();
    }
  });
});
