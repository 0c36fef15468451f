import { randomUUID } from 'node:crypto';
import { requireRedis, useTestRedis } from '@carequeue/test-harness';
import { Cluster, type Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CacheStore, StoreAddress } from '../../src/cache-store.js';
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

/** Records the name of every command a client sends while `run` runs. */
async function commandsOf(client: Redis | Cluster, run: () => Promise<unknown>): Promise<string[]> {
  const names: string[] = [];
  // Redis and Cluster share this method's shape; one of the two types lets the spy be typed.
  const typed = client as Redis;
  const send = typed.sendCommand.bind(typed);
  const spy = vi.spyOn(typed, 'sendCommand').mockImplementation((command, stream) => {
    names.push(command.name);
    return send(command, stream);
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return names;
}

/** Round-trip checks of the Redis layout (ADR 0005), on a single node or a cluster. */
function layoutSuite(name: string, client: () => Redis | Cluster, prefix: () => string): void {
  describe(`${name}: round trips`, () => {
    // Connected before counting, so connection setup commands are not counted.
    beforeAll(async () => {
      const connected = client();
      await connected.ping();
      if (connected instanceof Cluster) {
        await Promise.all(connected.nodes('master').map((node) => node.ping()));
      }
    });
    const store = (): CacheStore => redisCacheStore({ client: client(), keyPrefix: prefix() });
    const scope = (): string => `layout-${randomUUID()}:ns`;

    it('reads a value and its generations with one MGET and no script', async () => {
      const at: StoreAddress = { scope: scope(), key: 'k', fields: ['n', 'p:a'] };
      const cache = store();
      await cache.write(at, 'v', 60_000);
      let read: unknown;
      const sent = await commandsOf(client(), async () => {
        read = await cache.read(at);
      });
      expect(sent).toEqual(['mget']);
      expect(read).toEqual({ payload: 'v', stamp: '0,0', fields: ['n', 'p:a'] });
    });

    it('fetches the tags of a value read without them once, then with the value', async () => {
      const at = scope();
      const cache = store();
      await cache.write({ scope: at, key: 'k', fields: ['n', 't:x'] }, 'v', 60_000);
      const untagged: StoreAddress = { scope: at, key: 'k', fields: ['n'] };
      const first = await commandsOf(client(), () => cache.read(untagged));
      expect(first).toEqual(['mget', 'mget']);
      let read: unknown;
      const second = await commandsOf(client(), async () => {
        read = await cache.read(untagged);
      });
      expect(second).toEqual(['mget']);
      expect(read).toEqual({ payload: 'v', stamp: '0', fields: ['n', 't:x'] });
      await cache.bump(at, ['t:x']);
      const third = await commandsOf(client(), async () => {
        read = await cache.read(untagged);
      });
      expect(third).toEqual(['mget']);
      expect(read).toEqual({ payload: undefined, stamp: '0', fields: [] });
    });

    it('writes a value under an expected stamp without a script', async () => {
      const at: StoreAddress = { scope: scope(), key: 'k', fields: ['n'] };
      const cache = store();
      const { stamp } = await cache.read(at);
      let written: unknown;
      const sent = await commandsOf(client(), async () => {
        written = await cache.write(at, 'v', 60_000, stamp);
      });
      expect(sent).toEqual(['set', 'mget']);
      expect(written).toBe(true);
    });

    it('bumps one generation with INCR and several with one script', async () => {
      const at = scope();
      const cache = store();
      let generations: unknown;
      const one = await commandsOf(client(), async () => {
        generations = await cache.bump(at, ['n']);
      });
      expect(one).toEqual(['incr']);
      expect(generations).toEqual([1]);
      const several = await commandsOf(client(), async () => {
        generations = await cache.bump(at, ['n', 't:x']);
      });
      // ioredis falls back from EVALSHA to EVAL once when the server does not hold the script yet.
      expect(several[0]).toBe('evalsha');
      expect(several.filter((name) => name !== 'evalsha' && name !== 'eval')).toEqual([]);
      expect(generations).toEqual([2, 1]);
    });

    it('reads a value stored in another shape as a miss', async () => {
      const at: StoreAddress = { scope: scope(), key: 'k', fields: ['n'] };
      await client().set(`${prefix()}{${at.scope}}:v:k`, 'no header');
      expect(await store().read(at)).toEqual({ payload: undefined, stamp: '0', fields: [] });
    });

    it('expires a value when its ttl passed', async () => {
      const at: StoreAddress = { scope: scope(), key: 'k', fields: ['n'] };
      await store().write(at, 'v', 60_000);
      const ttl = await client().pttl(`${prefix()}{${at.scope}}:v:k`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    });
  });
}
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

  layoutSuite(
    'redisCacheStore (single node)',
    () => client,
    () => keys.prefix,
  );

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

  layoutSuite(
    'redisCacheStore (cluster)',
    () => client,
    () => prefix,
  );

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
