import type { Meter } from '@opentelemetry/api';
import type { Clock, Logger } from '@carequeue/core';
import type { FieldEncryptor } from '@carequeue/core/crypto';
import type { CacheBus } from './cache-bus.js';
import type { CacheStore } from './cache-store.js';
import type { NamespacePolicy } from './namespace-policy.js';

/**
 * Runs shared-tier calls through a circuit breaker; `CircuitBreaker` of `@carequeue/resilience`
 * fits.
 *
 * @example
 * ```ts
 * const guard: StoreGuard = createCircuitBreaker({ name: 'cache-l2', timeoutMs: 500 });
 * ```
 */
export interface StoreGuard {
  execute<T>(operation: () => Promise<T>): Promise<T>;
}

/**
 * Options of {@link createCacheService}.
 *
 * @example
 * ```ts
 * const options: CacheServiceOptions = { namespaces: defaultNamespaces, l1: { maxEntries: 5_000 } };
 * ```
 */
export interface CacheServiceOptions {
  /** Namespaces and how each is cached. @default defaultNamespaces */
  readonly namespaces?: Readonly<Record<string, NamespacePolicy>>;
  /** The shared tier. @default memoryCacheStore() */
  readonly store?: CacheStore;
  /** Tells other instances to drop their L1 copies. Without it, L1 is this instance's only. */
  readonly bus?: CacheBus;
  /**
   * Secret of the keyed HMAC applied to every key and tag before it leaves the process; every
   * instance sharing a store must use the same one. Required with a shared store.
   * @default a random per-process secret
   */
  readonly keySecret?: string | Uint8Array;
  /** Encrypts values of sensitive namespaces in a shared store. Required with one. */
  readonly encryptor?: FieldEncryptor;
  /** Where the tenant comes from when a call names none. @default the request context's tenant */
  readonly tenant?: () => string | undefined;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Bounds of the in-process tier. @default { maxEntries: 10_000, maxBytes: 64 MiB } */
  readonly l1?: { readonly maxEntries?: number; readonly maxBytes?: number };
  /** Guards shared-tier calls, so an outage stops costing a timeout per call. */
  readonly guard?: StoreGuard;
  /** Identifies this instance on the bus. @default crypto.randomUUID() */
  readonly instanceId?: string;
  /**
   * Where stats are published as OpenTelemetry metrics.
   * @default metrics.getMeter('@carequeue/cache') (a no-op unless the host installs an SDK)
   */
  readonly meter?: Meter;
  /**
   * Where failed shared-tier writes are reported (namespace, operation and error code only,
   * never a key or a value), at most once per namespace every 10 s.
   * @default silentLogger
   */
  readonly logger?: Logger;
}

/**
 * Options of calls that read or drop values.
 *
 * @example
 * ```ts
 * await cache.get('clinic-settings:main', { tenant: tenantId });
 * ```
 */
export interface CacheCallOptions {
  /** The tenant whose key this is. @default the service's `tenant` option */
  readonly tenant?: string;
}

/**
 * Options of {@link CacheService.get}.
 *
 * @example
 * ```ts
 * await cache.get(`patient-profiles:${patientId}`, { tenant: tenantId, subject: patientId });
 * ```
 */
export interface CacheGetOptions extends CacheCallOptions {
  /**
   * The data subject the value was stored with (see {@link CacheSetOptions.subject}). A value
   * sealed under a subject's key is read only with that subject; without it, or once the subject
   * was crypto-shredded, it reads as a miss.
   */
  readonly subject?: string;
}

/**
 * Options of {@link CacheService.set}.
 *
 * @example
 * ```ts
 * await cache.set('patient-profiles:pat_1', profile, { tags: ['patient:pat_1'] });
 * ```
 */
export interface CacheSetOptions extends CacheCallOptions {
  /**
   * The data subject (a patient id) whose data the value holds. {@link CacheService.eraseSubject}
   * then drops the value on every instance and refuses a `getOrSet` write that read the store
   * before the erasure. In a shared store, values of sensitive namespaces are sealed under the
   * subject's own data key (never creating one), so crypto-shredding the subject reaches them;
   * a subject without a key (shredded) has nothing cached; the `encryptor` then needs a subject
   * key store (`EncryptionKeyConfigError` otherwise). Read such a value with the same `subject`.
   */
  readonly subject?: string;
  /** Time the value is fresh. @default the namespace's ttlMs */
  readonly ttlMs?: number;
  /** Tags that {@link CacheService.invalidateTags} can drop the value by. */
  readonly tags?: readonly string[];
}

/**
 * Options of the distributed lock of {@link CacheService.getOrSet}.
 *
 * @example
 * ```ts
 * const lock: CacheLockOptions = { ttlMs: 10_000, waitMs: 3_000 };
 * ```
 */
export interface CacheLockOptions {
  /** How long the lease lasts if its holder dies. @default 10000 */
  readonly ttlMs?: number;
  /** How long other instances wait for the holder's value before computing it themselves. @default 5000 */
  readonly waitMs?: number;
  /** Time between reads while waiting. @default 25 */
  readonly pollMs?: number;
}

/**
 * Options of {@link CacheService.getOrSet}.
 *
 * @example
 * ```ts
 * await cache.getOrSet('staff-schedules:week-12', loadWeek, { lock: true, hardTimeoutMs: 2_000 });
 * ```
 */
export interface GetOrSetOptions extends CacheSetOptions {
  /** With a stale value at hand, wait this long for the factory before serving the stale value. @default 0 */
  readonly softTimeoutMs?: number;
  /** Give up on the factory after this long. @default none */
  readonly hardTimeoutMs?: number;
  /** Let one instance compute while the others wait for its value. @default false */
  readonly lock?: boolean | CacheLockOptions;
}
