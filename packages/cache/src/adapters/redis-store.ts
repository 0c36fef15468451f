import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { CacheStore } from '../cache-store.js';
import { CacheRedisError } from '../errors.js';
import { BUMP_SCRIPT, READ_SCRIPT, RELEASE_SCRIPT, WRITE_SCRIPT } from './redis-scripts.js';

/**
 * Options of {@link redisCacheStore}.
 *
 * @example
 * ```ts
 * const options: RedisCacheStoreOptions = { client: new Redis(url, { enableOfflineQueue: false }) };
 * ```
 */
export interface RedisCacheStoreOptions {
  /**
   * An ioredis client or cluster. Give it `enableOfflineQueue: false` and a small
   * `maxRetriesPerRequest`, so that calls fail fast while Redis is down instead of piling up.
   */
  readonly client: Redis | Cluster;
  /** Prefix of every key the store writes. @default 'cq:c:' */
  readonly keyPrefix?: string;
}

interface ScriptedClient {
  cqCacheRead(
    value: string,
    meta: string,
    ...fields: string[]
  ): Promise<[number, string, string, string]>;
  cqCacheWrite(value: string, meta: string, ...args: string[]): Promise<number>;
  cqCacheBump(meta: string, ...fields: string[]): Promise<number[]>;
  cqCacheRelease(lock: string, token: string): Promise<number>;
}

function defineScripts(client: Redis | Cluster): ScriptedClient {
  const scripted = client as unknown as Partial<ScriptedClient>;
  if (scripted.cqCacheRead === undefined) {
    client.defineCommand('cqCacheRead', { numberOfKeys: 2, lua: READ_SCRIPT });
    client.defineCommand('cqCacheWrite', { numberOfKeys: 2, lua: WRITE_SCRIPT });
    client.defineCommand('cqCacheBump', { numberOfKeys: 1, lua: BUMP_SCRIPT });
    client.defineCommand('cqCacheRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  }
  return client as unknown as ScriptedClient;
}

// A plain promise chain rather than an async wrapper: reads pay for one promise, not two frames.
function command<T>(operation: string, run: () => Promise<T>): Promise<T> {
  let pending: Promise<T>;
  try {
    pending = run();
  } catch (error: unknown) {
    return Promise.reject(new CacheRedisError(operation, { cause: error }));
  }
  return pending.catch((error: unknown) => {
    throw new CacheRedisError(operation, { cause: error });
  });
}

/**
 * A {@link CacheStore} on Redis or Redis Cluster. All keys of a scope share the `{tenant:namespace}`
 * hash tag, so every script touches one slot; a read is one script call that returns the value
 * only if its generations still match, and invalidation is one `HINCRBY`. It never scans.
 *
 * @throws {@link CacheRedisError} from every method when a command fails (the driver error is the cause).
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { redisCacheStore } from '@carequeue/cache/redis';
 *
 * const store = redisCacheStore({ client: new Redis(url, { enableOfflineQueue: false }) });
 * ```
 */
export function redisCacheStore(options: RedisCacheStoreOptions): CacheStore {
  const client = defineScripts(options.client);
  const prefix = options.keyPrefix ?? 'cq:c:';
  const slot = (scope: string): string => `${prefix}{${scope}}`;
  const valueKey = (scope: string, key: string): string => `${slot(scope)}:v:${key}`;
  const metaKey = (scope: string): string => `${slot(scope)}:g`;
  const lockKey = (scope: string, key: string): string => `${slot(scope)}:l:${key}`;

  return {
    name: 'redis',
    shared: true,
    read(address) {
      return command('read', () =>
        client.cqCacheRead(
          valueKey(address.scope, address.key),
          metaKey(address.scope),
          ...address.fields,
        ),
      ).then(([found, payload, stamp, fields]) =>
        found === 1
          ? { payload, stamp, fields: fields.split(' ') }
          : { payload: undefined, stamp, fields: [] },
      );
    },
    async write(address, payload, ttlMs, expectedStamp) {
      const written = await command('write', () =>
        client.cqCacheWrite(
          valueKey(address.scope, address.key),
          metaKey(address.scope),
          payload,
          String(Math.max(1, Math.ceil(ttlMs))),
          expectedStamp ?? '',
          expectedStamp === undefined ? '0' : '1',
          ...address.fields,
        ),
      );
      return written === 1;
    },
    async remove(scope, key) {
      await command('remove', () => options.client.unlink(valueKey(scope, key)));
    },
    bump(scope, fields) {
      return command('bump', () => client.cqCacheBump(metaKey(scope), ...fields));
    },
    async acquireLock(scope, key, ttlMs) {
      const token = randomUUID();
      const set = await command('lock', () =>
        options.client.set(lockKey(scope, key), token, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'),
      );
      return set === 'OK' ? token : undefined;
    },
    async releaseLock(scope, key, token) {
      await command('unlock', () => client.cqCacheRelease(lockKey(scope, key), token));
    },
  };
}
