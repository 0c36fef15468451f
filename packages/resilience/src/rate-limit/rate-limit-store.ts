/**
 * One token bucket of a rate-limit decision: it holds at most `capacity` tokens and refills
 * continuously at `capacity` tokens per `refillMs`.
 *
 * @example
 * ```ts
 * const perUser: TokenBucketLimit = { key: 'rl:u:user-1', capacity: 100, refillMs: 60_000 };
 * ```
 */
export interface TokenBucketLimit {
  /** Store key of the bucket; pseudonymous ids only, never direct identifiers. */
  readonly key: string;
  /** Most tokens the bucket holds, so the largest burst it admits. */
  readonly capacity: number;
  /** Milliseconds in which an empty bucket refills completely. */
  readonly refillMs: number;
}

/**
 * A request to a {@link RateLimitStore}: spend `cost` tokens from every bucket, or from none.
 *
 * @example
 * ```ts
 * const request: RateLimitRequest = { buckets: [perUser, perEndpoint], cost: 1 };
 * ```
 */
export interface RateLimitRequest {
  /** Every bucket must hold `cost` tokens for the request to be allowed. */
  readonly buckets: readonly TokenBucketLimit[];
  /** Tokens the request spends from each bucket. */
  readonly cost: number;
  /** Decision time in epoch milliseconds; stores use their own time when absent. */
  readonly now?: number | undefined;
}

/**
 * The outcome of one rate-limit decision, reported for the bucket that limits the most.
 *
 * @example
 * ```ts
 * const result: RateLimitResult = { allowed: false, remaining: 0, limit: 100, resetMs: 60_000, retryAfterMs: 600 };
 * ```
 */
export interface RateLimitResult {
  readonly allowed: boolean;
  /** Whole tokens left in the most depleted bucket after this decision. */
  readonly remaining: number;
  /** Capacity of that bucket. */
  readonly limit: number;
  /** Milliseconds until that bucket is full again. */
  readonly resetMs: number;
  /** Milliseconds until the request could be allowed; 0 when allowed. */
  readonly retryAfterMs: number;
}

/**
 * The storage port of the rate limiter: one atomic decision over several token buckets, which
 * spends from all of them when every one has enough tokens and from none otherwise.
 *
 * @example
 * ```ts
 * const store: RateLimitStore = memoryRateLimitStore();
 * const result = await store.consume({ buckets: [{ key: 'u:1', capacity: 5, refillMs: 1000 }], cost: 1 });
 * ```
 */
export interface RateLimitStore {
  /** Decides and, when allowed, spends the tokens, atomically. */
  consume(request: RateLimitRequest): Promise<RateLimitResult>;
}
