import { randomUUID } from 'node:crypto';
import { metrics } from '@opentelemetry/api';
import { silentLogger, systemClock } from '@carequeue/core';
import { getContext } from '@carequeue/core/context';
import { memoryCacheStore } from './adapters/memory-store.js';
import type {
  CacheCallOptions,
  CacheGetOptions,
  CacheServiceOptions,
  CacheSetOptions,
  GetOrSetOptions,
} from './cache-options.js';
import {
  checkCallOptions,
  checkFunction,
  checkGetOrSetOptions,
  checkKeyArgument,
  checkSetOptions,
  checkTags,
  encodedArgument,
} from './call-arguments.js';
import { checkSubject, withoutSubject } from './data-subject.js';
import { observeCacheMetrics } from './cache-metrics.js';
import {
  emptyCounters,
  snapshotCounters,
  type CacheStats,
  type NamespaceCounters,
} from './cache-stats.js';
import { CacheError } from './errors.js';
import { createKeyHasher } from './key-hasher.js';
import { checkServiceOptions, checkStoreRequirements } from './service-options.js';
import { defaultNamespaces, type NamespacePolicy } from './namespace-policy.js';
import { createFailedWriteReporter } from './service/failed-write-log.js';
import { createInvalidation } from './service/invalidation.js';
import { createKeyResolver } from './service/key-resolver.js';
import { createL1Tier } from './service/l1-tier.js';
import { createL2Tier } from './service/l2-tier.js';
import { createLoader } from './service/loader.js';
import { envelopeValue } from './service/value-envelope.js';
import { createValueSealing } from './service/value-sealing.js';

/**
 * A two-tier, tenant-scoped, PHI-safe cache. Every method checks its arguments before it touches
 * either tier or the bus, and rejects a key, pattern, factory, tags or options of the wrong type
 * with `CacheArgumentError`, a key of the wrong shape or an unconfigured namespace with
 * `CacheKeyError`, and a value the codec cannot store (a cycle, a function) with
 * `CacheArgumentError` naming `value` from `set`, `CacheSerializationError` when a `getOrSet`
 * factory returned it; none of them quotes the key or the value.
 *
 * @example
 * ```ts
 * const settings = await cache.getOrSet('clinic-settings:main', () => repo.settings(clinicId));
 * await cache.invalidate('clinic-settings:*');
 * ```
 */
export interface CacheService {
  /** The value under `key` (`<namespace>:<id>`), or `undefined`. Values are read-only. */
  get<T>(key: string, options?: CacheGetOptions): Promise<T | undefined>;
  /**
   * Stores `value`, fresh for `options.ttlMs` (the namespace's ttl when omitted). A bare number
   * in place of the options is refused with `CacheArgumentError`: durations are `{ ttlMs }`.
   */
  set<T>(key: string, value: T, options?: CacheSetOptions): Promise<void>;
  /** The cached value, or the factory's (computed once per key at a time) after caching it. */
  getOrSet<T>(key: string, factory: () => Promise<T> | T, options?: GetOrSetOptions): Promise<T>;
  /** Drops one key on every instance. */
  delete(key: string, options?: CacheCallOptions): Promise<void>;
  /** Drops `*` (the tenant), `<namespace>:*`, `<namespace>:<prefix>:*` or one key, in O(1). */
  invalidate(pattern: string, options?: CacheCallOptions): Promise<void>;
  /** Drops every value carrying one of `tags`, in every namespace of the tenant. */
  invalidateTags(tags: readonly string[], options?: CacheCallOptions): Promise<void>;
  /** Drops every value of the tenant. */
  clear(options?: CacheCallOptions): Promise<void>;
  /**
   * Drops every value stored with `subject` (see {@link CacheSetOptions.subject}) in every
   * namespace of the tenant, on every instance, and refuses the write of any `getOrSet` that read
   * the store before this call: call it after the erasure commits, so no read that started
   * before can put the subject's data back.
   */
  eraseSubject(subject: string, options?: CacheCallOptions): Promise<void>;
  /** Counters per namespace and the size of L1. */
  stats(): CacheStats;
  /** Stops listening to the bus and publishing metrics. */
  close(): void;
}

const DEFAULT_L1_ENTRIES = 10_000;
const DEFAULT_L1_BYTES = 64 * 1024 * 1024;

// A method that is not async rejects rather than throws, so a refused argument is a rejection
// like any other failure of the call.
const rejection = (error: unknown): Promise<never> =>
  Promise.reject(error instanceof Error ? error : new CacheError({ cause: error }));

/**
 * Creates a {@link CacheService}: an in-process LRU (L1) in front of a {@link CacheStore} (L2),
 * kept coherent across instances by a {@link CacheBus}. It composes the key resolver, the two
 * tiers, the loader of `getOrSet` and the invalidation; each method checks its arguments and
 * hands over to them.
 *
 * @throws {@link CacheConfigError} naming the option when one is malformed, when a shared store
 * is used without `keySecret`, or with a sensitive namespace and no `encryptor`.
 * @example
 * ```ts
 * const cache = createCacheService({
 *   store: redisCacheStore({ client }),
 *   bus: await redisCacheBus({ client }),
 *   keySecret: process.env.CACHE_KEY_SECRET!,
 *   encryptor,
 * });
 * const profile = await cache.getOrSet(`patient-profiles:${patientId}`, () => repo.find(patientId));
 * ```
 */
