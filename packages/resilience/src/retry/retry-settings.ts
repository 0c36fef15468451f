import { integerOption, numberOption } from '../config/number-option.js';
import { optionsObject } from '../config/options-object.js';
import { timerDurationMs } from '../config/timer-duration.js';
import type { RetryOptions } from './retry-with-backoff.js';

/**
 * The checked numbers of {@link RetryOptions}, defaults applied.
 *
 * @example
 * ```ts
 * const { maxRetries, baseDelayMs, maxDelayMs } = retrySettings('retry options', {});
 * ```
 */
export interface RetrySettings {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Checks retry options once for both {@link retryWithBackoff} and {@link createRetryPolicy}, so both
 * refuse the same things with the same messages. Delays may be 0 (retry at once) but must fit
 * in a timer.
 *
 * @param what - the options' path for messages, such as `retry options`.
 * @throws ResilienceConfigError naming the option when `options` is not an object, `maxRetries`
 * is not an integer of 0 or more, a delay is not from 0 to 2147483647 ms, or `totalTimeoutMs`
 * is negative or not finite.
 * @example
 * ```ts
 * const settings = retrySettings('retry options', { maxRetries: 2, baseDelayMs: 100 });
 * ```
 */
export function retrySettings(
  what: string,
  options: Pick<RetryOptions, 'maxRetries' | 'baseDelayMs' | 'maxDelayMs' | 'totalTimeoutMs'>,
): RetrySettings {
  optionsObject(what, options);
  if (options.totalTimeoutMs !== undefined) {
    numberOption(`${what}.totalTimeoutMs`, options.totalTimeoutMs, 0);
  }
  return {
    maxRetries: integerOption(`${what}.maxRetries`, options.maxRetries ?? 3, 0),
    baseDelayMs: timerDurationMs(`${what}.baseDelayMs`, options.baseDelayMs ?? 1000, true),
    maxDelayMs: timerDurationMs(`${what}.maxDelayMs`, options.maxDelayMs ?? 30_000, true),
  };
}
