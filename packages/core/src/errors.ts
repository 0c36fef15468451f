/**
 * The error model shared by every CareQueue package.
 *
 * Every error has a stable `code`, an HTTP `status`, an optional `cause`, and a brand field so
 * that {@link isCarequeueError} works across duplicate installs. Serialized forms
 * ({@link CarequeueError.toJSON}, {@link CarequeueError.toProblem}) carry only the code, the
 * status, the message written by CareQueue and safe structured details: never the input that
 * caused the error, which may hold patient data.
 *
 * @packageDocumentation
 */

/** Codes of the errors defined in `@carequeue/core`. Packages add their own codes. */
export type CoreErrorCode =
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'EXTERNAL_SERVICE_FAILED'
  | 'INTERNAL';

/** Options accepted by every {@link CarequeueError} constructor. */
export interface CarequeueErrorOptions {
  /** The underlying error. It is kept for logs (after redaction) and never serialized. */
  cause?: unknown;
}

/**
 * A safe, structured detail of an error: a field path and a message written by CareQueue.
 * Never contains the offending value.
 */
export interface ErrorIssue {
  /** Dotted path of the field, such as `contact.phone` or `items.2.start`. Empty for the root. */
  readonly path: string;
  /** What is wrong with the field and how to fix it. */
  readonly message: string;
}

/** The plain-object form of an error, as returned by {@link CarequeueError.toJSON}. */
export interface CarequeueErrorJson {
  readonly name: string;
  readonly code: string;
  readonly status: number;
  readonly message: string;
  readonly issues?: readonly ErrorIssue[];
  readonly retryAfterMs?: number;
}

/**
 * An RFC 9457 problem details document (`application/problem+json`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9457
 */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
  readonly issues?: readonly ErrorIssue[];
  readonly retryAfterMs?: number;
}

/** Base URI of the problem types documented in the CareQueue docs. */
export const PROBLEM_TYPE_BASE = 'https://carequeue.dev/problems/';

/**
 * The base class of every error thrown by CareQueue.
 *
 * @example
 * ```ts
 * import { CarequeueError } from '@carequeue/core';
 *
 * class QueueClosedError extends CarequeueError {
 *   constructor() {
 *     super('QUEUE_CLOSED', 409, 'The queue is closed. Open it before checking patients in.');
 *   }
 * }
 * ```
 */
export class CarequeueError extends Error {
  /** Brand checked by {@link isCarequeueError}; survives duplicate installs where `instanceof` fails. */
  readonly isCarequeueError = true as const;
  /** Stable, `SCREAMING_SNAKE` identifier of the failure. */
  readonly code: string;
  /** The HTTP status that best describes the failure. */
  readonly status: number;

  constructor(code: string, status: number, message: string, options: CarequeueErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }

  /** Structured details that are safe to serialize. Subclasses override it to add fields. */
  protected safeDetails(): Pick<CarequeueErrorJson, 'issues' | 'retryAfterMs'> {
    return {};
  }

  /**
   * The error as a plain object for logs and APIs. Never includes `cause` or input values.
   *
   * @example
   * ```ts
   * JSON.stringify(new NotFoundError('patient')); // {"name":"NotFoundError","code":"NOT_FOUND",...}
   * ```
   */
  toJSON(): CarequeueErrorJson {
    return {
      name: this.name,
      code: this.code,
      status: this.status,
      message: this.message,
      ...this.safeDetails(),
    };
  }

  /**
   * The error as an RFC 9457 problem details document.
   *
   * @param instance - a URI for this occurrence, typically `urn:correlation:<id>`.
   * @example
   * ```ts
   * reply.status(err.status).type('application/problem+json').send(err.toProblem());
   * ```
   */
  toProblem(instance?: string): ProblemDetails {
    return {
      type: PROBLEM_TYPE_BASE + this.code.toLowerCase().replaceAll('_', '-'),
      title: titleOf(this.code),
      status: this.status,
      detail: this.message,
      code: this.code,
      ...(instance === undefined ? {} : { instance }),
      ...this.safeDetails(),
    };
  }
}

