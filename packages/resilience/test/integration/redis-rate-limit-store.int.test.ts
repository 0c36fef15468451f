import { requireRedis, useTestRedis } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { RateLimiter, ResilienceStoreError } from '../../src/index.js';
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
    const instances = [0, 1].map(
      () =>
        new RateLimiter({
          windowMs: 60_000,
          max: 50,
          store: redisRateLimitStore({ client: keys.client({ keyPrefix: keys.prefix }) }),
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
    const limiter = new RateLimiter({
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

  it('throws a prefixed store error wrapping the driver error when Redis refuses the call', async () => {
    const client = keys.client({ keyPrefix: keys.prefix });
    await client.set('rl-not-a-hash', 'x');
    const store = redisRateLimitStore({ client });
    const failure = store.consume({
      buckets: [{ key: 'rl-not-a-hash', capacity: 1, refillMs: 1000 }],
      cost: 1,
    });
    await expect(failure).rejects.toBeInstanceOf(ResilienceStoreError);
    await expect(failure).rejects.toThrow(/^\[resilience:redis\]/);
    await expect(failure).rejects.toHaveProperty(
      'cause.message',
      expect.stringMatching(/WRONGTYPE/),
    );
  });
});
