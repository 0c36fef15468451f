import type { RateLimitResult, TokenBucketLimit } from './rate-limit-store.js';

/**
 * The stored state of one token bucket.
 *
 * @example
 * ```ts
 * const state: TokenBucketState = { tokens: 4.5, updatedAt: 1_767_225_600_000 };
 * ```
 */
export interface TokenBucketState {
  readonly tokens: number;
  readonly updatedAt: number;
}

/**
 * What {@link decideTokenBuckets} decided, with the states to store when allowed.
 *
 * @example
 * ```ts
 * const { result, next } = decideTokenBuckets(limits, states, 1, Date.now());
 * ```
 */
export interface TokenBucketDecision {
  readonly result: RateLimitResult;
  /** New states, one per bucket, when allowed; `undefined` when rejected (nothing is spent). */
  readonly next: readonly TokenBucketState[] | undefined;
}

/**
 * Tokens in a bucket at `now`: the stored tokens plus continuous refill, capped at capacity.
 * A `now` earlier than the last update adds nothing, so time going backwards never mints tokens.
 *
 * @example
 * ```ts
 * refilledTokens({ key: 'k', capacity: 10, refillMs: 1000 }, { tokens: 0, updatedAt: 0 }, 500); // 5
 * ```
 */
export function refilledTokens(
  limit: TokenBucketLimit,
  state: TokenBucketState | undefined,
  now: number,
): number {
  if (state === undefined) return limit.capacity;
  const elapsed = Math.max(0, now - state.updatedAt);
  return Math.min(limit.capacity, state.tokens + (elapsed * limit.capacity) / limit.refillMs);
}

/**
 * The token-bucket decision shared by every store (the Redis script mirrors it): allowed only
 * when every bucket holds `cost` tokens, and then spent from all of them.
 *
 * @example
 * ```ts
 * const { result } = decideTokenBuckets([{ key: 'k', capacity: 1, refillMs: 1000 }], [undefined], 1, 0);
 * result.allowed; // true
 * ```
 */
export function decideTokenBuckets(
  limits: readonly TokenBucketLimit[],
  states: readonly (TokenBucketState | undefined)[],
  cost: number,
  now: number,
): TokenBucketDecision {
  const tokens = limits.map((limit, index) => refilledTokens(limit, states[index], now));
  let retryAfterMs = 0;
  tokens.forEach((available, index) => {
    const limit = limits[index] as TokenBucketLimit;
    if (available < cost) {
      const wait = Math.ceil(((cost - available) * limit.refillMs) / limit.capacity);
      retryAfterMs = Math.max(retryAfterMs, wait);
    }
  });
  const allowed = tokens.every((available) => available >= cost);
  const after = allowed ? tokens.map((available) => available - cost) : tokens;
  let tightest = 0;
  after.forEach((left, index) => {
    if (left < (after[tightest] as number)) tightest = index;
  });
  const limit = limits[tightest] as TokenBucketLimit;
  const left = after[tightest] as number;
  const result: RateLimitResult = {
    allowed,
    remaining: Math.floor(left),
    limit: limit.capacity,
    resetMs: Math.ceil(((limit.capacity - left) * limit.refillMs) / limit.capacity),
    retryAfterMs,
  };
  if (!allowed) return { result, next: undefined };
  const next = after.map((left, index) => ({
    tokens: left,
    updatedAt: Math.max(now, states[index]?.updatedAt ?? now),
  }));
  return { result, next };
}
