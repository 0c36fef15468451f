/**
 * Builds the OpenAPI 3.1 document of the `/api/v1` contract. Build-time only: no runtime entry
 * imports it, so it stays out of the client's bundle (`scripts/build-openapi.mjs` writes
 * `openapi.json` with it, and a test fails when the committed file drifts).
 *
 * @packageDocumentation
 */
import { AuditJsonValue, idSchemas } from '@carequeue/core';
import { z } from 'zod';
import { API_VERSION } from '../contract/api-version.js';
import { COMMON_ERROR_STATUSES, type OperationDefinition } from '../contract/operation.js';
import { operations } from '../contract/operations.js';
import { Problem } from '../contract/problem.js';
import { streamEvents } from '../contract/stream-events.js';

type JsonObject = Record<string, unknown>;

const ERROR_TITLES: Record<number, string> = {
  400: 'The request is invalid (VALIDATION_FAILED, with issues).',
  401: 'No valid access token (UNAUTHORIZED).',
  403: 'The caller may not do this (FORBIDDEN).',
  404: 'The record does not exist or is not visible (NOT_FOUND).',
  409: 'The request conflicts with the current state (a stale version, a taken slot, ...).',
  410: 'The token or hold has expired.',
  422: 'The request is well-formed but cannot be carried out (outside hours, too soon, ...).',
  429: 'Too many requests (RATE_LIMITED); wait Retry-After.',
  500: 'The server failed (INTERNAL).',
  503: 'The service is unavailable for now; wait Retry-After.',
};

const brands = new Map<z.core.$ZodType, string>(
  Object.entries(idSchemas).map(([name, schema]) => [schema as z.core.$ZodType, name]),
);

/** JSON Schemas of a set of zod schemas, sharing components by id. */
function jsonSchemas(entries: Map<z.core.$ZodType, string>, io: 'input' | 'output') {
  const registry = z.registry<{ id: string }>();
  registry.add(AuditJsonValue, { id: 'AuditJsonValue' });
  for (const [schema, name] of brands) registry.add(schema, { id: name });
  for (const [schema, id] of entries) if (!registry.has(schema)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
    override: (context) => {
      const brand = brands.get(context.zodSchema);
      if (brand !== undefined) context.jsonSchema['x-brand'] = brand;
    },
  });
  const schemas: Record<string, JsonObject> = {};
  for (const [id, schema] of Object.entries(generated.schemas)) {
    const { $schema: _dialect, $id: _uri, id: _id, ...rest } = schema as JsonObject;
    schemas[id] = rest;
  }
  const idOf = (schema: z.core.$ZodType) => registry.get(schema)?.id;
  return { schemas, idOf };
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function parameters(
  op: OperationDefinition,
  inputs: Record<string, JsonObject>,
  idOf: (schema: z.core.$ZodType) => string | undefined,
) {
  const list: JsonObject[] = [];
  const add = (where: 'path' | 'query', object: z.ZodObject) => {
    // Operations share parameter schemas (every list takes PageQuery), so the schema is found
    // by its registered id, not by the name of the operation.
    const generated = inputs[idOf(object) ?? ''];
    const properties = (generated?.['properties'] ?? {}) as Record<string, JsonObject>;
    const required = new Set((generated?.['required'] ?? []) as string[]);
    for (const name of Object.keys(object.shape)) {
      const schema = properties[name] ?? {};
      list.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        schema,
        ...(schema['type'] === 'array' ? { style: 'form', explode: true } : {}),
        ...(op.example[where === 'path' ? 'params' : 'query']?.[name] === undefined
          ? {}
          : { example: op.example[where === 'path' ? 'params' : 'query']?.[name] }),
      });
    }
  };
  if (op.params) add('path', op.params);
  if (op.query) add('query', op.query);
  if (op.stream) {
    list.push({
      name: 'Last-Event-ID',
      in: 'header',
      required: false,
      schema: { type: 'string' },
      description: 'Resume after this event: the server replays what came later.',
    });
  }
  return list;
}

function successResponse(op: OperationDefinition, responseId: string | undefined): JsonObject {
  if (op.stream) {
    const example =
      'id: <queueId>:42\nevent: queue.event\ndata: {"version":42,"type":"called"}\n\n';
    return {
      description: 'A text/event-stream of the events in x-stream-events.',
      content: {
        'text/event-stream': {
          schema: { type: 'string' },
          example,
        },
      },
    };
  }
  if (responseId === undefined) return { description: 'Done.' };
  return {
    description: 'Success.',
    headers: { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } },
    content: { 'application/json': { schema: ref(responseId), example: op.example.response } },
  };
}

