import { ResilienceConfigError } from '../errors.js';

/**
 * The longest delay a Node.js timer can hold (2^31 - 1 ms, about 24.8 days). Node fires a longer
 * delay, `Infinity` included, after 1 ms, so a timeout above it would fail every call at once.
 *
 * @example
 * ```ts
 * timeoutMs <= MAX_TIMER_MS; // true for every duration resilience accepts
 * ```
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Checks a duration in milliseconds that ends up in a timer: a number greater than 0 (or 0 when
 * `allowZero`) and at most {@link MAX_TIMER_MS}. `NaN`, `Infinity`, negatives and non-numbers are
 * refused. Every timer-bound option of the package goes through this one check.
 *
 * @param option - the option's path for the message, such as `CircuitBreaker options.timeoutMs`.
 * @throws ResilienceConfigError naming the option and the allowed range; the value itself
 * is never echoed.
 * @example
 * ```ts
 * const resetTimeoutMs = timerDurationMs('CircuitBreaker options.resetTimeoutMs', 30_000);
 * ```
 */
export function timerDurationMs(option: string, value: unknown, allowZero = false): number {
  // Compare only numbers: `<` on an object calls its valueOf, which hostile input can make throw.
  const inRange =
    typeof value === 'number' && (allowZero ? value >= 0 : value > 0) && value <= MAX_TIMER_MS;
  if (!inRange) {
    const range = allowZero
      ? `from 0 to ${MAX_TIMER_MS}`
      : `greater than 0 and at most ${MAX_TIMER_MS}`;
    throw new ResilienceConfigError(
      `${option} must be a number of milliseconds ${range} (the longest delay a timer can hold).`,
    );
  }
  return value;
}