export function createCacheService(options: CacheServiceOptions = {}): CacheService {
  checkServiceOptions(options);
  const namespaces: Readonly<Record<string, NamespacePolicy>> =
    options.namespaces ?? defaultNamespaces;
  const clock = options.clock ?? systemClock;
  const store = options.store ?? memoryCacheStore({ clock });
  const { bus } = options;
  checkStoreRequirements(store, namespaces, options);
  const counters = new Map<string, NamespaceCounters>(
    Object.keys(namespaces).map((name) => [name, emptyCounters()]),
  );
  const keys = createKeyResolver({
    namespaces,
    hash: createKeyHasher(options.keySecret),
    defaultTenant: options.tenant ?? (() => getContext()?.tenantId),
    counters,
  });
  const l1 = createL1Tier({
    clock,
    maxEntries: options.l1?.maxEntries ?? DEFAULT_L1_ENTRIES,
    maxBytes: options.l1?.maxBytes ?? DEFAULT_L1_BYTES,
    busDown: bus !== undefined && !bus.connected,
  });
  const l2 = createL2Tier({
    store,
    guard: options.guard,
    clock,
    l1,
    sealing: createValueSealing(store.shared ? options.encryptor : undefined),
    reportFailedWrite: createFailedWriteReporter(clock, options.logger ?? silentLogger),
  });
  const loader = createLoader({ clock, store, keys, l1, l2 });
  const invalidation = createInvalidation({
    store,
    bus,
    instanceId: options.instanceId ?? randomUUID(),
    keys,
    l1,
    l2,
  });

  const service: CacheService = {
    get<T>(key: string, call?: CacheGetOptions): Promise<T | undefined> {
      // Not async, so an L1 hit costs one resolved promise and no async frame.
      try {
        checkKeyArgument(key, 'key');
        checkCallOptions(call === undefined ? call : withoutSubject(call));
        const resolved = keys.resolveKey(key, call);
        const entry = l1.readFresh(resolved);
        if (entry !== undefined) {
          resolved.counters.l1Hits += 1;
          return Promise.resolve(entry.value as T);
        }
        const subject = call?.subject;
        const address =
          subject === undefined
            ? resolved.address
            : keys.addressWith(resolved, keys.tenantOfCall(call), undefined, subject);
        const epoch = l1.epochOf(resolved.scope);
        return l2.readThen(resolved, address, subject, ({ fields, value }): T | undefined => {
          if (value === undefined || value.freshUntil <= clock.now()) {
            resolved.counters.misses += 1;
            return undefined;
          }
          resolved.counters.l2Hits += 1;
          l1.keepIfCurrent(resolved, fields, value, epoch);
          return value.value as T;
        });
      } catch (error: unknown) {
        return rejection(error);
      }
    },

    async set<T>(key: string, value: T, call: CacheSetOptions = {}): Promise<void> {
      checkKeyArgument(key, 'key');
      checkSetOptions(withoutSubject(call));
      const resolved = keys.resolveKey(key, call);
      const tenant = keys.tenantOfCall(call);
      const graceMs = resolved.policy.sensitive === true ? 0 : (resolved.policy.graceMs ?? 0);
      // Encoded before anything changes, so a value the codec refuses (a cycle, a function)
      // leaves L1, the store and the bus as they were.
      const enveloped = encodedArgument(
        () => envelopeValue(value, clock.now(), call.ttlMs ?? resolved.policy.ttlMs, graceMs),
        'value',
      );
      l1.forgetKey(resolved);
      const address = keys.addressWith(resolved, tenant, call.tags, call.subject);
      await l2.writeThrough(resolved, address, enveloped, undefined, call.subject);
      invalidation.announceKeyChange(resolved);
    },

    getOrSet<T>(
      key: string,
      factory: () => Promise<T> | T,
      call: GetOrSetOptions = {},
    ): Promise<T> {
      try {
        checkKeyArgument(key, 'key');
        checkFunction(factory, 'factory');
        checkGetOrSetOptions(withoutSubject(call));
        const resolved = keys.resolveKey(key, call);
        const entry = l1.readFresh(resolved);
        if (entry !== undefined) {
          resolved.counters.l1Hits += 1;
          return Promise.resolve(entry.value as T);
        }
        return loader.loadOnce(resolved, factory, call);
      } catch (error: unknown) {
        return rejection(error);
      }
    },

    async delete(key: string, call?: CacheCallOptions): Promise<void> {
      checkKeyArgument(key, 'key');
      checkCallOptions(call);
      return invalidation.deleteKey(keys.resolveKey(key, call));
    },

    async invalidate(pattern: string, call?: CacheCallOptions): Promise<void> {
      checkKeyArgument(pattern, 'pattern');
      checkCallOptions(call);
      return invalidation.invalidatePattern(pattern, call, () =>
        invalidation.deleteKey(keys.resolveKey(pattern, call)),
      );
    },

    async invalidateTags(tags: readonly string[], call?: CacheCallOptions): Promise<void> {
      checkTags(tags, 'tags');
      checkCallOptions(call);
      return invalidation.invalidateTags(keys.tenantOfCall(call), tags);
    },

    async clear(call?: CacheCallOptions): Promise<void> {
      checkCallOptions(call);
      return service.invalidate('*', call);
    },

    async eraseSubject(subject: string, call?: CacheCallOptions): Promise<void> {
      checkSubject(subject, 'subject');
      checkCallOptions(call);
      return invalidation.eraseSubject(keys.tenantOfCall(call), subject);
    },

    stats(): CacheStats {
      return {
        l1: { entries: l1.entries, bytes: l1.bytes },
        namespaces: Object.fromEntries(
          [...counters].map(([name, values]) => [name, snapshotCounters(values)]),
        ),
      };
    },

    close(): void {
      invalidation.stopFollowingBus();
      stopMetrics();
    },
  };
  const stopMetrics = observeCacheMetrics(
    () => service.stats(),
    options.meter ?? metrics.getMeter('@carequeue/cache'),
  );
  return service;
}
