import { randomUUID } from 'node:crypto';
import type { RateLimitStore, TokenBucketLimit } from '../rate-limit/rate-limit-store.js';
import type { ContractTestApi } from './contract-api.js';

/**
 * Options of {@link runRateLimitStoreContract}.
 *
 * @example
 * ```ts
 * const options: RateLimitStoreContractOptions = { name: 'memory', create: () => memoryRateLimitStore(), describe, it, expect };
 * ```
 */
export interface RateLimitStoreContractOptions extends ContractTestApi {
  /** Names the suite. */
  readonly name: string;
  /** Returns the store under test; called in each test, after setup hooks ran. */
  readonly create: () => RateLimitStore;
}

/**
 * Registers the {@link RateLimitStore} contract: bursts up to capacity, continuous refill,
 * all-or-nothing spending across buckets, nothing spent on a rejection, and results that say
 * when to retry. Each test uses bucket keys of its own and passes `now`, so stores may be shared.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { runRateLimitStoreContract } from '@carequeue/resilience/testing';
 *
 * runRateLimitStoreContract({ name: 'redisRateLimitStore', create: () => store, describe, it, expect });
 * ```
 */
export function runRateLimitStoreContract(options: RateLimitStoreContractOptions): void {
  const { describe, it, expect, create } = options;
  const start = Date.UTC(2026, 0, 1);
  const bucket = (capacity: number, refillMs: number): TokenBucketLimit => ({
    key: `contract:${randomUUID()}`,
    capacity,
    refillMs,
  });

  describe(`${options.name} (RateLimitStore contract)`, () => {
    it('admits a burst up to capacity and then rejects when the bucket is empty', async () => {
      const store = create();
      const limit = bucket(3, 3000);
      const outcomes: boolean[] = [];
      for (let i = 0; i < 4; i += 1) {
        outcomes.push((await store.consume({ buckets: [limit], cost: 1, now: start })).allowed);
      }
      expect(outcomes).toEqual([true, true, true, false]);
    });

    it('reports remaining, limit, reset and retry-after when it decides', async () => {
      const store = create();
      const limit = bucket(2, 2000);
      const first = await store.consume({ buckets: [limit], cost: 1, now: start });
      expect(first).toEqual({
        allowed: true,
        remaining: 1,
        limit: 2,
        resetMs: 1000,
        retryAfterMs: 0,
      });
      await store.consume({ buckets: [limit], cost: 1, now: start });
      const rejected = await store.consume({ buckets: [limit], cost: 1, now: start });
      expect(rejected).toEqual({
        allowed: false,
        remaining: 0,
        limit: 2,
        resetMs: 2000,
        retryAfterMs: 1000,
      });
    });

    it('refills continuously when time passes', async () => {
      const store = create();
      const limit = bucket(10, 10_000);
      for (let i = 0; i < 10; i += 1)
        await store.consume({ buckets: [limit], cost: 1, now: start });
      const halfway = await store.consume({ buckets: [limit], cost: 1, now: start + 5000 });
      expect(halfway.allowed).toBe(true);
      expect(halfway.remaining).toBe(4);
    });

    it('leaves the remaining count unchanged when a request is rejected', async () => {
      const store = create();
      const limit = bucket(5, 60_000);
      await store.consume({ buckets: [limit], cost: 4, now: start });
      const rejected = await store.consume({ buckets: [limit], cost: 2, now: start });
      const next = await store.consume({ buckets: [limit], cost: 1, now: start });
      expect([rejected.allowed, next.allowed, next.remaining]).toEqual([false, true, 0]);
    });

    it('spends from no bucket when one of several buckets is empty', async () => {
      const store = create();
      const user = bucket(5, 60_000);
      const endpoint = bucket(1, 60_000);
      expect(
        (await store.consume({ buckets: [user, endpoint], cost: 1, now: start })).allowed,
      ).toBe(true);
      const rejected = await store.consume({ buckets: [user, endpoint], cost: 1, now: start });
      expect([rejected.allowed, rejected.limit, rejected.remaining]).toEqual([false, 1, 0]);
      const userAlone = await store.consume({ buckets: [user], cost: 1, now: start });
      expect(userAlone.remaining).toBe(3);
    });

    it('never mints tokens when a request carries an earlier time', async () => {
      const store = create();
      const limit = bucket(2, 1000);
      await store.consume({ buckets: [limit], cost: 2, now: start + 1000 });
      const earlier = await store.consume({ buckets: [limit], cost: 1, now: start });
      expect(earlier.allowed).toBe(false);
    });

    it('decides with its own time when the request carries none', async () => {
      const store = create();
      const limit = bucket(2, 3_600_000);
      const first = await store.consume({ buckets: [limit], cost: 1 });
      const second = await store.consume({ buckets: [limit], cost: 1 });
      const third = await store.consume({ buckets: [limit], cost: 1 });
      expect([first.allowed, second.allowed, third.allowed]).toEqual([true, true, false]);
    });
  });
}
