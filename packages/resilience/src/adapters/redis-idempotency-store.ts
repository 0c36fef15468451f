import type { Cluster, Redis } from 'ioredis';
import { ResilienceStoreError } from '../errors.js';
import type { IdempotencyClaim, IdempotencyStore } from '../idempotency/idempotency-store.js';

/**
 * Options of {@link redisIdempotencyStore}.
 *
 * @example
 * ```ts
 * const options: RedisIdempotencyStoreOptions = { client, prefix: 'cq:idem:' };
 * ```
 */
export interface RedisIdempotencyStoreOptions {
  readonly client: Redis | Cluster;
  /** Prefix of every key. @default 'cq:idem:' */
  readonly prefix?: string;
}

interface StoredRecord {
  readonly f: string;
  readonly r?: string;
}

async function command<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error: unknown) {
    throw new ResilienceStoreError('redis', operation, { cause: error });
  }
}

/**
 * An {@link IdempotencyStore} on Redis: a claim is one `SET NX GET` (Redis 7), so exactly one of
 * several concurrent claims wins and the others read the record in the same round trip.
 *
 * @throws {@link ResilienceStoreError} (`[resilience:redis]`, the driver error as cause) when a command fails.
 * @example
 * ```ts
 * import { redisIdempotencyStore } from '@carequeue/resilience/redis';
 *
 * const idempotency = createIdempotency({ store: redisIdempotencyStore({ client }) });
 * ```
 */
export function redisIdempotencyStore(options: RedisIdempotencyStoreOptions): IdempotencyStore {
  const { client } = options;
  const prefix = options.prefix ?? 'cq:idem:';
  return {
    async claim(key, fingerprint, lockTtlMs) {
      const record: StoredRecord = { f: fingerprint };
      const previous = await command('idempotency claim', () =>
        client.call('SET', `${prefix}${key}`, JSON.stringify(record), 'PX', lockTtlMs, 'NX', 'GET'),
      );
      if (typeof previous !== 'string') return { status: 'claimed' };
      const stored = JSON.parse(previous) as StoredRecord;
      const claim: IdempotencyClaim =
        stored.r === undefined
          ? { status: 'pending', fingerprint: stored.f }
          : { status: 'completed', fingerprint: stored.f, response: stored.r };
      return claim;
    },
    async complete(key, fingerprint, response, ttlMs) {
      const record: StoredRecord = { f: fingerprint, r: response };
      await command('idempotency complete', () =>
        client.set(`${prefix}${key}`, JSON.stringify(record), 'PX', ttlMs),
      );
    },
    async release(key) {
      await command('idempotency release', () => client.del(`${prefix}${key}`));
    },
  };
}
