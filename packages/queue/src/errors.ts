import { CarequeueError, ConflictError, type CarequeueErrorOptions } from '@carequeue/core';
import { InvitationNotUsableError } from './invitations/invitation-errors.js';
import { ClinicNotInTenantError, StaffAccountBoundError } from './staff/staff-errors.js';
import { QueueSupabaseRequestError } from './adapter-errors.js';
import { PatientErasedError, PatientSearchEmptyError } from './patients/patient-errors.js';
import { WaitTimeModelError } from './estimation/wait-time-model-error.js';
import { HoldExpiredError, SlotOutsideAvailabilityError } from './booking/booking-errors.js';
import { QueueConfigError } from './config/queue-config-error.js';
import { NestedUnitOfWorkError } from './memory/unit-of-work-errors.js';

export { HoldExpiredError, QueueConfigError, SlotOutsideAvailabilityError };
export { NestedUnitOfWorkError };

export { InvitationNotUsableError, PatientErasedError, PatientSearchEmptyError };
export { ClinicNotInTenantError, StaffAccountBoundError } from './staff/staff-errors.js';
export { QueueSupabaseRequestError } from './adapter-errors.js';
export {
  WaitTimeModelError,
  type WaitTimeModelErrorCode,
} from './estimation/wait-time-model-error.js';

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
 * A page cursor could not be read. Pass back the `nextCursor` of the previous page unchanged.
 *
 * @example
 * ```ts
 * import { InvalidCursorError } from '@carequeue/queue';
 *
 * new InvalidCursorError().code; // 'INVALID_CURSOR'
 * ```
 */
export class InvalidCursorError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'INVALID_CURSOR',
      400,
      'The page cursor is not valid. Pass back the nextCursor of the previous page unchanged.',
      options,
    );
  }
}

/**
 * The record changed since it was read. Read it again and repeat the change.
 *
 * @example
 * ```ts
 * import { StaleVersionError } from '@carequeue/queue';
 *
 * new StaleVersionError('patient').status; // 409
 * ```
 */
export class StaleVersionError extends ConflictError {
  /** The kind of record, such as `patient`. */
  readonly resource: string;

  constructor(resource: string, options?: CarequeueErrorOptions) {
    super(`The ${resource} changed since it was read. Read it again and repeat the change.`, {
      ...options,
      code: 'STALE_VERSION',
    });
    this.resource = resource;
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
export const errors = {
  SlotUnavailableError,
  InvalidCursorError,
  StaleVersionError,
  InvitationNotUsableError,
  ClinicNotInTenantError,
  StaffAccountBoundError,
  QueueSupabaseRequestError,
  PatientErasedError,
  PatientSearchEmptyError,
  WaitTimeModelError,
  SlotOutsideAvailabilityError,
  HoldExpiredError,
  QueueConfigError,
  NestedUnitOfWorkError,
} as const;
