import { CarequeueError, type CarequeueErrorOptions } from '@carequeue/core';

/**
 * The CareQueue API answered with an error.
 *
 * @example
 * ```ts
 * import { ApiError, isCarequeueError } from '@carequeue/client';
 *
 * const err = new ApiError();
 * isCarequeueError(err); // true
 * err.code; // 'API_ERROR'
 * ```
 */
export class ApiError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super('API_ERROR', 500, 'The CareQueue API answered with an error.', options);
  }
}

/**
 * Every error class of `@carequeue/client`, keyed by class name.
 *
 * @example
 * ```ts
 * if (err instanceof errors.ApiError) console.warn(err.code);
 * ```
 */
export const errors = { ApiError } as const;
