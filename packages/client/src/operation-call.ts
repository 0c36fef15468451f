import { parseOrThrow } from '@carequeue/core';
import { z } from 'zod';
import type { OperationDefinition } from './contract/operation.js';
import { ResponseValidationError } from './errors.js';
import type { QueryParams } from './request-url.js';
import type { TransportRequest } from './http-transport.js';

/** The `params`, `query` and `body` of a call, as given. */
export interface RawOperationInput {
  readonly params?: unknown;
  readonly query?: unknown;
  readonly body?: unknown;
}

function filledPath(path: string, params: Record<string, unknown>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
}

/**
 * Validates the input of an operation against its schemas and builds the transport request.
 * Nothing is sent when the input is invalid.
 *
 * @param operationId - the operation's name, for error messages.
 * @param operation - the operation's definition.
 * @param input - what the caller gave.
 * @returns the request to send (without signal or idempotency key).
 * @throws ValidationError naming the refused fields (`params.clinicId`, `body.start`), never
 *   quoting their values.
 * @example
 * ```ts
 * const request = operationRequest('getClinic', operations.getClinic, { params: { clinicId } });
 * ```
 */
export function operationRequest(
  operationId: string,
  operation: OperationDefinition,
  input: RawOperationInput | undefined,
): TransportRequest {
  const given = input ?? {};
  const shape: Record<string, z.ZodType> = {};
  const values: Record<string, unknown> = {};
  if (operation.params) {
    shape['params'] = operation.params;
    values['params'] = given.params;
  }
  if (operation.query) {
    shape['query'] = operation.query.optional();
    values['query'] = given.query;
  }
  if (operation.body) {
    shape['body'] = operation.body;
    values['body'] = given.body;
  }
  const parsed = parseOrThrow(z.object(shape), values, `input of ${operationId}`) as {
    params?: Record<string, unknown>;
    query?: QueryParams;
    body?: unknown;
  };
  return {
    method: operation.method,
    path: filledPath(operation.path, parsed.params ?? {}),
    ...(parsed.query === undefined ? {} : { query: parsed.query }),
    ...(parsed.body === undefined ? {} : { body: parsed.body }),
  };
}

/**
 * Checks an answer against the operation's response schema.
 *
 * @param operationId - the operation's name, for the error message.
 * @param operation - the operation's definition.
 * @param body - the parsed answer.
 * @returns the parsed answer (with the schema's defaults and brands).
 * @throws ResponseValidationError when the answer does not match.
 * @example
 * ```ts
 * const clinic = validatedResponse('getClinic', operations.getClinic, body);
 * ```
 */
export function validatedResponse(
  operationId: string,
  operation: OperationDefinition,
  body: unknown,
): unknown {
  if (operation.response === undefined) return undefined;
  const result = operation.response.safeParse(body);
  if (result.success) return result.data;
  throw new ResponseValidationError(
    operationId,
    result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.code,
    })),
  );
}
