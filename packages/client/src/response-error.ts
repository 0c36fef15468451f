import {
  ConflictError,
  ExternalServiceError,
  ForbiddenError,
  InternalError,
  NotFoundError,
  RateLimitedError,
  TimeoutError,
  UnauthorizedError,
  ValidationError,
  type CarequeueError,
  type ErrorIssue,
} from '@carequeue/core';
import { requireArgument } from './argument-checks.js';
import { ApiError } from './errors.js';

/**
 * What the client knows about the answer an error came from.
 *
 * @example
 * ```ts
 * const { requestId, retryAfterMs }: ResponseErrorContext = err as ClientError;
 * ```
 */
export interface ResponseErrorContext {
  /** The request id the server gave the answer, to quote when reporting a problem. */
  readonly requestId?: string;
  /** How long the server asked to wait before retrying, in milliseconds. */
  readonly retryAfterMs?: number;
}

/**
 * A CareQueue error thrown by the client, with the request id and retry delay of its answer.
 *
 * @example
 * ```ts
 * catch (e) {
 *   if (isCarequeueError(e)) console.warn(e.code, (e as ClientError).requestId);
 * }
 * ```
 */
export type ClientError = CarequeueError & ResponseErrorContext;

/**
 * The fields of a problem document the client reads; anything else is ignored.
 *
 * @example
 * ```ts
 * const { code, issues }: ProblemFields = readProblem(body);
 * ```
 */
export interface ProblemFields {
  readonly code?: string;
  readonly detail?: string;
  readonly issues?: readonly ErrorIssue[];
  readonly retryAfterMs?: number;
  readonly requestId?: string;
  readonly resource?: string;
  readonly permission?: string;
}

const SAFE_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
const SAFE_NAME = /^[a-z][a-z0-9_.:-]{0,63}$/i;

function stringField(value: unknown, pattern?: RegExp): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return undefined;
  return pattern === undefined || pattern.test(value) ? value : undefined;
}

function issuesOf(value: unknown): ErrorIssue[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.flatMap((issue: unknown) => {
    if (typeof issue !== 'object' || issue === null) return [];
    const { path, message } = issue as { path?: unknown; message?: unknown };
    return typeof path === 'string' && typeof message === 'string' ? [{ path, message }] : [];
  });
}

/**
 * Reads the fields of a problem document that the client uses, dropping any of the wrong
 * type. A `requestId` is also read from an `instance` of the form `urn:correlation:<id>`.
 *
 * @param body - the parsed JSON body of an error answer, of any shape.
 * @returns the fields found.
 * @example
 * ```ts
 * readProblem({ code: 'NOT_FOUND', status: 404, instance: 'urn:correlation:r1' });
 * // { code: 'NOT_FOUND', requestId: 'r1' }
 * ```
 */
export function readProblem(body: unknown): ProblemFields {
  if (typeof body !== 'object' || body === null) return {};
  const raw = body as Record<string, unknown>;
  const instance = stringField(raw['instance']);
  const retryAfterMs = raw['retryAfterMs'];
  const fields: ProblemFields = {
    code: stringField(raw['code'], SAFE_CODE),
    detail: stringField(raw['detail']),
    issues: issuesOf(raw['issues']),
    retryAfterMs:
      typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs >= 0
        ? retryAfterMs
        : undefined,
    requestId:
      stringField(raw['requestId']) ??
      (instance?.startsWith('urn:correlation:') === true
        ? instance.slice('urn:correlation:'.length) || undefined
        : undefined),
    resource: stringField(raw['resource'], SAFE_NAME),
    permission: stringField(raw['permission'], SAFE_NAME),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function errorForProblem(status: number, problem: ProblemFields, retryAfterMs?: number) {
  const { code, detail } = problem;
  switch (code) {
    case 'VALIDATION_FAILED':
      return new ValidationError(detail ?? 'The request is invalid.', problem.issues ?? []);
    case 'NOT_FOUND':
      return new NotFoundError(problem.resource ?? 'record');
    case 'UNAUTHORIZED':
      return new UnauthorizedError(detail);
    case 'FORBIDDEN':
      return new ForbiddenError(problem.permission ?? 'unknown', detail);
    case 'RATE_LIMITED':
      return new RateLimitedError(retryAfterMs ?? 1000, detail);
    case 'TIMEOUT':
      return new TimeoutError('The CareQueue API request', 0);
    case 'INTERNAL':
      return new InternalError(detail);
    case 'EXTERNAL_SERVICE_FAILED':
      return new ExternalServiceError('carequeue-api', detail ?? 'A dependency failed.');
    default:
      if (status === 409) return new ConflictError(detail ?? 'The request conflicts.', { code });
      if (status === 429) return new RateLimitedError(retryAfterMs ?? 1000, detail);
      return new ApiError({ code, status, message: detail });
  }
}

/**
 * Attaches the request id and retry delay of an answer to an error, as read-only properties.
 *
 * @param error - the error to describe.
 * @param context - what the answer said.
 * @returns the same error, typed with the context.
 * @example
 * ```ts
 * withResponseContext(new InternalError(), { requestId: 'r1' }).requestId; // 'r1'
 * ```
 */
export function withResponseContext<E extends CarequeueError>(
  error: E,
  context: ResponseErrorContext,
): E & ResponseErrorContext {
  for (const [key, value] of Object.entries(context)) {
    if (value !== undefined) Object.defineProperty(error, key, { value, enumerable: true });
  }
  return error;
}

/**
 * Turns an error answer of the API into the `CarequeueError` subclass its `code` names
 * (`VALIDATION_FAILED` -> `ValidationError` with its issues, `NOT_FOUND` -> `NotFoundError`,
 * `RATE_LIMITED` -> `RateLimitedError`, ...), an unknown code into {@link ApiError} with the
 * answer's code and status, and attaches `requestId` and `retryAfterMs`.
 *
 * @param status - the HTTP status of the answer.
 * @param body - its parsed JSON body, or `undefined` when it had none.
 * @param context - the request id and `Retry-After` delay read from the headers; they win over
 *   the body's.
 * @returns the error to throw.
 * @example
 * ```ts
 * const err = errorFromResponse(404, { code: 'NOT_FOUND', resource: 'patient' }, { requestId: 'r1' });
 * err instanceof NotFoundError; // true
 * err.requestId; // 'r1'
 * ```
 */
export function errorFromResponse(
  status: number,
  body: unknown,
  context: ResponseErrorContext = {},
): ClientError {
  requireArgument(
    Number.isInteger(status) && status >= 400 && status <= 599,
    'status',
    'must be an HTTP error status',
  );
  const problem = readProblem(body);
  const retryAfterMs = context.retryAfterMs ?? problem.retryAfterMs;
  const error = errorForProblem(status, problem, retryAfterMs);
  return withResponseContext(error, {
    requestId: context.requestId ?? problem.requestId,
    retryAfterMs,
  });
}
