import { requireRedis, useTestRedis } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { ResilienceStoreError } from '../../src/index.js';
import { redisIdempotencyStore } from '../../src/redis/index.js';
import { runIdempotencyStoreContract } from '../../src/testing/index.js';

const redis = await requireRedis();

describe.skipIf(!redis.available)('redisIdempotencyStore', () => {
  const keys = useTestRedis();

  runIdempotencyStoreContract({
    name: 'redisIdempotencyStore',
    create: () => redisIdempotencyStore({ client: keys.client(), prefix: keys.prefix }),
    describe,
    it,
    expect,
  });

  it('throws a prefixed store error wrapping the driver error when Redis refuses the call', async () => {
    const client = keys.client();
    await client.hset(`${keys.prefix}held`, 'f', 'x');
    const store = redisIdempotencyStore({ client, prefix: keys.prefix });
    const failure = store.claim('held', 'f', 1000);
    await expect(failure).rejects.toBeInstanceOf(ResilienceStoreError);
    await expect(failure).rejects.toThrow(/^\[resilience:redis\]/);
    client.disconnect();
    await expect(store.complete('k', 'token', 'f', '1', 1000)).rejects.toBeInstanceOf(
      ResilienceStoreError,
    );
    await expect(store.release('k', 'token')).rejects.toBeInstanceOf(ResilienceStoreError);
  });
});