/**
 * The OpenAPI 3.1 document of the contract: every operation with an operationId, a summary and
 * an example; branded ids as components with `x-brand`; PHI tags as `x-phi`; 429 and 503
 * answers with `Retry-After`; the event stream as `text/event-stream`.
 *
 * @returns the document, ready for `JSON.stringify`.
 * @example
 * ```ts
 * writeFileSync('openapi.json', `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
 * ```
 */
export function buildOpenApiDocument(): JsonObject {
  const inputEntries = new Map<z.core.$ZodType, string>();
  const outputEntries = new Map<z.core.$ZodType, string>([[Problem, 'Problem']]);
  for (const [name, schema] of Object.entries(streamEvents)) {
    outputEntries.set(schema, `StreamEvent_${name.replace(/\W/g, '_')}`);
  }
  const all = Object.entries(operations) as [string, OperationDefinition][];
  for (const [id, op] of all) {
    if (op.params) inputEntries.set(op.params, `${id}Params`);
    if (op.query) inputEntries.set(op.query, `${id}Query`);
    if (op.body && !inputEntries.has(op.body)) inputEntries.set(op.body, `${id}Body`);
    if (op.response && !outputEntries.has(op.response))
      outputEntries.set(op.response, `${id}Response`);
  }
  const inputs = jsonSchemas(inputEntries, 'input');
  const outputs = jsonSchemas(outputEntries, 'output');
  const idsOf = (schemas: (z.ZodType | undefined)[]) =>
    new Set(schemas.flatMap((schema) => (schema ? [inputs.idOf(schema)] : [])));
  const bodyIds = idsOf(all.map(([, op]) => op.body));
  const parameterIds = idsOf(all.flatMap(([, op]) => [op.params, op.query]));
  const paramIds = new Set([...parameterIds].filter((schemaId) => !bodyIds.has(schemaId)));
  const inputSchemas = Object.fromEntries(
    Object.entries(inputs.schemas).filter(([id]) => !paramIds.has(id)),
  );

  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const [id, op] of all) {
    const errors = [...new Set<number>([...COMMON_ERROR_STATUSES, ...op.errors])].sort();
    const bodyId = op.body === undefined ? undefined : inputs.idOf(op.body);
    const responseId = op.response === undefined ? undefined : outputs.idOf(op.response);
    const operation: JsonObject = {
      operationId: id,
      summary: op.summary,
      ...(op.description === undefined ? {} : { description: op.description }),
      tags: [op.tag],
      ...(op.tag === 'health' ? { security: [] } : {}),
      parameters: parameters(op, inputs.schemas, inputs.idOf),
      ...(bodyId === undefined
        ? {}
        : {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: ref(bodyId), example: op.example.body } },
            },
          }),
      responses: {
        [String(op.status)]: successResponse(op, responseId),
        ...Object.fromEntries(
          errors.map((status) => [
            String(status),
            { $ref: `#/components/responses/Problem${status}` },
          ]),
        ),
      },
      ...(op.pagination === undefined ? {} : { 'x-pagination': { cursorIn: op.pagination } }),
      ...(op.stream
        ? {
            'x-stream-events': Object.fromEntries(
              Object.keys(streamEvents).map((name) => [
                name,
                ref(`StreamEvent_${name.replace(/\W/g, '_')}`),
              ]),
            ),
          }
        : {}),
    };
    const path = (paths[op.path] ??= {});
    path[op.method.toLowerCase()] = operation;
  }

  const retryAfter = { $ref: '#/components/headers/Retry-After' };
  const problemResponses = Object.fromEntries(
    [400, 401, 403, 404, 409, 410, 422, 429, 500, 503].map((status) => [
      `Problem${status}`,
      {
        description: ERROR_TITLES[status],
        headers: {
          'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
          ...(status === 429 || status === 503 ? { 'Retry-After': retryAfter } : {}),
        },
        content: { 'application/problem+json': { schema: ref('Problem') } },
      },
    ]),
  );

  return {
    openapi: '3.1.1',
    info: {
      title: 'CareQueue API',
      version: API_VERSION,
      description:
        'Clinic queues and booking. Errors are application/problem+json with a stable code and the request id. Direct identifiers (x-phi) never appear in paths or query strings.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: 'https://clinic.example', description: 'Your CareQueue server' }],
    security: [{ bearerAuth: [] }],
    tags: [...new Set(all.map(([, op]) => op.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { ...inputSchemas, ...outputs.schemas },
      responses: problemResponses,
      headers: {
        'Retry-After': {
          description: 'Seconds to wait (or an HTTP date) before retrying.',
          schema: { type: 'string' },
          example: '2',
        },
        'X-Request-Id': {
          description: 'The id of the request, to quote when reporting a problem.',
          schema: { type: 'string' },
        },
      },
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
    },
  };
}
