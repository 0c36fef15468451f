import { createCircuitBreaker } from '@carequeue/resilience';
import {
  requireRedis,
  startPrivateRedis,
  waitUntil,
  type PrivateServer,
} from '@carequeue/test-harness';
import type { LogFields, Logger } from '@carequeue/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCacheService } from '../../src/index.js';
import { redisCacheBus, redisCacheStore } from '../../src/redis/index.js';
import { KEY_SECRET, TENANT, sharedEncryptor } from './instances.js';

const redis = await requireRedis();
const settingsOnly = { 'clinic-settings': { ttlMs: 300_000 } };

describe.skipIf(!redis.available)('CacheService with Redis stopped mid-run', () => {
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

  it('keeps answering without throwing and reconnects when Redis comes back', async () => {
    const breaker = createCircuitBreaker({
      name: 'cache-l2',
      timeoutMs: 500,
      resetTimeoutMs: 200,
      volumeThreshold: 3,
    });
    const options = {
      namespaces: settingsOnly,
      keySecret: KEY_SECRET,
      tenant: () => TENANT,
      guard: breaker,
      store: redisCacheStore({ client }),
    };
    const cache = createCacheService(options);
    expect(await cache.getOrSet('clinic-settings:before', () => 'v0')).toBe('v0');

    await server.stop();
    for (let i = 0; i < 50; i += 1) {
      expect(await cache.getOrSet(`clinic-settings:k${i}`, () => `f${i}`)).toBe(`f${i}`);
    }
    expect(breaker.getState()).toBe('open');
    const errorsWhileDown = cache.stats().namespaces['clinic-settings']?.errors ?? 0;
    expect(errorsWhileDown).toBeGreaterThan(0);

    await server.start();
    const reader = createCacheService(options);
    await waitUntil(
      async () => {
        await cache.set('clinic-settings:after', 'back');
        return (await reader.get('clinic-settings:after')) === 'back';
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(breaker.getState()).toBe('closed');
  });

  it('drops sensitive L1 copies while the bus is down and empties L1 when it is back', async () => {
    const bus = await redisCacheBus({ client, channel: 'cq:test:outage-bus' });
    const cache = createCacheService({
      keySecret: KEY_SECRET,
      encryptor: sharedEncryptor,
      tenant: () => TENANT,
      store: redisCacheStore({ client }),
      bus,
    });
    try {
      await cache.set('patient-profiles:p1', { name: 'held in L1' });
      await cache.set('clinic-settings:main', { open: true });
      expect(cache.stats().l1.entries).toBe(2);
      await server.stop();
      await waitUntil(() => !bus.connected, { timeoutMs: 10_000 });
      expect(cache.stats().l1.entries).toBe(1);
      await server.start();
      await waitUntil(() => bus.connected, { timeoutMs: 20_000 });
      expect(cache.stats().l1.entries).toBe(0);
    } finally {
      cache.close();
      await bus.close();
    }
  });
});

describe.skipIf(!redis.available)('CacheService with a Redis client that is not connected', () => {
  it('logs and counts the failed write and still resolves when Redis is not ready (silent failed L2 writes)', async () => {
    // Never connected: with no offline queue, every command is refused at once.
    const client = new Redis(redis.url, { lazyConnect: true, enableOfflineQueue: false });
    const logged: LogFields[] = [];
    const warn = (fields: LogFields | string): void => {
      if (typeof fields !== 'string') logged.push(fields);
    };
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn,
      error: warn,
      child: () => logger,
    };
    const cache = createCacheService({
      namespaces: settingsOnly,
      keySecret: KEY_SECRET,
      tenant: () => TENANT,
      store: redisCacheStore({ client }),
      logger,
    });
    try {
      expect(client.status).toBe('wait');
      await expect(cache.set('clinic-settings:main', { open: true })).resolves.toBeUndefined();
      expect(cache.stats().namespaces['clinic-settings']?.l2WriteFailures).toBe(1);
      expect(logged).toEqual([
        {
          namespace: 'clinic-settings',
          operation: 'write',
          code: 'CACHE_REDIS_FAILED',
          suppressed: 0,
        },
      ]);
    } finally {
      cache.close();
      client.disconnect();
    }
  });
});
