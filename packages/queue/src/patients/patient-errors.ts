import { CarequeueError, type CarequeueErrorOptions } from '@carequeue/core';

/**
 * The patient was erased: the profile is pseudonymised and can no longer be read or changed.
 *
 * @example
 * ```ts
 * import { PatientErasedError } from '@carequeue/queue';
 *
 * new PatientErasedError().status; // 410
 * ```
 */
export class PatientErasedError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'PATIENT_ERASED',
      410,
      'The patient was erased at their request. Register the person again if they return.',
      options,
    );
  }
}

/**
 * A patient search named nothing to search by. Give a name, a phone number or a date of birth.
 *
 * @example
 * ```ts
 * import { PatientSearchEmptyError } from '@carequeue/queue';
 *
 * new PatientSearchEmptyError().code; // 'PATIENT_SEARCH_EMPTY'
 * ```
 */
export class PatientSearchEmptyError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'PATIENT_SEARCH_EMPTY',
      400,
      'A patient search needs a name, a phone number or a date of birth. Add one and search again.',
      options,
    );
  }
}
