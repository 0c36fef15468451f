import { randomBytes } from 'node:crypto';
import { createCacheService, type CacheService } from '@carequeue/cache';
import { redisCacheBus, redisCacheStore, type RedisCacheBus } from '@carequeue/cache/redis';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisBusDriver, redisDriver } from 'bentocache/drivers/redis';
import { Redis } from 'ioredis';
import { defineCase } from '../../case-definition.js';

/** The tenant every cache case uses. */
export const BENCH_TENANT = '0195f0a4-1111-7000-8000-000000000001';
/** Keys of the mix. */
export const KEY_COUNT = 10_000;
/** Operations of one mix round. */
export const MIX_OPERATIONS = 5_000;

/** A 1 KB patient-like record, the value of every cache case. */
export function patientLikeValue(): Record<string, unknown> {
  return {
    id: '0195f0a4-3333-7000-8000-000000000001',
    tenantId: BENCH_TENANT,
    givenName: 'Marguerite',
    familyName: 'Okonkwo-Lindqvist',
    dateOfBirth: '1961-04-12',
    contact: { phone: '+14155550101', email: 'marguerite@example.org', preferred: 'sms' },
    address: { line1: '12 Juniper Terrace', city: 'Fairhaven', postalCode: '94101', country: 'US' },
    medicalRecordNumber: 'MRN-8817731',
    notes: 'Prefers morning appointments. '.repeat(12),
    consent: { sms: true, email: false, research: false, updatedAt: '2026-01-02T10:00:00.000Z' },
    createdAt: '2026-01-02T10:00:00.000Z',
    updatedAt: '2026-02-03T11:00:00.000Z',
    version: 7,
  };
}

/** One step of the mix: a read (getOrSet) or a write (delete, as after a database update). */
export interface MixStep {
  readonly instance: number;
  readonly key: number;
  readonly write: boolean;
}

/** A fixed sequence of steps: 90% reads with Zipf(1.0) keys, 10% writes, over 3 instances. */
export function mixSteps(count: number, seed = 42): MixStep[] {
  let state = seed;
  const random = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const cdf: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= KEY_COUNT; rank += 1) {
    total += 1 / rank;
    cdf.push(total);
  }
  const pick = (): number => {
    const target = random() * total;
    let low = 0;
    let high = cdf.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((cdf[mid] ?? 0) < target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  return Array.from({ length: count }, (_, i) => ({
    instance: i % 3,
    key: pick(),
    write: random() < 0.1,
  }));
}

/** Three instances of one cache library on one Redis, driven through the same steps. */
export interface MixSide {
  read(instance: number, key: string, factory: () => Record<string, unknown>): Promise<unknown>;
  write(instance: number, key: string): Promise<void>;
  close(): Promise<void>;
}

/** Our three instances: Redis store, Redis bus, L1 in front. */
export async function ourMixSide(redisUrl: string): Promise<MixSide & { caches: CacheService[] }> {
  const prefix = `cq:bench:${randomBytes(4).toString('hex')}:`;
  const keySecret = randomBytes(32);
  const clients: Redis[] = [];
  const buses: RedisCacheBus[] = [];
  const caches: CacheService[] = [];
  for (let i = 0; i < 3; i += 1) {
    const client = new Redis(redisUrl, { enableOfflineQueue: true, maxRetriesPerRequest: 1 });
    clients.push(client);
    const bus = await redisCacheBus({ client, channel: `${prefix}bus` });
    buses.push(bus);
    caches.push(
      createCacheService({
        namespaces: { 'clinic-settings': { ttlMs: 300_000 } },
        store: redisCacheStore({ client, keyPrefix: prefix }),
        bus,
        keySecret,
        tenant: () => BENCH_TENANT,
      }),
    );
  }
  return {
    caches,
    read: (instance, key, factory) => caches[instance]!.getOrSet(`clinic-settings:${key}`, factory),
    write: (instance, key) => caches[instance]!.delete(`clinic-settings:${key}`),
    async close() {
      for (const cache of caches) cache.close();
      await Promise.all(buses.map((bus) => bus.close()));
      await deletePrefix(clients[0]!, prefix);
      await Promise.all(clients.map((client) => client.quit()));
    },
  };
}

/** bentocache's documented multi-tier setup: memory L1, Redis L2, Redis bus. */
export function bentoMixSide(redisUrl: string): MixSide {
  const prefix = `bento:bench:${randomBytes(4).toString('hex')}`;
  const connection = new URL(redisUrl);
  const redis = { host: connection.hostname, port: Number(connection.port || 6379) };
  const caches = Array.from(
    { length: 3 },
    () =>
      new BentoCache({
        default: 'tiered',
        ttl: '5m',
        prefix,
        stores: {
          tiered: bentostore()
            .useL1Layer(memoryDriver({ maxItems: 10_000 }))
            .useL2Layer(redisDriver({ connection: redis }))
            .useBus(redisBusDriver({ connection: redis })),
        },
      }),
  );
  return {
    read: (instance, key, factory) => caches[instance]!.getOrSet({ key, factory }),
    write: async (instance, key) => {
      await caches[instance]!.delete({ key });
    },
    async close() {
      await caches[0]!.clear();
      await Promise.all(caches.map((cache) => cache.disconnectAll()));
    },
  };
}

/** Deletes the keys a side left in Redis (with SCAN, never KEYS). */
export async function deletePrefix(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.unlink(...keys);
  } while (cursor !== '0');
}

/** Runs `steps` on a side and returns how many times the factory ran. */
export async function runMix(side: MixSide, steps: readonly MixStep[]): Promise<number> {
  let factoryCalls = 0;
  const value = patientLikeValue();
  const factory = (): Record<string, unknown> => {
    factoryCalls += 1;
    return value;
  };
  for (const step of steps) {
    const key = `k${step.key}`;
    if (step.write) await side.write(step.instance, key);
    else await side.read(step.instance, key, factory);
  }
  return factoryCalls;
}

export default defineCase({
  id: 'cache.getorset-mix',
  kind: 'samples',
  unit: 'us/op',
  better: 'lower',
  target: 1.0,
  peerName: 'bentocache 1.6.1 (memory L1 + Redis L2 + Redis bus, default serialize)',
  notes:
    `3 instances in one process on one Redis; ${MIX_OPERATIONS} sequential steps per round over ` +
    `${KEY_COUNT} keys with Zipf 1.0 skew, 90% getOrSet and 10% delete (a write with invalidation ` +
    'reaching the other instances over the bus); factory returns a 1 KB record at once; ttl 5 min; ' +
    'same fixed step sequence on both; sample = mean time per step over 500 steps',
  rounds: 4,
  setup: async ({ services, smoke }) => ({
    steps: mixSteps(smoke ? 200 : MIX_OPERATIONS),
    ours: await ourMixSide(services.redis),
    peer: bentoMixSide(services.redis),
  }),
  teardown: async (state) => {
    await state.ours.close();
    await state.peer.close();
  },
  ours: (state) => timedChunks(state.ours, state.steps),
  peer: (state) => timedChunks(state.peer, state.steps),
});

/** Runs the steps in chunks of 500 and returns the mean µs per step of each chunk. */
export async function timedChunks(side: MixSide, steps: readonly MixStep[]): Promise<number[]> {
  const samples: number[] = [];
  for (let start = 0; start < steps.length; start += 500) {
    const chunk = steps.slice(start, start + 500);
    const began = performance.now();
    await runMix(side, chunk);
    samples.push(((performance.now() - began) * 1000) / chunk.length);
  }
  return samples;
}
