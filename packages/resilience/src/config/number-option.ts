import { ResilienceConfigError } from '../errors.js';

/**
 * Checks a count option: an integer from `min` to `max` (inclusive). `NaN`, fractions and
 * non-numbers are refused.
 *
 * @param option - the option's path for the message, such as `retry options.maxRetries`.
 * @throws ResilienceConfigError naming the option and the allowed range.
 * @example
 * ```ts
 * const maxRetries = integerOption('retry options.maxRetries', 3, 0);
 * ```
 */
export function integerOption(
  option: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`;
    throw new ResilienceConfigError(`${option} must be an integer ${range}.`);
  }
  return value as number;
}

/**
 * Checks a measure option: a finite number from `min` to `max` (inclusive). `NaN`, `Infinity`
 * and non-numbers are refused.
 *
 * @param option - the option's path for the message, such as `CircuitBreaker options.errorThresholdPercentage`.
 * @throws ResilienceConfigError naming the option and the allowed range.
 * @example
 * ```ts
 * const percentage = numberOption('CircuitBreaker options.errorThresholdPercentage', 50, 0, 100);
 * ```
 */
export function numberOption(
  option: string,
  value: unknown,
  min: number,
  max = Number.MAX_VALUE,
): number {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    const range =
      max === Number.MAX_VALUE ? `finite number of ${min} or more` : `number from ${min} to ${max}`;
    throw new ResilienceConfigError(`${option} must be a ${range}.`);
  }
  return value;
}

/**
 * Checks a positive measure that never reaches a timer (a TTL handed to a store, a window used in
 * arithmetic): a finite number greater than 0.
 *
 * @param option - the option's path for the message, such as `RetryBudget options.windowMs`.
 * @throws ResilienceConfigError naming the option and the allowed range.
 * @example
 * ```ts
 * const ttlMs = positiveNumberOption('createIdempotency options.ttlMs', 86_400_000);
 * ```
 */
export function positiveNumberOption(option: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value <= Number.MAX_VALUE)) {
    throw new ResilienceConfigError(`${option} must be a finite number greater than 0.`);
  }
  return value;
}
