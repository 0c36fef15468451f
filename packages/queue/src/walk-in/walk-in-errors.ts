import { ConflictError, type CarequeueErrorOptions } from '@carequeue/core';

/**
 * The appointment is not in a status from which a patient joins a queue.
 *
 * @example
 * ```ts
 * throw new AppointmentNotCheckableError();
 * ```
 */
export class AppointmentNotCheckableError extends ConflictError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'The appointment cannot be checked in from its current status: only booked or arrived appointments join a queue. Reload the appointment and check its status.',
      { ...options, code: 'APPOINTMENT_NOT_CHECKABLE' },
    );
  }
}

/**
 * The appointment already holds a live place in a queue.
 *
 * @example
 * ```ts
 * throw new AlreadyQueuedError();
 * ```
 */
export class AlreadyQueuedError extends ConflictError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'The appointment already holds a place in a queue. Look up its queue entry instead of checking it in again.',
      { ...options, code: 'ALREADY_QUEUED' },
    );
  }
}

/**
 * The queue id was first used at another clinic; a queue belongs to one clinic.
 *
 * @example
 * ```ts
 * throw new QueueClinicMismatchError();
 * ```
 */
export class QueueClinicMismatchError extends ConflictError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'The queue belongs to another clinic. Pass the clinic the queue was opened at, or use a queue id of this clinic.',
      { ...options, code: 'QUEUE_CLINIC_MISMATCH' },
    );
  }
}

/**
 * The queue entry is not waiting, so it has no place in line and no expected wait.
 *
 * @example
 * ```ts
 * throw new NotWaitingError();
 * ```
 */
export class NotWaitingError extends ConflictError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'The queue entry is not waiting, so it has no place in line or expected wait. Reload the entry to see its status.',
      { ...options, code: 'NOT_WAITING' },
    );
  }
}

/**
 * The error classes of the walk-in queue, by name.
 *
 * @example
 * ```ts
 * if (error instanceof walkInErrors.AlreadyQueuedError) showExistingEntry();
 * ```
 */
export const walkInErrors = {
  AppointmentNotCheckableError,
  AlreadyQueuedError,
  QueueClinicMismatchError,
  NotWaitingError,
} as const;
