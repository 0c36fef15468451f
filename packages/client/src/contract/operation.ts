import type { z } from 'zod';

/**
 * The status of an error answer an operation may give, besides the ones every operation may
 * give (400, 401, 403, 429, 500, 503).
 *
 * @example
 * ```ts
 * const errors: ErrorStatus[] = [404, 409];
 * ```
 */
export type ErrorStatus = 404 | 409 | 410 | 422;

/**
 * The error statuses every operation may answer, with the problem envelope.
 *
 * @example
 * ```ts
 * COMMON_ERROR_STATUSES.includes(429); // true
 * ```
 */
export const COMMON_ERROR_STATUSES = [400, 401, 403, 429, 500, 503] as const;

/**
 * An object schema of path or query parameters.
 *
 * @example
 * ```ts
 * const params: ParameterSchema = z.object({ clinicId: ClinicId });
 * ```
 */
export type ParameterSchema = z.ZodObject;

/**
 * One `/api/v1` operation: method, path, the schemas of its path parameters, query, body and
 * success answer, its error statuses and an example.
 *
 * `path` names parameters in braces (`/api/v1/clinics/{clinicId}`). A list answers a page and
 * takes its cursor in the query (GET) or the body (POST search); a stream answers
 * `text/event-stream`.
 *
 * @example
 * ```ts
 * const getClinic = defineOperation({
 *   method: 'GET', path: '/api/v1/clinics/{clinicId}', tag: 'clinics', summary: 'Read a clinic',
 *   params: z.object({ clinicId: ClinicId }), status: 200, response: Clinic, errors: [404],
 *   example: { params: { clinicId }, response: clinic },
 * });
 * ```
 */
export interface OperationDefinition {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: `/api/v1/${string}`;
  /** The group of the operation in the OpenAPI document. */
  readonly tag: string;
  /** One line saying what the operation does. */
  readonly summary: string;
  /** Who may call it, in words, for the OpenAPI description. */
  readonly description?: string;
  readonly params?: ParameterSchema;
  readonly query?: ParameterSchema;
  readonly body?: z.ZodType;
  readonly status: 200 | 201 | 202 | 204;
  /** The success body; absent for 204 and for the stream. */
  readonly response?: z.ZodType;
  readonly errors: readonly ErrorStatus[];
  /** Where a list takes its cursor: `query` for GET lists, `body` for POST searches. */
  readonly pagination?: 'query' | 'body';
  /** The operation answers `text/event-stream`. */
  readonly stream?: true;
  /** Values that satisfy the schemas, shown in the OpenAPI document and used by the fakes. */
  readonly example: {
    readonly params?: Record<string, unknown>;
    readonly query?: Record<string, unknown>;
    readonly body?: unknown;
    readonly response?: unknown;
  };
}

/**
 * Checks an operation's shape at compile time and returns it unchanged, with its exact types.
 *
 * @param definition - the operation.
 * @returns the same object.
 * @example
 * ```ts
 * const health = defineOperation({
 *   method: 'GET', path: '/api/v1/health', tag: 'health', summary: 'Check liveness',
 *   status: 200, response: Health, errors: [], example: { response: { status: 'ok' } },
 * });
 * ```
 */
export function defineOperation<const D extends OperationDefinition>(definition: D): D {
  return definition;
}

/**
 * The schema at `K` of an operation, or `undefined` when it has none.
 *
 * @example
 * ```ts
 * type ClinicBody = SchemaAt<typeof operations.createClinic, 'body'>;
 * ```
 */
export type SchemaAt<O, K extends string> = O extends {
  readonly [P in K]: infer S extends z.ZodType;
}
  ? S
  : undefined;

/**
 * What a client method of the operation takes: `params`, `query` and `body` as the operation
 * has them (`query` is always optional).
 *
 * @example
 * ```ts
 * const input: OperationInput<typeof operations.getClinic> = { params: { clinicId } };
 * ```
 */
export type OperationInput<O> = (SchemaAt<O, 'params'> extends z.ZodType
  ? { readonly params: z.input<SchemaAt<O, 'params'>> }
  : { readonly params?: undefined }) &
  (SchemaAt<O, 'query'> extends z.ZodType
    ? { readonly query?: z.input<SchemaAt<O, 'query'>> }
    : { readonly query?: undefined }) &
  (SchemaAt<O, 'body'> extends z.ZodType
    ? { readonly body: z.input<SchemaAt<O, 'body'>> }
    : { readonly body?: undefined });

/**
 * What a client method of the operation resolves with: the parsed success body, `undefined`
 * for a 204.
 *
 * @example
 * ```ts
 * const clinic: OperationOutput<typeof operations.getClinic> = await client.getClinic({ params: { clinicId } });
 * ```
 */
export type OperationOutput<O> =
  SchemaAt<O, 'response'> extends z.ZodType ? z.output<SchemaAt<O, 'response'>> : undefined;
