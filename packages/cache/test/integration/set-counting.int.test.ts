import { deleteKeysWithPrefix, requireRedis, useTestRedis } from '@carequeue/test-harness';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CacheArgumentError, createCacheService, MAX_CACHE_TTL_MS } from '../../src/index.js';
import { redisCacheStore } from '../../src/redis/index.js';
import { KEY_SECRET } from './instances.js';

const redis = await requireRedis();

describe.skipIf(!redis.available)('sets on Redis', () => {
  const keys = useTestRedis();
  afterEach(async () => {
    await deleteKeysWithPrefix(keys.client(), keys.prefix);
  });

  it('refuses a ttl Redis cannot hold before sending anything, and counts in sets only the writes Redis took (it counted a write Redis refused)', async () => {
    const client = keys.client();
    const cache = createCacheService({
      store: redisCacheStore({ client, keyPrefix: keys.prefix }),
      keySecret: KEY_SECRET,
      namespaces: { settings: { ttlMs: 60_000 } },
      tenant: () => 'tenant-1',
    });
    const sent: string[] = [];
    const send = client.sendCommand.bind(client);
    vi.spyOn(client, 'sendCommand').mockImplementation((command, stream) => {
      sent.push(command.name);
      return send(command, stream);
    });
    for (const ttl of [{ ttlMs: 1e306 }, { ttlMs: 2 ** 63 }, { ttlMs: MAX_CACHE_TTL_MS + 1 }]) {
      await expect(cache.set('settings:main', 1, ttl)).rejects.toBeInstanceOf(CacheArgumentError);
    }
    expect(sent).toEqual([]);
    expect(cache.stats().namespaces['settings']).toMatchObject({ sets: 0, errors: 0 });
    await cache.set('settings:main', 1, { ttlMs: MAX_CACHE_TTL_MS });
    expect(cache.stats().namespaces['settings']).toMatchObject({ sets: 1, errors: 0 });
    vi.restoreAllMocks();
  });
});
