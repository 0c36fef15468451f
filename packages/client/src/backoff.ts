import { requireArgument } from './argument-checks.js';

/**
 * How long retries wait: exponential growth, capped, with full jitter.
 *
 * @example
 * ```ts
 * const backoff: BackoffOptions = { baseDelayMs: 100, maxDelayMs: 5000 };
 * ```
 */
export interface BackoffOptions {
  /** The upper bound of the first wait, in milliseconds. Default 250. */
  baseDelayMs?: number;
  /** The largest upper bound of any wait, in milliseconds. Default 10000. */
  maxDelayMs?: number;
}

/**
 * The wait before retry number `attempt` (0 for the first retry): a uniformly random time
 * between 0 and `min(maxDelayMs, baseDelayMs * 2 ** attempt)` ("full jitter"), so clients that
 * failed together do not retry together.
 *
 * @param attempt - how many retries came before this one.
 * @param options - the base and cap of the wait.
 * @param random - a source of numbers in [0, 1), `Math.random` by default.
 * @returns the wait in whole milliseconds.
 * @example
 * ```ts
 * backoffDelayMs(3, { baseDelayMs: 100, maxDelayMs: 5000 }, () => 0.5); // 400
 * ```
 */
export function backoffDelayMs(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  requireArgument(
    Number.isInteger(attempt) && attempt >= 0,
    'attempt',
    'must be a non-negative integer',
  );
  requireArgument(typeof options === 'object' && options !== null, 'options', 'must be an object');
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 10_000;
  requireArgument(
    Number.isFinite(base) && base > 0,
    'options.baseDelayMs',
    'must be a positive number',
  );
  requireArgument(
    Number.isFinite(cap) && cap > 0,
    'options.maxDelayMs',
    'must be a positive number',
  );
  requireArgument(typeof random === 'function', 'random', 'must be a function');
  // A random source outside [0, 1) still yields a wait within the ceiling.
  const fraction = Math.min(Math.max(Number(random()) || 0, 0), 0.999_999);
  const ceiling = Math.min(cap, base * 2 ** attempt);
  return Math.floor(fraction * ceiling);
}
