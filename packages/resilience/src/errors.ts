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
} as const;
