import { CarequeueError, type CarequeueErrorOptions } from '@carequeue/core';

/**
 * The circuit for this dependency is open; calls are rejected until it recovers. Retry later or use a fallback.
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
 * Every error class of `@carequeue/resilience`, keyed by class name.
 *
 * @example
 * ```ts
 * if (err instanceof errors.CircuitOpenError) console.warn(err.code);
 * ```
 */
export const errors = { CircuitOpenError } as const;
