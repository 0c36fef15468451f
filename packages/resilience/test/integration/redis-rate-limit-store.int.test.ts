import { requireRedis, useTestRedis } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { createRateLimiter, type RateLimiter, ResilienceStoreError } from '../../src/index.js';
import { redisRateLimitStore } from '../../src/redis/index.js';
import { runRateLimitStoreContract } from '../../src/testing/index.js';

const redis = await requireRedis();

describe.skipIf(!redis.available)('redisRateLimitStore', () => {
  const keys = useTestRedis();

  runRateLimitStoreContract({
    name: 'redisRateLimitStore',
    create: () => redisRateLimitStore({ client: keys.client({ keyPrefix: keys.prefix }) }),
    describe,
    it,
    expect,
  });

  it('admits exactly the limit when 200 concurrent requests arrive over two instances', async () => {
    const now = Date.UTC(2026, 0, 1);
    const instances = [0, 1].map(() =>
      createRateLimiter({
        windowMs: 60_000,
        max: 50,
        store: redisRateLimitStore({ client: keys.client({ keyPrefix: keys.prefix }) }),
        // The shared store must decide every request: under a loaded CI machine 200 concurrent
        // scripts can outlast the default 250 ms, and the in-memory insurance would then decide.
        storeTimeoutMs: 60_000,
      }),
    );
    const decisions = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (instances[i % 2] as RateLimiter).consume('clinic-7', { now }),
      ),
    );
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(50);
    const again = await (instances[0] as RateLimiter).consume('clinic-7', { now });
    expect([again.allowed, again.remaining]).toEqual([false, 0]);
    expect(instances.map((limiter) => limiter.usage().insured)).toEqual([0, 0]);
  });

  it('leaves the remaining count unchanged when a request is rejected', async () => {
    const now = Date.UTC(2026, 0, 1);
    const limiter = createRateLimiter({
      windowMs: 60_000,
      max: 10,
      endpointLimit: { windowMs: 60_000, max: 3 },
      store: redisRateLimitStore({ client: keys.client({ keyPrefix: keys.prefix }) }),
    });
    await limiter.consume('user-1', { now, cost: 3 });
    await limiter.consume('user-2', { now, endpoint: 'POST /bookings', cost: 3 });
    const rejected = await limiter.consume('user-1', { now, endpoint: 'POST /bookings', cost: 2 });
    const after = await limiter.consume('user-1', { now });
    expect([rejected.allowed, after.remaining]).toEqual([false, 6]);
  });

  it('throws a prefixed store error wrapping the driver error when the connection is closed', async () => {
    const client = keys.client({ keyPrefix: keys.prefix });
    const store = redisRateLimitStore({ client });
    client.disconnect();
    const failure = store.consume({
      buckets: [{ key: 'rl-closed', capacity: 1, refillMs: 1000 }],
      cost: 1,
    });
    await expect(failure).rejects.toBeInstanceOf(ResilienceStoreError);
    await expect(failure).rejects.toThrow(/^\[resilience:redis\]/);
    await expect(failure).rejects.toHaveProperty('cause.message', expect.stringMatching(/closed/i));
  });

  it('counts a bucket as full and overwrites it when its key holds something else, such as an earlier hash', async () => {
    const client = keys.client({ keyPrefix: keys.prefix });
    await client.hset('rl-old-hash', 't', '0', 'u', String(Date.now()));
    await client.set('rl-garbage', 'x');
    const store = redisRateLimitStore({ client });
    const limit = { capacity: 3, refillMs: 60_000 };
    const fromHash = await store.consume({ buckets: [{ key: 'rl-old-hash', ...limit }], cost: 1 });
    const fromGarbage = await store.consume({
      buckets: [{ key: 'rl-garbage', ...limit }],
      cost: 1,
    });
    const next = await store.consume({ buckets: [{ key: 'rl-old-hash', ...limit }], cost: 1 });
    expect([fromHash.remaining, fromGarbage.remaining, next.remaining]).toEqual([2, 2, 1]);
    expect(await client.type('rl-old-hash')).toBe('string');
  });

  it('keeps a bucket key alive at least until the bucket is full again, and no longer than a refill period', async () => {
    const client = keys.client({ keyPrefix: keys.prefix });
    const store = redisRateLimitStore({ client });
    const bucket = { key: 'rl-ttl', capacity: 10, refillMs: 10_000 };
    await store.consume({ buckets: [bucket], cost: 2 });
    const fresh = await client.pttl('rl-ttl');
    expect(fresh > 2_000 && fresh <= 10_000).toBe(true);
    // A time to live that still covers the 3 s until full is kept as it is.
    await client.pexpire('rl-ttl', 5_000);
    await store.consume({ buckets: [bucket], cost: 1 });
    const kept = await client.pttl('rl-ttl');
    expect(kept > 3_000 && kept <= 5_000).toBe(true);
    // One that would expire before the bucket is full is renewed for a whole refill period.
    await client.pexpire('rl-ttl', 1_000);
    await store.consume({ buckets: [bucket], cost: 1 });
    const renewed = await client.pttl('rl-ttl');
    expect(renewed > 5_000 && renewed <= 10_000).toBe(true);
  });

  it('sets a whole number of milliseconds as time to live when the refill period has a fraction', async () => {
    const client = keys.client({ keyPrefix: keys.prefix });
    const store = redisRateLimitStore({ client });
    const result = await store.consume({
      buckets: [{ key: 'rl-fraction', capacity: 2, refillMs: 1_500.5 }],
      cost: 1,
    });
    expect(result.allowed).toBe(true);
    const ttl = await client.pttl('rl-fraction');
    expect(ttl > 0 && ttl <= 1_501).toBe(true);
  });
});