function titleOf(code: string): string {
  const words = code.toLowerCase().split('_');
  const sentence = words.join(' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/**
 * Input did not match what was expected. Lists the failing field paths with messages, never the
 * values.
 *
 * @example
 * ```ts
 * throw new ValidationError('The appointment is invalid.', [
 *   { path: 'start', message: 'must be before end' },
 * ]);
 * ```
 */
export class ValidationError extends CarequeueError {
  /** The fields that failed, with what is wrong with each. */
  readonly issues: readonly ErrorIssue[];

  constructor(
    message: string,
    issues: readonly ErrorIssue[] = [],
    options?: CarequeueErrorOptions,
  ) {
    super('VALIDATION_FAILED', 400, message, options);
    this.issues = issues;
  }

  protected override safeDetails(): Pick<CarequeueErrorJson, 'issues'> {
    return { issues: this.issues };
  }
}

/**
 * The requested record does not exist or is not visible to the caller.
 *
 * @example
 * ```ts
 * throw new NotFoundError('appointment');
 * ```
 */
export class NotFoundError extends CarequeueError {
  /** The kind of record that was not found, such as `patient`. */
  readonly resource: string;

  constructor(resource: string, options?: CarequeueErrorOptions) {
    super('NOT_FOUND', 404, `The ${resource} was not found, or you may not see it.`, options);
    this.resource = resource;
  }
}

/**
 * The request conflicts with the current state, such as a slot already taken or a stale version.
 *
 * @example
 * ```ts
 * throw new ConflictError('The slot was taken. Pick another slot.');
 * ```
 */
export class ConflictError extends CarequeueError {
  constructor(message: string, options?: CarequeueErrorOptions & { code?: string }) {
    super(options?.code ?? 'CONFLICT', 409, message, options);
  }
}

/**
 * The caller is not authenticated, or the credentials are invalid or expired.
 *
 * @example
 * ```ts
 * throw new UnauthorizedError('The access token has expired. Sign in again.');
 * ```
 */
export class UnauthorizedError extends CarequeueError {
  constructor(
    message = 'Authentication is required. Send a valid access token.',
    options?: CarequeueErrorOptions,
  ) {
    super('UNAUTHORIZED', 401, message, options);
  }
}

/**
 * The caller is authenticated but lacks a permission, or the record is outside their scope.
 *
 * @example
 * ```ts
 * throw new ForbiddenError('patient:read', 'Your role does not grant patient:read.');
 * ```
 */
export class ForbiddenError extends CarequeueError {
  /** The permission that was missing. */
  readonly permission: string;

  constructor(permission: string, message?: string, options?: CarequeueErrorOptions) {
    super(
      'FORBIDDEN',
      403,
      message ?? `Permission ${permission} is required for this action.`,
      options,
    );
    this.permission = permission;
  }
}

/**
 * The caller sent too many requests. `retryAfterMs` says when to try again.
 *
 * @example
 * ```ts
 * throw new RateLimitedError(1500);
 * ```
 */
export class RateLimitedError extends CarequeueError {
  /** Milliseconds to wait before retrying. */
  readonly retryAfterMs: number;

  constructor(retryAfterMs: number, message?: string, options?: CarequeueErrorOptions) {
    super(
      'RATE_LIMITED',
      429,
      message ?? `Too many requests. Retry after ${Math.ceil(retryAfterMs / 1000)} s.`,
      options,
    );
    this.retryAfterMs = retryAfterMs;
  }

  protected override safeDetails(): Pick<CarequeueErrorJson, 'retryAfterMs'> {
    return { retryAfterMs: this.retryAfterMs };
  }
}

/**
 * An operation did not finish within its time budget.
 *
 * @example
 * ```ts
 * throw new TimeoutError('sms.send', 5000);
 * ```
 */
export class TimeoutError extends CarequeueError {
  /** The operation that timed out. */
  readonly operation: string;
  /** The budget that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  constructor(operation: string, timeoutMs: number, options?: CarequeueErrorOptions) {
    super('TIMEOUT', 504, `${operation} did not finish within ${timeoutMs} ms.`, options);
    this.operation = operation;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A dependency (SMS provider, ML service, database) failed or is unavailable.
 *
 * @example
 * ```ts
 * throw new ExternalServiceError('twilio', 'Twilio answered 503.', { cause: err });
 * ```
 */
export class ExternalServiceError extends CarequeueError {
  /** The dependency that failed. */
  readonly service: string;
  /** Whether retrying later may succeed. */
  readonly transient: boolean;

  constructor(
    service: string,
    message: string,
    options?: CarequeueErrorOptions & { transient?: boolean; code?: string },
  ) {
    super(options?.code ?? 'EXTERNAL_SERVICE_FAILED', 502, `[${service}] ${message}`, options);
    this.service = service;
    this.transient = options?.transient ?? true;
  }
}

/**
 * An unexpected failure. {@link toCarequeueError} wraps unknown thrown values in it; the
 * original is kept as `cause` and never serialized.
 *
 * @example
 * ```ts
 * throw new InternalError('The booking could not be saved.', { cause: err });
 * ```
 */
export class InternalError extends CarequeueError {
  constructor(
    message = 'An unexpected error occurred. Retry, and report it with the correlation id if it persists.',
    options?: CarequeueErrorOptions,
  ) {
    super('INTERNAL', 500, message, options);
  }
}

/**
 * Whether a value is a CareQueue error, including one from another copy of this package.
 *
 * @example
 * ```ts
 * try { await book(); } catch (e) { if (isCarequeueError(e) && e.code === 'CONFLICT') retry(); }
 * ```
 */
export function isCarequeueError(value: unknown): value is CarequeueError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { isCarequeueError?: unknown }).isCarequeueError === true &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { status?: unknown }).status === 'number'
  );
}

/**
 * Turns any thrown value into a {@link CarequeueError}. CareQueue errors pass through; anything
 * else becomes an {@link InternalError} whose message reveals nothing of the original, which
 * is kept as `cause`.
 *
 * @example
 * ```ts
 * catch (e) { const err = toCarequeueError(e); reply.status(err.status).send(err.toProblem()); }
 * ```
 */
export function toCarequeueError(value: unknown): CarequeueError {
  if (isCarequeueError(value)) return value;
  return new InternalError(undefined, { cause: value });
}

/**
 * Every error class of `@carequeue/core`, keyed by class name.
 *
 * @example
 * ```ts
 * if (err instanceof errors.NotFoundError) reply.status(404);
 * ```
 */
export const errors = {
  CarequeueError,
  ValidationError,
  NotFoundError,
  ConflictError,
  UnauthorizedError,
  ForbiddenError,
  RateLimitedError,
  TimeoutError,
  ExternalServiceError,
  InternalError,
} as const;
