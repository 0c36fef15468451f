import { systemClock, type Clock } from '@carequeue/core';
import { integerOption } from '../config/number-option.js';
import { optionsObject } from '../config/options-object.js';
import type { RateLimitStore, TokenBucketLimit } from './rate-limit-store.js';
import { decideTokenBuckets, type TokenBucketState } from './token-bucket.js';

/**
 * Options of {@link memoryRateLimitStore}.
 *
 * @example
 * ```ts
 * const options: MemoryRateLimitStoreOptions = { clock: createFakeClock(), maxKeys: 10_000 };
 * ```
 */
export interface MemoryRateLimitStoreOptions {
  /** Time source when a request carries no `now`. @default systemClock */
  readonly clock?: Clock;
  /** Bucket count above which full (idle) buckets are dropped. @default 100_000 */
  readonly maxKeys?: number;
}

interface StoredBucket extends TokenBucketState {
  readonly fullAt: number;
}

function fullAt(limit: TokenBucketLimit, state: TokenBucketState): number {
  return state.updatedAt + ((limit.capacity - state.tokens) * limit.refillMs) / limit.capacity;
}

/**
 * A {@link RateLimitStore} in process memory: limits hold per instance only. The default store of
 * a {@link RateLimiter}, and its insurance when the shared store is unreachable. A bucket that has
 * refilled is the same as a missing one, so idle buckets are dropped once `maxKeys` is passed.
 *
 * @example
 * ```ts
 * import { createRateLimiter, type RateLimiter, memoryRateLimitStore } from '@carequeue/resilience';
 *
 * const limiter = createRateLimiter({ windowMs: 60_000, max: 100, store: memoryRateLimitStore() });
 * ```
 */
export function memoryRateLimitStore(options: MemoryRateLimitStoreOptions = {}): RateLimitStore {
  optionsObject('memoryRateLimitStore options', options);
  const clock = options.clock ?? systemClock;
  const maxKeys = integerOption(
    'memoryRateLimitStore options.maxKeys',
    options.maxKeys ?? 100_000,
    1,
  );
  const buckets = new Map<string, StoredBucket>();

  function dropIdle(now: number): void {
    for (const [key, bucket] of buckets) if (bucket.fullAt <= now) buckets.delete(key);
  }

  return {
    consume(request) {
      const now = request.now ?? clock.now();
      const states = request.buckets.map((limit) => buckets.get(limit.key));
      const { result, next } = decideTokenBuckets(request.buckets, states, request.cost, now);
      if (next !== undefined) {
        request.buckets.forEach((limit, index) => {
          const state = next[index] as TokenBucketState;
          buckets.set(limit.key, { ...state, fullAt: fullAt(limit, state) });
        });
        if (buckets.size > maxKeys) dropIdle(now);
      }
      return Promise.resolve(result);
    },
  };
}
