import { randomBytes } from 'node:crypto';
import {
  createFieldEncryptor,
  keyringFromConfig,
  type FieldEncryptor,
} from '@carequeue/core/crypto';
import type { TestRedis } from '@carequeue/test-harness';
import {
  createCacheService,
  type CacheService,
  type CacheServiceOptions,
} from '../../src/index.js';
import { redisCacheBus, redisCacheStore, type RedisCacheBus } from '../../src/redis/index.js';

export const TENANT = '0195f0a4-1111-7000-8000-000000000001';
export const KEY_SECRET = randomBytes(32).toString('base64');

/** One encryptor shared by every instance, as a deployment shares its keyring. */
export const sharedEncryptor: FieldEncryptor = createFieldEncryptor({
  keys: keyringFromConfig({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }),
});

/** Cache services sharing one Redis (store and bus), like instances of one deployment. */
export interface Instances {
  readonly caches: readonly CacheService[];
  readonly channel: string;
  close(): Promise<void>;
}

export async function startInstances(
  redis: TestRedis,
  count: number,
  options: Partial<CacheServiceOptions> = {},
): Promise<Instances> {
  const encryptor = sharedEncryptor;
  const channel = `${redis.prefix}bus`;
  const buses: RedisCacheBus[] = [];
  const caches: CacheService[] = [];
  for (let i = 0; i < count; i += 1) {
    const client = redis.client();
    const bus = await redisCacheBus({ client, channel });
    buses.push(bus);
    caches.push(
      createCacheService({
        store: redisCacheStore({ client, keyPrefix: redis.prefix }),
        bus,
        keySecret: KEY_SECRET,
        encryptor,
        tenant: () => TENANT,
        ...options,
      }),
    );
  }
  return {
    caches,
    channel,
    async close() {
      for (const cache of caches) cache.close();
      await Promise.all(buses.map((bus) => bus.close()));
    },
  };
}
