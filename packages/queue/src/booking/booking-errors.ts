import { CarequeueError, type CarequeueErrorOptions } from '@carequeue/core';
import type { SlotRejection } from '../availability/index.js';

const REASONS: Readonly<Record<Exclude<SlotRejection, 'busy'>, string>> = {
  'outside-hours':
    'The start is not a slot of the working hours (off the slot grid, in a break, in a DST gap, or ending after closing).',
  'too-soon': 'The start is inside the minimum booking notice.',
  'beyond-horizon': 'The start is after the booking horizon.',
};

/**
 * The start time is not one the availability rules offer. List availability and pick a listed
 * slot, or let staff book it with an audited override.
 *
 * @example
 * ```ts
 * import { SlotOutsideAvailabilityError } from '@carequeue/queue';
 *
 * const err = new SlotOutsideAvailabilityError('too-soon');
 * err.status; // 422
 * err.reason; // 'too-soon'
 * ```
 */
export class SlotOutsideAvailabilityError extends CarequeueError {
  /** Which rule the start breaks. */
  readonly reason: Exclude<SlotRejection, 'busy'>;

  constructor(reason: Exclude<SlotRejection, 'busy'>, options?: CarequeueErrorOptions) {
    super(
      'SLOT_OUTSIDE_AVAILABILITY',
      422,
      `${REASONS[reason]} List availability and pick a listed slot.`,
      options,
    );
    this.reason = reason;
  }
}

/**
 * The pending hold lapsed before it was confirmed. Book the slot again if it is still listed.
 *
 * @example
 * ```ts
 * import { HoldExpiredError } from '@carequeue/queue';
 *
 * new HoldExpiredError().code; // 'HOLD_EXPIRED'
 * ```
 */
export class HoldExpiredError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'HOLD_EXPIRED',
      409,
      'The hold on this slot expired before it was confirmed. Book the slot again if it is still listed.',
      options,
    );
  }
}
