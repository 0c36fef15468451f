/**
 * The delay before retry number `attempt + 1`, with full jitter: a uniform random time between 0
 * and `min(maxDelayMs, baseDelayMs * 2^attempt)`, so that many clients retrying at once spread out.
 *
 * @example
 * ```ts
 * fullJitterDelay(2, 1000, 30_000); // somewhere in [0, 4000)
 * ```
 */
export function fullJitterDelay(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * The wait a failure asks for (`retryAfterMs`, as on core's `RateLimitedError`), if any.
 *
 * @example
 * ```ts
 * retryAfterOf(new RateLimitedError(1500)); // 1500
 * ```
 */
export function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const value = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' && value >= 0 && Number.isFinite(value) ? value : undefined;
}
