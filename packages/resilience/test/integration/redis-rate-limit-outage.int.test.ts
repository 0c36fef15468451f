import {
  requireRedis,
  startPrivateRedis,
  waitUntil,
  type PrivateServer,
} from '@carequeue/test-harness';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/index.js';
import { redisRateLimitStore } from '../../src/redis/index.js';

const redis = await requireRedis();

describe.skipIf(!redis.available)('RateLimiter with a private Redis stopped mid-run', () => {
  let server: PrivateServer;
  let client: Redis;
  beforeAll(async () => {
    server = await startPrivateRedis();
    client = new Redis(server.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 50,
    });
    client.on('error', () => undefined);
    await waitUntil(() => client.status === 'ready', { timeoutMs: 10_000 });
  });
  afterAll(async () => {
    client.disconnect();
    await server.close();
  });

  it('keeps deciding through the insurance limiter and returns to Redis when it is back', async () => {
    const limiter = createRateLimiter({
      windowMs: 3_600_000,
      max: 5,
      store: redisRateLimitStore({ client }),
      probeIntervalMs: 50,
    });
    const before = await limiter.consume('user-1');
    expect([before.allowed, limiter.usage().insured]).toEqual([true, 0]);

    await server.stop();
    const whileDown = [];
    for (let i = 0; i < 7; i += 1) whileDown.push((await limiter.consume('user-2')).allowed);
    expect(whileDown).toEqual([true, true, true, true, true, false, false]);
    expect(limiter.usage()).toMatchObject({ insured: 7, degraded: true });

    await server.start();
    await waitUntil(() => client.status === 'ready', { timeoutMs: 10_000 });
    await waitUntil(
      async () => {
        await limiter.consume('user-3');
        return !limiter.usage().degraded;
      },
      { timeoutMs: 10_000, description: 'the limiter uses Redis again' },
    );
    const insuredAfterRecovery = limiter.usage().insured;
    await limiter.consume('user-1');
    expect(limiter.usage().insured).toBe(insuredAfterRecovery);
    expect(await client.exists('cq:rl:u:user-1')).toBe(1);
  });
});
