import { requireRedis, useTestRedis } from '@carequeue/test-harness';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheRedisError } from '../../src/errors.js';
import { redisCacheStore } from '../../src/redis/index.js';
import { cacheStoreContract } from '../../src/testing/index.js';
import {
  cleanupCluster,
  clusterClient,
  clusterPrefix,
  requireRedisCluster,
} from './redis-cluster.js';

const redis = await requireRedis();
const cluster = await requireRedisCluster();

describe.skipIf(!redis.available)('redisCacheStore on one node', () => {
  const keys = useTestRedis();
  let client: Redis;
  beforeAll(() => {
    client = keys.client();
  });

  cacheStoreContract({
    name: 'redisCacheStore (single node)',
    create: () => redisCacheStore({ client, keyPrefix: keys.prefix }),
    describe,
    it,
    expect,
  });

  it('throws a prefixed error wrapping the driver error when Redis cannot be reached', async () => {
    const down = keys.client({
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    const store = redisCacheStore({ client: down, keyPrefix: keys.prefix });
    const attempt = store.read({ scope: 's', key: 'k', fields: ['n'] });
    await expect(attempt).rejects.toThrow(CacheRedisError);
    const error = await attempt.catch((caught: unknown) => caught);
    expect(String((error as Error).message)).toMatch(/^\[cache:redis\]/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});

describe.skipIf(!cluster.available)('redisCacheStore on Redis Cluster', () => {
  const prefix = clusterPrefix();
  let client: Cluster;
  beforeAll(() => {
    client = clusterClient(cluster.nodes);
  });
  afterAll(async () => {
    await cleanupCluster(client, prefix);
    client.disconnect();
  });

  cacheStoreContract({
    name: 'redisCacheStore (cluster)',
    create: () => redisCacheStore({ client, keyPrefix: prefix }),
    describe,
    it,
    expect,
  });

  it('spreads scopes over several nodes when many scopes are written', async () => {
    const store = redisCacheStore({ client, keyPrefix: prefix });
    for (let i = 0; i < 30; i += 1) {
      await store.write({ scope: `tenant-${i}:ns`, key: 'k', fields: ['n', 't:a'] }, 'v', 60_000);
    }
    const counts = await Promise.all(
      client
        .nodes('master')
        .map(
          async (node) => (await node.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 1000))[1].length,
        ),
    );
    expect(counts.filter((count) => count > 0).length).toBeGreaterThan(1);
  });
});
