import { ResilienceConfigError } from '../errors.js';

/**
 * Checks that an options argument is an object, so that reading an option of `null`, a string
 * or a number never surfaces as a raw `TypeError` (or is silently ignored).
 *
 * @param what - the argument's path for the message, such as `CircuitBreaker options`.
 * @throws ResilienceConfigError naming the argument when it is not a non-array object.
 * @example
 * ```ts
 * const options = optionsObject<BulkheadOptions>('Bulkhead options', input);
 * ```
 */
export function optionsObject<T extends object>(what: string, value: T | null | undefined): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ResilienceConfigError(`${what} must be an object.`);
  }
  return value;
}
