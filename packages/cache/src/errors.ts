import { CarequeueError, type CarequeueErrorOptions } from '@carequeue/core';

/**
 * The cache could not complete the operation.
 *
 * @example
 * ```ts
 * import { CacheError, isCarequeueError } from '@carequeue/cache';
 *
 * const err = new CacheError();
 * isCarequeueError(err); // true
 * err.code; // 'CACHE_FAILED'
 * ```
 */
export class CacheError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super('CACHE_FAILED', 500, 'The cache could not complete the operation.', options);
  }
}

/**
 * Every error class of `@carequeue/cache`, keyed by class name.
 *
 * @example
 * ```ts
 * if (err instanceof errors.CacheError) console.warn(err.code);
 * ```
 */
export const errors = { CacheError } as const;
