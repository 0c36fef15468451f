import type { RateLimitResult } from './rate-limit-store.js';

/**
 * Options of {@link rateLimitHeaders}.
 *
 * @example
 * ```ts
 * const options: RateLimitHeaderOptions = { windowMs: 15 * 60 * 1000 };
 * ```
 */
export interface RateLimitHeaderOptions {
  /** The limiter's window; adds `RateLimit-Policy` when given. */
  readonly windowMs?: number;
}

function seconds(ms: number): string {
  return String(Math.ceil(ms / 1000));
}

/**
 * HTTP headers for a rate-limit decision: `RateLimit-Limit`, `RateLimit-Remaining`,
 * `RateLimit-Reset` (seconds until the bucket is full), `RateLimit-Policy` when the window is
 * given, and `Retry-After` (seconds) when the request was rejected.
 *
 * @example
 * ```ts
 * import { rateLimitHeaders } from '@carequeue/resilience';
 *
 * const result = await limiter.limit(req);
 * reply.headers(rateLimitHeaders(result, { windowMs: 60_000 }));
 * // { 'RateLimit-Limit': '100', 'RateLimit-Remaining': '99', 'RateLimit-Reset': '1', 'RateLimit-Policy': '100;w=60' }
 * ```
 */
export function rateLimitHeaders(
  result: RateLimitResult,
  options: RateLimitHeaderOptions = {},
): Record<string, string> {
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(result.limit),
    'RateLimit-Remaining': String(result.remaining),
    'RateLimit-Reset': seconds(result.resetMs),
  };
  if (options.windowMs !== undefined) {
    headers['RateLimit-Policy'] = `${result.limit};w=${seconds(options.windowMs)}`;
  }
  if (!result.allowed) headers['Retry-After'] = seconds(result.retryAfterMs);
  return headers;
}
