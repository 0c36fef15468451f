import { CarequeueError, type CarequeueErrorOptions } from '@carequeue/core';

/**
 * The circuit for this dependency is open; calls are rejected until it recovers. Retry later or use a fallback.
 *
 * A {@link CircuitBreaker} throws one preallocated instance per breaker while open, so the error
 * carries no stack of the rejected call.
 *
 * @example
 * ```ts
 * import { CircuitOpenError, isCarequeueError } from '@carequeue/resilience';
 *
 * const err = new CircuitOpenError();
 * isCarequeueError(err); // true
 * err.code; // 'CIRCUIT_OPEN'
 * ```
 */
export class CircuitOpenError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'CIRCUIT_OPEN',
      503,
      'The circuit for this dependency is open; calls are rejected until it recovers. Retry later or use a fallback.',
      options,
    );
  }
}

/**
 * A bulkhead had no free slot and no room in its queue. Lower the load, raise `maxConcurrent` or
 * `maxQueued`, or retry later.
 *
 * @example
 * ```ts
 * import { BulkheadRejectedError } from '@carequeue/resilience';
 *
 * const err = new BulkheadRejectedError();
 * err.code; // 'BULKHEAD_REJECTED'
 * ```
 */
export class BulkheadRejectedError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'BULKHEAD_REJECTED',
      503,
      'The bulkhead is full: every slot is busy and the queue is full. Retry later or raise its capacity.',
      options,
    );
  }
}

/**
 * A retry was due but the retry budget was spent, so the failure is returned instead of adding
 * load to a struggling dependency. The last failure is kept as `cause`.
 *
 * @example
 * ```ts
 * import { RetryBudgetExhaustedError } from '@carequeue/resilience';
 *
 * const err = new RetryBudgetExhaustedError({ cause: new Error('503') });
 * err.code; // 'RETRY_BUDGET_EXHAUSTED'
 * ```
 */
export class RetryBudgetExhaustedError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'RETRY_BUDGET_EXHAUSTED',
      503,
      'The call failed and was not retried because the retry budget is spent. Retry later; the dependency is failing often.',
      options,
    );
  }
}

/**
 * A rate limiter, idempotency store or dead-letter queue was given options it cannot work with.
 * The message names the option; fix the configuration.
 *
 * @example
 * ```ts
 * import { ResilienceConfigError } from '@carequeue/resilience';
 *
 * const err = new ResilienceConfigError('max must be a positive integer.');
 * err.code; // 'RESILIENCE_CONFIG_INVALID'
 * ```
 */
export class ResilienceConfigError extends CarequeueError {
  constructor(problem: string, options?: CarequeueErrorOptions) {
    super(
      'RESILIENCE_CONFIG_INVALID',
      500,
      `Invalid resilience configuration: ${problem}`,
      options,
    );
  }
}

/**
 * A shared store (Redis or Postgres) failed a call. The message starts with its origin
 * (`[resilience:redis]`, `[resilience:postgres]`) and the driver error is the `cause`.
 *
 * @example
 * ```ts
 * import { ResilienceStoreError } from '@carequeue/resilience';
 *
 * const err = new ResilienceStoreError('redis', 'rate-limit consume', { cause: new Error('ECONNREFUSED') });
 * err.message; // '[resilience:redis] The rate-limit consume call failed. ...'
 * ```
 */
export class ResilienceStoreError extends CarequeueError {
  /** Which store failed. */
  readonly origin: string;

  constructor(origin: string, operation: string, options?: CarequeueErrorOptions) {
    super(
      'RESILIENCE_STORE_FAILED',
      503,
      `[resilience:${origin}] The ${operation} call failed. Check that the store is reachable; the cause has the driver error.`,
      options,
    );
    this.origin = origin;
  }
}

/**
 * An idempotency key was reused with a different request payload. Send a new key for a new
 * request; reuse a key only to retry the very same request.
 *
 * @example
 * ```ts
 * import { IdempotencyKeyReusedError } from '@carequeue/resilience';
 *
 * const err = new IdempotencyKeyReusedError();
 * err.status; // 422
 * ```
 */
export class IdempotencyKeyReusedError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'IDEMPOTENCY_KEY_REUSED',
      422,
      'This idempotency key was already used with a different request payload. Use a new key for a new request.',
      options,
    );
  }
}

/**
 * A request with the same idempotency key is still running and did not finish within the wait.
 * Retry the same request later with the same key.
 *
 * @example
 * ```ts
 * import { IdempotencyInProgressError } from '@carequeue/resilience';
 *
 * const err = new IdempotencyInProgressError();
 * err.status; // 409
 * ```
 */
export class IdempotencyInProgressError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'IDEMPOTENCY_IN_PROGRESS',
      409,
      'A request with this idempotency key is still in progress. Retry later with the same key.',
      options,
    );
  }
}

/**
 * This request's idempotency claim was lost: it expired while the operation ran and another
 * request claimed the key, so the response was not stored and the other request's record was
 * left alone. Raise `lockTtlMs` above the operation's longest run; retry the request with the
 * same key to receive the stored response.
 *
 * @example
 * ```ts
 * import { IdempotencyClaimLostError } from '@carequeue/resilience';
 *
 * const err = new IdempotencyClaimLostError();
 * err.code; // 'IDEMPOTENCY_CLAIM_LOST'
 * ```
 */
export class IdempotencyClaimLostError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'IDEMPOTENCY_CLAIM_LOST',
      409,
      'The idempotency claim expired and another request now holds this key, so the response was not stored. Raise lockTtlMs above the longest operation, and retry with the same key to get the stored response.',
      options,
    );
  }
}

/**
 * A dead-letter list cursor was not one this package issued (altered, truncated or from another
 * API). Start again without a cursor.
 *
 * @example
 * ```ts
 * import { InvalidDeadLetterCursorError } from '@carequeue/resilience';
 *
 * const err = new InvalidDeadLetterCursorError();
 * err.status; // 400
 * ```
 */
export class InvalidDeadLetterCursorError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'DEAD_LETTER_CURSOR_INVALID',
      400,
      'The dead-letter cursor is not valid. Pass the nextCursor of a previous page, or no cursor to start over.',
      options,
    );
  }
}

/**
 * Every error class of `@carequeue/resilience`, keyed by class name.
 *
 * @example
 * ```ts
 * if (err instanceof errors.CircuitOpenError) console.warn(err.code);
 * ```
 */
export const errors = {
  CircuitOpenError,
  BulkheadRejectedError,
  RetryBudgetExhaustedError,
  ResilienceConfigError,
  ResilienceStoreError,
  IdempotencyKeyReusedError,
  IdempotencyInProgressError,
  IdempotencyClaimLostError,
  InvalidDeadLetterCursorError,
} as const;
