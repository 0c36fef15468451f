import { CarequeueError, type CarequeueErrorOptions } from '@carequeue/core';

/**
 * The slot is no longer available. List availability again and pick another slot.
 *
 * @example
 * ```ts
 * import { SlotUnavailableError, isCarequeueError } from '@carequeue/queue';
 *
 * const err = new SlotUnavailableError();
 * isCarequeueError(err); // true
 * err.code; // 'SLOT_UNAVAILABLE'
 * ```
 */
export class SlotUnavailableError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'SLOT_UNAVAILABLE',
      409,
      'The slot is no longer available. List availability again and pick another slot.',
      options,
    );
  }
}

/**
 * Every error class of `@carequeue/queue`, keyed by class name.
 *
 * @example
 * ```ts
 * if (err instanceof errors.SlotUnavailableError) console.warn(err.code);
 * ```
 */
export const errors = { SlotUnavailableError } as const;
