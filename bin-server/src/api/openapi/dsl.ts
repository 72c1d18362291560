import { z } from 'zod';
import type {
  JsonSchema,
  OperationObject,
  ParameterObject,
  RequestBodyObject,
  ResponseObject,
} from './types.js';

// Small helpers so each part writes its OpenAPI paths briefly and the same way.

export const ref = (id: string): JsonSchema => ({ $ref: `#/components/schemas/${id}` });

/** JSON Schema of a zod schema, without the dialect header (OpenAPI 3.1 sets it globally). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: simplifyDates,
  }) as JsonSchema;
  return rest;
}

/** `z.iso.datetime()` becomes a long regex; `format: date-time` already says it. */
export function simplifyDates(ctx: { jsonSchema: JsonSchema }): void {
  if (ctx.jsonSchema.format === 'date-time') delete ctx.jsonSchema.pattern;
}

/** One parameter per key of a zod object (query strings, path segments). */
function parametersOf(schema: z.ZodObject, place: 'path' | 'query'): ParameterObject[] {
  const object = jsonSchemaOf(schema, 'input');
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    const parameter: ParameterObject = {
      name,
      in: place,
      required: place === 'path' || required.has(name),
      schema: rest,
    };
    if (typeof description === 'string') parameter.description = description;
    return parameter;
  });
}

export function json(description: string, schema: JsonSchema, example?: unknown): ResponseObject {
  const media = example === undefined ? { schema } : { schema, example };
  return { description, content: { 'application/json': media } };
}

export const noContent = (description: string): ResponseObject => ({ description });

export const error = (description: string): ResponseObject => json(description, ref('Error'));

export function jsonBody(schema: JsonSchema, description?: string): RequestBodyObject {
  const body: RequestBodyObject = {
    required: false,
    content: { 'application/json': { schema } },
  };
  if (description !== undefined) body.description = description;
  return body;
}

export interface OperationSpec {
  id: string;
  summary: string;
  description?: string;
  tag: string;
  path?: z.ZodObject;
  query?: z.ZodObject;
  body?: RequestBodyObject;
  responses: Record<number, ResponseObject>;
}

/** An operation; 400 is added whenever there is input to validate. */
export function operation(spec: OperationSpec): OperationObject {
  const parameters = [
    ...(spec.path ? parametersOf(spec.path, 'path') : []),
    ...(spec.query ? parametersOf(spec.query, 'query') : []),
  ];
  const responses: Record<string, ResponseObject> = {};
  for (const [status, response] of Object.entries(spec.responses)) responses[status] = response;
  if (parameters.length > 0 || spec.body) {
    responses['400'] ??= error(
      'Invalid input: `invalid_request` names the field (`field`), `invalid_json` for malformed JSON.',
    );
  }
  const op: OperationObject = {
    operationId: spec.id,
    summary: spec.summary,
    tags: [spec.tag],
    responses,
  };
  if (spec.description !== undefined) op.description = spec.description;
  if (parameters.length > 0) op.parameters = parameters;
  if (spec.body) op.requestBody = spec.body;
  return op;
}
