import { isCarequeueError } from '@carequeue/core';
import { CacheArgumentError } from './errors.js';

// The `subject` option names the data subject (a patient id) whose data a value holds. Its
// checks live here, beside the other option checks rather than in them: the options are checked
// without it, so one list of allowed names serves calls with and without a subject.

/** The longest subject id, the same bound as core's subject key store. */
const SUBJECT_MAX_LENGTH = 256;

/** The code of core's `SubjectKeyShreddedError`, compared by code so duplicate installs agree. */
const SHREDDED_CODE = 'SUBJECT_DATA_SHREDDED';

/**
 * Refuses a subject id that is not a string of 1 to 256 characters.
 *
 * @throws {@link CacheArgumentError} naming `argument`.
 * @example
 * ```ts
 * checkSubject(patientId, 'subject');
 * ```
 */
export function checkSubject(subject: unknown, argument: string): asserts subject is string {
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > SUBJECT_MAX_LENGTH) {
    throw new CacheArgumentError(
      argument,
      `must be a string of 1 to ${SUBJECT_MAX_LENGTH} characters`,
    );
  }
}

/**
 * Checks `options.subject` when it is given and returns the options without it, for the checks
 * of the remaining options; anything that is not an object is returned as it is.
 *
 * @throws {@link CacheArgumentError} naming `options.subject`.
 * @example
 * ```ts
 * checkSetOptions(withoutSubject({ subject: patientId, ttlMs: 60_000 })); // checks { ttlMs }
 * ```
 */
export function withoutSubject(options: unknown): unknown {
  if (typeof options !== 'object' || options === null || !Object.hasOwn(options, 'subject')) {
    return options;
  }
  const { subject, ...rest } = options as Record<string, unknown>;
  if (subject !== undefined) checkSubject(subject, 'options.subject');
  return rest;
}

/**
 * Whether `error` says that a subject has no data key: it was crypto-shredded (or never had one),
 * so nothing of it may be cached and its cached copies read as misses.
 *
 * @example
 * ```ts
 * if (isShreddedSubject(error)) return undefined;
 * ```
 */
export function isShreddedSubject(error: unknown): boolean {
  return isCarequeueError(error) && error.code === SHREDDED_CODE;
}
