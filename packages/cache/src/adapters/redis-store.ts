import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { CacheStore, StoreAddress, StoreRead } from '../cache-store.js';
import { CacheRedisError } from '../errors.js';
import {
  checkAddress,
  checkName,
  checkNames,
  checkRedisOptions,
  checkTtl,
  checkWrite,
  refusal,
} from '../store-arguments.js';
import { parseStoredEntry, splitFields, stampOf, type StoredEntry } from './redis-entry.js';
import { BUMP_SCRIPT, RELEASE_SCRIPT, WRITE_SCRIPT } from './redis-scripts.js';

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
  cqCacheWrite(numberOfKeys: number, ...keysAndArgs: string[]): Promise<number>;
  cqCacheBump(numberOfKeys: number, ...keys: string[]): Promise<number[]>;
  cqCacheRelease(lock: string, token: string): Promise<number>;
}

function defineScripts(client: Redis | Cluster): ScriptedClient {
  const scripted = client as unknown as Partial<ScriptedClient>;
  // Without `numberOfKeys` the first argument of each call says how many keys follow.
  if (scripted.cqCacheWrite === undefined)
    client.defineCommand('cqCacheWrite', { lua: WRITE_SCRIPT });
  if (scripted.cqCacheBump === undefined) client.defineCommand('cqCacheBump', { lua: BUMP_SCRIPT });
  if (scripted.cqCacheRelease === undefined) {
    client.defineCommand('cqCacheRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  }
  return client as unknown as ScriptedClient;
}

/** The keys a read fetches for one address, built once per address object. */
interface ReadPlan {
  readonly valueKey: string;
  readonly fieldsText: string;
  /** The value key, the generation keys of the address's fields, then those of `extra`. */
  keys: string[];
  /**
   * Fields the stored value depended on beyond the address's own (tags given when it was
   * written), learned from earlier reads, so that their generations come in the same round trip.
   */
  extra: readonly string[];
}

const PLAN_EXTRA_LIMIT = 64;

// A plain promise chain rather than an async wrapper, with the caller's `settle` in the same
// `then` as the error mapping: a read pays for one promise step after the driver's.
function command<T, R = T>(
  operation: string,
  run: () => Promise<T>,
  settle?: (reply: T) => R | PromiseLike<R>,
): Promise<R> {
  let pending: Promise<T>;
  try {
    pending = run();
  } catch (error: unknown) {
    return Promise.reject(new CacheRedisError(operation, { cause: error }));
  }
  return pending.then(settle ?? ((reply) => reply as unknown as R), (error: unknown) => {
    throw new CacheRedisError(operation, { cause: error });
  });
}

/**
 * A {@link CacheStore} on Redis or Redis Cluster. All keys of a scope share the
 * `{<hmac(tenant)>:namespace}` hash tag, so every command touches one slot. A value is a plain string carrying the generation
 * fields it depends on and their generations when it was written; each generation is a counter
 * key of its own. A read is one `MGET` of the value and the generations it depends on (no script),
 * a write is one script that refuses a stale write, and invalidation is one `INCR`. It never
 * scans. The layout is explained in ADR 0005.
 *
 * @throws `CacheConfigError` naming the option when `client` or `keyPrefix` is malformed;
 * `CacheRedisError` from every method when a command fails (the driver error is the cause).
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { redisCacheStore } from '@carequeue/cache/redis';
 *
 * const store = redisCacheStore({ client: new Redis(url, { enableOfflineQueue: false }) });
 * ```
 */
export function redisCacheStore(options: RedisCacheStoreOptions): CacheStore {
  checkRedisOptions(options, 'redisCacheStore');
  const { client } = options;
  const scripted = defineScripts(client);
  const prefix = options.keyPrefix ?? 'cq:c:';
  const slot = (scope: string): string => `${prefix}{${scope}}`;
  const valueKey = (scope: string, key: string): string => `${slot(scope)}:v:${key}`;
  const generationKey = (scope: string, field: string): string => `${slot(scope)}:g:${field}`;
  const lockKey = (scope: string, key: string): string => `${slot(scope)}:l:${key}`;
  // Keyed by the address object: the service reuses one address per key, so a hot key builds
  // its key names once and remembers the tags its value was written with.
  const plans = new WeakMap<StoreAddress, ReadPlan>();

  function planOf(address: StoreAddress): ReadPlan {
    let plan = plans.get(address);
    if (plan === undefined) {
      const key = valueKey(address.scope, address.key);
      plan = {
        valueKey: key,
        fieldsText: address.fields.join(' '),
        keys: [key, ...address.fields.map((field) => generationKey(address.scope, field))],
        extra: [],
      };
      plans.set(address, plan);
    }
    return plan;
  }

  function learn(address: StoreAddress, plan: ReadPlan, extra: readonly string[]): void {
    if (extra.length > PLAN_EXTRA_LIMIT) return;
    plan.extra = extra;
    plan.keys = [
      plan.valueKey,
      ...[...address.fields, ...extra].map((field) => generationKey(address.scope, field)),
    ];
  }

  // The value was written with other fields than this read asked for (its tags): check them
  // against the generations fetched with it, or fetch the ones still unknown. Fetching them later
  // than the value is safe: generations only grow, so a later look can only turn a hit into a miss.
  function settleOtherFields(
    address: StoreAddress,
    plan: ReadPlan,
    fetched: readonly string[],
    replies: readonly (string | null)[],
    entry: StoredEntry,
    stamp: string,
  ): StoreRead | Promise<StoreRead> {
    const fields = splitFields(entry.fieldsText);
    const known = new Map<string, string>();
    fetched.forEach((field, i) => known.set(field, replies[i + 1] ?? '0'));
    const extra = fields.filter((field) => !address.fields.includes(field));
    if (extra.join(' ') !== plan.extra.join(' ')) learn(address, plan, extra);
    const decide = (): StoreRead =>
      fields.map((field) => known.get(field) ?? '0').join(',') === entry.stamp
        ? { payload: entry.payload, stamp, fields }
        : { payload: undefined, stamp, fields: [] };
    const missing = fields.filter((field) => !known.has(field));
    if (missing.length === 0) return decide();
    return command(
      'read',
      () => client.mget(missing.map((field) => generationKey(address.scope, field))),
      (generations) => {
        missing.forEach((field, i) => known.set(field, generations[i] ?? '0'));
        return decide();
      },
    );
  }

  return {
    name: 'redis',
    shared: true,
    read(address) {
      const refused = refusal(() => {
        checkAddress(address);
      });
      if (refused) return refused;
      const plan = planOf(address);
      // Captured now: a concurrent read may teach the plan other fields before this one returns.
      const { keys, extra } = plan;
      return command(
        'read',
        () => client.mget(keys),
        (replies): StoreRead | Promise<StoreRead> => {
          const stamp = stampOf(replies, 1, address.fields.length);
          const stored = replies[0];
          const entry =
            stored === null || stored === undefined ? undefined : parseStoredEntry(stored);
          if (entry === undefined) return { payload: undefined, stamp, fields: [] };
          if (entry.fieldsText !== plan.fieldsText) {
            const fetched = extra.length === 0 ? address.fields : [...address.fields, ...extra];
            return settleOtherFields(address, plan, fetched, replies, entry, stamp);
          }
          return entry.stamp === stamp
            ? { payload: entry.payload, stamp, fields: address.fields }
            : { payload: undefined, stamp, fields: [] };
        },
      );
    },
    write(address, payload, ttlMs, expectedStamp) {
      const refused = refusal(() => {
        checkWrite(address, payload, ttlMs, expectedStamp);
      });
      if (refused) return refused;
      const plan = planOf(address);
      const keys = plan.keys.slice(0, address.fields.length + 1);
      const ttl = String(Math.max(1, Math.ceil(ttlMs)));
      if (expectedStamp !== undefined) {
        // Stored with the stamp read before the value was computed, a value whose generations
        // moved meanwhile is never served, so no script has to refuse it: the generations read
        // back right after the SET tell whether it counts, in the same round trip.
        const stored = `${plan.fieldsText}\n${expectedStamp}\n${payload}`;
        const generations = keys.slice(1);
        return command(
          'write',
          () =>
            Promise.all([
              client.set(plan.valueKey, stored, 'PX', ttl),
              generations.length === 0 ? [] : client.mget(generations),
            ]),
          ([, current]) => stampOf(current, 0, generations.length) === expectedStamp,
        );
      }
      return command(
        'write',
        () => scripted.cqCacheWrite(keys.length, ...keys, payload, ttl, plan.fieldsText),
        (written) => written === 1,
      );
    },
    async remove(scope, key) {
      checkName(scope, 'scope');
      checkName(key, 'key');
      await command('remove', () => client.unlink(valueKey(scope, key)));
    },
    bump(scope, fields) {
      const refused = refusal(() => {
        checkName(scope, 'scope');
        checkNames(fields, 'fields');
      });
      if (refused) return refused;
      const keys = fields.map((field) => generationKey(scope, field));
      // One counter (a namespace, a prefix or one tag) needs no script.
      const [only] = keys;
      if (keys.length === 1 && only !== undefined) {
        return command(
          'bump',
          () => client.incr(only),
          (generation) => [generation],
        );
      }
      return command('bump', () => scripted.cqCacheBump(keys.length, ...keys));
    },
    async acquireLock(scope, key, ttlMs) {
      checkName(scope, 'scope');
      checkName(key, 'key');
      checkTtl(ttlMs, 'ttlMs');
      const token = randomUUID();
      const set = await command('lock', () =>
        client.set(lockKey(scope, key), token, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'),
      );
      return set === 'OK' ? token : undefined;
    },
    async releaseLock(scope, key, token) {
      checkName(scope, 'scope');
      checkName(key, 'key');
      checkName(token, 'token');
      await command('unlock', () => scripted.cqCacheRelease(lockKey(scope, key), token));
    },
  };
}
