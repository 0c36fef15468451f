import { randomBytes } from 'node:crypto';
import { createKeyv as createRedisKeyv } from '@keyv/redis';
import { createKeyv as createMemoryKeyv } from 'cacheable';
import { createCache } from 'cache-manager';
import { defineCase } from '../../case-definition.js';
import {
  MIX_OPERATIONS,
  KEY_COUNT,
  mixSteps,
  ourMixSide,
  timedChunks,
  type MixSide,
} from './getorset-mix.js';

const TTL_MS = 300_000;

/**
 * cache-manager's README setup: CacheableMemory L1 in front of @keyv/redis, `wrap()` for getOrSet.
 * cache-manager has no bus, so a write drops the key from the other instances' L1 with a direct
 * in-process call (what a bus message would do, for free): every side then serves the same fresh
 * values and computes the same misses.
 */
function cacheManagerMixSide(redisUrl: string): MixSide {
  const namespace = `cm-bench-${randomBytes(4).toString('hex')}`;
  const caches = Array.from({ length: 3 }, () =>
    createCache({
      stores: [
        createMemoryKeyv({ ttl: TTL_MS, lruSize: 10_000 }),
        createRedisKeyv(redisUrl, { namespace }),
      ],
      ttl: TTL_MS,
    }),
  );
  return {
    read: (instance, key, factory) => caches[instance]!.wrap(key, factory, TTL_MS),
    write: async (instance, key) => {
      await caches[instance]!.del(key);
      await Promise.all(
        caches
          .filter((_, other) => other !== instance)
          .map((cache) => cache.stores[0]!.delete(key)),
      );
    },
    async close() {
      await caches[0]!.clear();
      await Promise.all(caches.map((cache) => cache.disconnect()));
    },
  };
}

export default defineCase({
  id: 'cache.getorset-mix-cache-manager',
  kind: 'samples',
  unit: 'us/op',
  better: 'lower',
  target: 1.0,
  peerName:
    'cache-manager 7.2.9 + keyv 5.6.0 (cacheable 2.5.0 memory L1 + @keyv/redis 5.1.6 L2, wrap)',
  notes:
    `the cache.getorset-mix steps (3 instances, ${MIX_OPERATIONS} steps per round, ${KEY_COUNT} keys, ` +
    'Zipf 1.0, 90% read, 10% delete) against cache-manager wrap(); cache-manager has no bus, so a ' +
    'delete clears the writer (L1 and Redis) and then the other two L1 stores by a direct in-process ' +
    'call standing in for the bus it lacks (ours publishes over Redis pub/sub); before 2026-11-25 the ' +
    'other two kept serving their stale L1 copy, which saved the peer the recomputations that ours ' +
    'pays; L1 clones on read (useClone default); ttl 5 min',
  rounds: 4,
  setup: async ({ services, smoke }) => ({
    steps: mixSteps(smoke ? 200 : MIX_OPERATIONS),
    ours: await ourMixSide(services.redis),
    peer: cacheManagerMixSide(services.redis),
  }),
  teardown: async (state) => {
    await state.ours.close();
    await state.peer.close();
  },
  ours: (state) => timedChunks(state.ours, state.steps),
  peer: (state) => timedChunks(state.peer, state.steps),
});
