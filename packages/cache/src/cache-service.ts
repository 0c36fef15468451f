import { randomUUID } from 'node:crypto';
import { metrics, type Meter } from '@opentelemetry/api';
import {
  isCarequeueError,
  silentLogger,
  sleep,
  systemClock,
  type Clock,
  type Logger,
  type TimerHandle,
} from '@carequeue/core';
import { getContext } from '@carequeue/core/context';
import type { FieldEncryptor } from '@carequeue/core/crypto';
import { memoryCacheStore } from './adapters/memory-store.js';
import { BoundedLru } from './bounded-lru.js';
import type { CacheBus, CacheBusMessage } from './cache-bus.js';
import {
  checkCallOptions,
  checkFunction,
  checkGetOrSetOptions,
  checkKeyArgument,
  checkSetOptions,
  checkTags,
  encodedArgument,
} from './call-arguments.js';
import { parseInvalidationPattern, parseKey } from './cache-key.js';
import { checkSubject, isShreddedSubject, withoutSubject } from './data-subject.js';
import { observeCacheMetrics } from './cache-metrics.js';
import {
  emptyCounters,
  snapshotCounters,
  type CacheStats,
  type NamespaceCounters,
} from './cache-stats.js';
import type { CacheStore, StoreAddress, StoreRead } from './cache-store.js';
import { decodeValue, encodeValue } from './codec.js';
import {
  CacheConfigError,
  CacheError,
  CacheFactoryTimeoutError,
  CacheKeyError,
  CacheTenantRequiredError,
} from './errors.js';
import { createKeyHasher, type KeyHasher } from './key-hasher.js';
import { checkServiceOptions } from './service-options.js';
import { defaultNamespaces, type NamespacePolicy } from './namespace-policy.js';

/**
 * Runs shared-tier calls through a circuit breaker; `CircuitBreaker` of `@carequeue/resilience`
 * fits.
 *
 * @example
 * ```ts
 * const guard: StoreGuard = new CircuitBreaker({ name: 'cache-l2', timeoutMs: 500 });
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
  /** Stores `value`; a number is the roadmap's ttl in seconds. */
  set<T>(key: string, value: T, ttl?: number | CacheSetOptions): Promise<void>;
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

interface Resolved {
  readonly namespace: string;
  readonly policy: NamespacePolicy;
  readonly scope: string;
  readonly hashedKey: string;
  readonly l1Key: string;
  readonly baseFields: readonly string[];
  /** The address of the value when no tags are given, built once per key. */
  readonly address: StoreAddress;
  readonly counters: NamespaceCounters;
}

interface L1Entry {
  readonly value: unknown;
  readonly scope: string;
  readonly fields: ReadonlySet<string>;
  readonly sensitive: boolean;
  readonly freshUntil: number;
}

interface L2Value {
  readonly value: unknown;
  readonly text: string;
  readonly freshUntil: number;
  readonly staleUntil: number;
}

interface L2Read {
  readonly stamp: string | undefined;
  readonly fields: readonly string[];
  readonly value: L2Value | undefined;
}

const DEFAULT_L1_ENTRIES = 10_000;
const DEFAULT_L1_BYTES = 64 * 1024 * 1024;
const RESOLVE_MEMO_LIMIT = 50_000;
const TENANT_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
// During an outage every write fails: the counter says how many, one line per namespace and
// interval says that it happens and why, without flooding the log.
const WRITE_FAILURE_LOG_INTERVAL_MS = 10_000;

/** A shared-tier call that changes what the store holds. */
type L2Mutation = 'write' | 'remove' | 'bump';

/**
 * Creates a {@link CacheService}: an in-process LRU (L1) in front of a {@link CacheStore} (L2),
 * kept coherent across instances by a {@link CacheBus}.
 *
 * @throws {@link CacheConfigError} when a shared store is used without `keySecret`, or with a
 * sensitive namespace and no `encryptor`.
 * @example
 * ```ts
 * const cache = createCacheService({
 *   store: redisCacheStore({ client }),
 *   bus: await createRedisCacheBus({ client }),
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
  const { bus, encryptor, guard } = options;
  const logger = options.logger ?? silentLogger;
  const instanceId = options.instanceId ?? randomUUID();
  checkConfig(store, namespaces, options);
  const hash: KeyHasher = createKeyHasher(options.keySecret);
  const tenantOf = options.tenant ?? (() => getContext()?.tenantId);
  const l1 = new BoundedLru<L1Entry>({
    maxEntries: options.l1?.maxEntries ?? DEFAULT_L1_ENTRIES,
    maxBytes: options.l1?.maxBytes ?? DEFAULT_L1_BYTES,
  });
  const counters = new Map<string, NamespaceCounters>(
    Object.keys(namespaces).map((name) => [name, emptyCounters()]),
  );
  // Per tenant, so the hot path looks keys up without building a combined string.
  const resolvedMemo = new Map<string, Map<string, Resolved>>();
  let resolvedCount = 0;
  // With the scope's epoch when the load began: a call made after an invalidation (an erasure
  // above all) must not be handed the result of a load that read the store before it.
  const inFlight = new Map<
    string,
    { readonly epoch: number; readonly loading: Promise<unknown> }
  >();
  // Bumped whenever a scope is invalidated, so a read that raced the invalidation is not
  // promoted into L1 afterwards.
  const scopeEpochs = new Map<string, number>();
  let busDown = bus !== undefined && !bus.connected;

  const epochOf = (scope: string): number => scopeEpochs.get(scope) ?? 0;
  const touchScope = (scope: string): void => {
    scopeEpochs.set(scope, epochOf(scope) + 1);
  };

  // Tenants become part of Redis hash tags and key scopes, so their alphabet is restricted.
  const knownTenants = new Set<string>();
  function tenantFor(call: CacheCallOptions | undefined): string {
    const tenant: unknown = call?.tenant ?? tenantOf();
    if (tenant === undefined || tenant === '') throw new CacheTenantRequiredError();
    if (typeof tenant !== 'string') {
      throw new CacheConfigError(
        'The `tenant` option of createCacheService returned something that is not a string. Return the tenant id, or undefined when there is none.',
      );
    }
    if (!knownTenants.has(tenant)) {
      if (!TENANT_PATTERN.test(tenant)) {
        throw new CacheKeyError('a tenant is 1 to 128 letters, digits, "-" or "_"');
      }
      if (knownTenants.size >= RESOLVE_MEMO_LIMIT) knownTenants.clear();
      knownTenants.add(tenant);
    }
    return tenant;
  }

  function policyOf(namespace: string): NamespacePolicy {
    // Own properties only: `constructor` or `toString` must not pass for a configured namespace.
    const policy = Object.hasOwn(namespaces, namespace) ? namespaces[namespace] : undefined;
    if (policy === undefined) throw new CacheKeyError('the namespace is not configured');
    return policy;
  }

  // A scope names Redis keys (as their Cluster hash tag) and travels on the bus, so the tenant
  // appears in it only as its keyed HMAC. The NUL-led input cannot equal any other hashed text:
  // those start with a tenant or a scope, neither of which can hold a NUL.
  const tenantTag = (tenant: string): string => hash(`\u0000tenant\u0000${tenant}`);
  const scopeName = (tenant: string, namespace: string): string =>
    `${tenantTag(tenant)}:${namespace}`;

  function resolve(key: string, call: CacheCallOptions | undefined): Resolved {
    const tenant = tenantFor(call);
    let byKey = resolvedMemo.get(tenant);
    const memo = byKey?.get(key);
    if (memo !== undefined) return memo;
    const parsed = parseKey(key);
    const policy = policyOf(parsed.namespace);
    const scope = scopeName(tenant, parsed.namespace);
    const hashedKey = hash(`${scope}\u0000${parsed.id}`);
    const baseFields =
      parsed.prefix === undefined ? ['n'] : ['n', `p:${hash(`${scope}\u0000${parsed.prefix}`)}`];
    const resolved: Resolved = {
      namespace: parsed.namespace,
      policy,
      scope,
      hashedKey,
      l1Key: `${scope}\u0000${hashedKey}`,
      baseFields,
      address: { scope, key: hashedKey, fields: baseFields },
      counters: counters.get(parsed.namespace) ?? emptyCounters(),
    };
    if (resolvedCount >= RESOLVE_MEMO_LIMIT) {
      resolvedMemo.clear();
      resolvedCount = 0;
      byKey = undefined;
    }
    if (byKey === undefined) {
      byKey = new Map();
      resolvedMemo.set(tenant, byKey);
    }
    byKey.set(key, resolved);
    resolvedCount += 1;
    return resolved;
  }

  const tagFields = (tenant: string, tags: readonly string[] | undefined): string[] =>
    (tags ?? []).map((tag) => `t:${hash(`${tenant}\u0000${tag}`)}`);

  // One generation field per subject and tenant, moved by eraseSubject in every namespace. The
  // NUL-led input cannot equal a tenant, scope or tag input, as for tenantTag.
  const subjectField = (tenant: string, subject: string): string =>
    `s:${hash(`\u0000subject\u0000${tenant}\u0000${subject}`)}`;

  function addressOf(
    resolved: Resolved,
    tenant: string,
    tags?: readonly string[],
    subject?: string,
  ): StoreAddress {
    if ((tags === undefined || tags.length === 0) && subject === undefined) return resolved.address;
    const fields = [...resolved.baseFields, ...tagFields(tenant, tags)];
    if (subject !== undefined) fields.push(subjectField(tenant, subject));
    return { scope: resolved.scope, key: resolved.hashedKey, fields };
  }

  const usesL1 = (resolved: Resolved): boolean =>
    resolved.policy.l1 !== false && !(busDown && resolved.policy.sensitive === true);

  function readL1(resolved: Resolved): L1Entry | undefined {
    if (!usesL1(resolved)) return undefined;
    const entry = l1.get(resolved.l1Key);
    if (entry === undefined) return undefined;
    if (entry.freshUntil > clock.now()) return entry;
    l1.delete(resolved.l1Key);
    return undefined;
  }

  function writeL1(
    resolved: Resolved,
    fields: readonly string[],
    value: L2Value,
    epoch: number,
  ): void {
    if (!usesL1(resolved) || epochOf(resolved.scope) !== epoch) return;
    l1.set(
      resolved.l1Key,
      {
        value: value.value,
        scope: resolved.scope,
        fields: new Set(fields),
        sensitive: resolved.policy.sensitive === true,
        freshUntil: value.freshUntil,
      },
      value.text.length * 2,
    );
  }

  // A plain promise chain rather than an async function: every L2 call goes through here, and
  // one `then` costs less than an async frame plus its awaits. `next` runs in that same `then`,
  // so a read settles in one step after the store's.
  function timedL2Then<T, R>(
    resolved: Pick<Resolved, 'counters' | 'namespace'>,
    operation: () => Promise<T>,
    next: (result: T | undefined) => R | PromiseLike<R>,
    mutation?: L2Mutation,
  ): Promise<R> {
    const { counters: nsCounters } = resolved;
    const started = performance.now();
    nsCounters.l2Calls += 1;
    let pending: Promise<T>;
    try {
      pending = guard === undefined ? operation() : guard.execute(operation);
    } catch (error: unknown) {
      pending = Promise.reject(error instanceof Error ? error : new CacheError({ cause: error }));
    }
    return pending.then(
      (result) => {
        nsCounters.l2LatencyMs += performance.now() - started;
        return next(result);
      },
      (error: unknown) => {
        nsCounters.errors += 1;
        nsCounters.l2LatencyMs += performance.now() - started;
        if (mutation !== undefined) reportFailedWrite(resolved, mutation, error);
        return next(undefined);
      },
    );
  }

  const failedWriteLog = new Map<string, { at: number; suppressed: number }>();

  // The call goes on without the shared tier (a cache must not fail the request), so this is the
  // only trace of the failure. The line names the namespace and the error code, never the key,
  // the value or the error message (a driver message may quote the command and its arguments).
  function reportFailedWrite(
    resolved: Pick<Resolved, 'counters' | 'namespace'>,
    operation: L2Mutation,
    error: unknown,
  ): void {
    resolved.counters.l2WriteFailures += 1;
    const now = clock.now();
    const last = failedWriteLog.get(resolved.namespace);
    if (last !== undefined && now - last.at < WRITE_FAILURE_LOG_INTERVAL_MS) {
      last.suppressed += 1;
      return;
    }
    failedWriteLog.set(resolved.namespace, { at: now, suppressed: 0 });
    logger.warn(
      {
        namespace: resolved.namespace,
        operation,
        // Anything else thrown is normalised to CacheError's code.
        code: isCarequeueError(error) ? error.code : 'CACHE_FAILED',
        suppressed: last?.suppressed ?? 0,
      },
      'The cache could not write to its shared tier; the call went on without it (`suppressed` failures since the last such line).',
    );
  }

  const same = <T>(result: T): T => result;

  function timedL2<T>(
    resolved: Pick<Resolved, 'counters' | 'namespace'>,
    operation: () => Promise<T>,
    mutation?: L2Mutation,
  ): Promise<T | undefined> {
    return timedL2Then(resolved, operation, same, mutation);
  }

  const cryptoContext = (resolved: Resolved, subject: string | undefined) => ({
    table: 'cache',
    column: resolved.scope,
    rowId: resolved.hashedKey,
    ...(subject === undefined ? {} : { subjectId: subject }),
  });

  // Only the shared tier is sealed: L1 holds plaintext, and erasure drops it through the bus.
  // Resolves to `undefined` when the subject has no data key (it was shredded): then nothing of
  // it may be cached, and a new key must not be created for a copy.
  async function seal(
    resolved: Resolved,
    envelope: string,
    subject: string | undefined,
  ): Promise<string | undefined> {
    if (resolved.policy.sensitive !== true || encryptor === undefined || !store.shared)
      return envelope;
    try {
      return await encryptor.encrypt(envelope, cryptoContext(resolved, subject), {
        createSubjectKey: false,
      });
    } catch (error: unknown) {
      if (isShreddedSubject(error)) return undefined;
      throw error;
    }
  }

  // Synchronous when nothing is encrypted, so a plain L2 hit waits for no extra promise.
  function open(
    resolved: Resolved,
    payload: string,
    subject: string | undefined,
  ): L2Value | undefined | Promise<L2Value | undefined> {
    if (resolved.policy.sensitive !== true || encryptor === undefined || !store.shared) {
      return unwrapOrMiss(resolved, payload);
    }
    return encryptor.decrypt(payload, cryptoContext(resolved, subject)).then(
      (envelope) => unwrapOrMiss(resolved, envelope),
      (error: unknown) => {
        // A shredded subject's value is erased, not damaged. A tampered value, or one copied
        // under another key, is counted; both must read as a miss.
        if (!isShreddedSubject(error)) resolved.counters.errors += 1;
        return undefined;
      },
    );
  }

  // A value that does not decode (written by something else, or damaged) reads as a miss, so
  // the factory replaces it instead of every reader failing on it.
  function unwrapOrMiss(resolved: Resolved, envelope: string): L2Value | undefined {
    try {
      return unwrap(envelope);
    } catch {
      resolved.counters.errors += 1;
      return undefined;
    }
  }

  function unwrap(envelope: string): L2Value {
    const first = envelope.indexOf('|');
    const second = envelope.indexOf('|', first + 1);
    const text = envelope.slice(second + 1);
    return {
      freshUntil: Number(envelope.slice(0, first)),
      staleUntil: Number(envelope.slice(first + 1, second)),
      text,
      value: decodeValue(text, { frozen: true }),
    };
  }

  function graceOf(resolved: Resolved): number {
    return resolved.policy.sensitive === true ? 0 : (resolved.policy.graceMs ?? 0);
  }

  function prepare(
    resolved: Resolved,
    value: unknown,
    ttlMs: number,
  ): { value: L2Value; envelope: string } {
    const text = encodeValue(value);
    const now = clock.now();
    const freshUntil = now + ttlMs;
    const staleUntil = freshUntil + graceOf(resolved);
    return {
      value: { text, freshUntil, staleUntil, value: decodeValue(text, { frozen: true }) },
      envelope: `${freshUntil}|${staleUntil}|${text}`,
    };
  }

  async function writeValue(
    resolved: Resolved,
    address: StoreAddress,
    prepared: { value: L2Value; envelope: string },
    expectedStamp: string | undefined,
    subject: string | undefined,
  ): Promise<L2Value> {
    const epoch = epochOf(resolved.scope);
    const payload = await seal(resolved, prepared.envelope, subject);
    // The subject was shredded: the value goes to the caller and to no tier.
    if (payload === undefined) return prepared.value;
    const physicalTtl = prepared.value.staleUntil - clock.now();
    const written = await timedL2(
      resolved,
      () => store.write(address, payload, physicalTtl, expectedStamp),
      'write',
    );
    // Only a write the shared tier took is a set: one it skipped (an invalidation raced the
    // factory) or that failed (counted in l2WriteFailures) stored nothing there.
    if (written === true) resolved.counters.sets += 1;
    if (written !== false) writeL1(resolved, address.fields, prepared.value, epoch);
    return prepared.value;
  }

  // Called only once the shared tier has confirmed the change, so a peer that drops its copy
  // and reads again cannot find the old value. Not awaited: a published message is only in
  // flight to peers either way, and waiting for the reply would add a round trip to every write.
  function publish(message: Omit<CacheBusMessage, 'origin'>): void {
    if (bus === undefined) return;
    let sent: Promise<void>;
    try {
      sent = bus.publish({ origin: instanceId, ...message });
    } catch {
      return;
    }
    sent.catch(() => {
      // Peers that miss a message still stop serving the value once L2 generations move; L1
      // copies there expire with their ttl.
    });
  }

  function dropLocal(scope: string, fields: readonly string[], keys: readonly string[]): void {
    touchScope(scope);
    for (const key of keys) l1.delete(`${scope}\u0000${key}`);
    // Generation bumps are rare (patterns and tags), so a scan of L1 is cheaper than an index.
    if (fields.length > 0) {
      l1.deleteWhere(
        (entry) => entry.scope === scope && fields.some((field) => entry.fields.has(field)),
      );
    }
  }

  const unsubscribe = bus?.subscribe({
    message(message) {
      if (message.origin === instanceId) return;
      dropLocal(message.scope, message.fields ?? [], message.keys ?? []);
    },
    connection(connected) {
      busDown = !connected;
      // Messages may have been missed while the bus was down: drop sensitive copies at once,
      // and everything on reconnect.
      if (connected) l1.deleteWhere(() => true);
      else l1.deleteWhere((entry) => entry.sensitive);
      for (const scope of scopeEpochs.keys()) touchScope(scope);
    },
  });

  // Synchronous when nothing is encrypted, so a plain L2 hit waits for no extra promise.
  function settleRead(
    resolved: Resolved,
    address: StoreAddress,
    read: StoreRead | undefined,
    subject: string | undefined,
  ): L2Read | Promise<L2Read> {
    const fields = read?.fields ?? address.fields;
    if (read?.payload === undefined) return { stamp: read?.stamp, fields, value: undefined };
    const opened = open(resolved, read.payload, subject);
    return opened instanceof Promise
      ? opened.then((value) => ({ stamp: read.stamp, fields, value }))
      : { stamp: read.stamp, fields, value: opened };
  }

  function readL2(
    resolved: Resolved,
    address: StoreAddress,
    subject: string | undefined,
  ): Promise<L2Read> {
    return timedL2Then(
      resolved,
      () => store.read(address),
      (read) => settleRead(resolved, address, read, subject),
    );
  }

  async function waitForHolder(
    resolved: Resolved,
    address: StoreAddress,
    lock: CacheLockOptions,
    subject: string | undefined,
  ): Promise<L2Value | undefined> {
    const deadline = clock.now() + (lock.waitMs ?? 5_000);
    while (clock.now() < deadline) {
      await sleep(clock, lock.pollMs ?? 25);
      const { value } = await readL2(resolved, address, subject);
      if (value !== undefined && value.freshUntil > clock.now()) return value;
    }
    return undefined;
  }

  async function runFactory<T>(
    resolved: Resolved,
    factory: () => Promise<T> | T,
    hardTimeoutMs: number | undefined,
  ): Promise<T> {
    resolved.counters.factoryCalls += 1;
    const started = performance.now();
    try {
      const result = Promise.resolve().then(factory);
      if (hardTimeoutMs === undefined) return await result;
      return await withTimeout(clock, result, hardTimeoutMs);
    } catch (error: unknown) {
      resolved.counters.errors += 1;
      throw error;
    } finally {
      resolved.counters.factoryLatencyMs += performance.now() - started;
    }
  }

  async function load<T>(
    resolved: Resolved,
    tenant: string,
    factory: () => Promise<T> | T,
    call: GetOrSetOptions,
  ): Promise<T> {
    const address = addressOf(resolved, tenant, call.tags, call.subject);
    const epoch = epochOf(resolved.scope);
    const { stamp, fields, value: stored } = await readL2(resolved, address, call.subject);
    const now = clock.now();
    if (stored !== undefined && stored.freshUntil > now) {
      resolved.counters.l2Hits += 1;
      writeL1(resolved, fields, stored, epoch);
      return stored.value as T;
    }
    const stale = stored !== undefined && stored.staleUntil > now ? stored : undefined;
    const ttlMs = call.ttlMs ?? resolved.policy.ttlMs;
    const lock = call.lock === true ? {} : call.lock === false ? undefined : call.lock;
    const compute = async (): Promise<T> => {
      let token: string | undefined;
      if (lock !== undefined) {
        token = await timedL2(resolved, () =>
          store.acquireLock(resolved.scope, resolved.hashedKey, lock.ttlMs ?? 10_000),
        );
        if (token === undefined) {
          const awaited = await waitForHolder(resolved, address, lock, call.subject);
          if (awaited !== undefined) {
            writeL1(resolved, address.fields, awaited, epoch);
            return awaited.value as T;
          }
        }
      }
      try {
        const fresh = await runFactory(resolved, factory, call.hardTimeoutMs);
        const prepared = prepare(resolved, fresh, ttlMs);
        return (await writeValue(resolved, address, prepared, stamp, call.subject)).value as T;
      } finally {
        if (token !== undefined) {
          const held = token;
          await timedL2(resolved, () =>
            store.releaseLock(resolved.scope, resolved.hashedKey, held),
          );
        }
      }
    };
    if (stale === undefined) {
      resolved.counters.misses += 1;
      return compute();
    }
    resolved.counters.staleHits += 1;
    const refreshing = compute();
    // The refresh keeps running after a stale answer; its failure is already counted.
    refreshing.catch(() => undefined);
    return withTimeout(clock, refreshing, call.softTimeoutMs ?? 0).catch(() => stale.value as T);
  }

  function getFromL2<T>(
    resolved: Resolved,
    address: StoreAddress,
    subject: string | undefined,
  ): Promise<T | undefined> {
    const epoch = epochOf(resolved.scope);
    const finish = ({ fields, value }: L2Read): T | undefined => {
      if (value === undefined || value.freshUntil <= clock.now()) {
        resolved.counters.misses += 1;
        return undefined;
      }
      resolved.counters.l2Hits += 1;
      writeL1(resolved, fields, value, epoch);
      return value.value as T;
    };
    return timedL2Then(
      resolved,
      () => store.read(address),
      (read) => {
        const settled = settleRead(resolved, address, read, subject);
        return settled instanceof Promise ? settled.then(finish) : finish(settled);
      },
    );
  }

  async function bumpScopes(
    tenant: string,
    targets: readonly { readonly namespace: string; readonly fields: readonly string[] }[],
  ): Promise<void> {
    await Promise.all(
      targets.map(async ({ namespace, fields }) => {
        const scope = scopeName(tenant, namespace);
        const nsCounters = counters.get(namespace) ?? emptyCounters();
        nsCounters.invalidations += 1;
        dropLocal(scope, fields, []);
        const generations = await timedL2(
          { counters: nsCounters, namespace },
          () => store.bump(scope, fields),
          'bump',
        );
        publish({ scope, fields, generations: generations ?? [] });
      }),
    );
  }

  const service: CacheService = {
    get<T>(key: string, call?: CacheGetOptions): Promise<T | undefined> {
      // Not async, so an L1 hit costs one resolved promise and no async frame.
      try {
        checkKeyArgument(key, 'key');
        checkCallOptions(call === undefined ? call : withoutSubject(call));
        const resolved = resolve(key, call);
        const entry = readL1(resolved);
        if (entry !== undefined) {
          resolved.counters.l1Hits += 1;
          return Promise.resolve(entry.value as T);
        }
        const subject = call?.subject;
        if (subject === undefined) return getFromL2<T>(resolved, resolved.address, undefined);
        return getFromL2<T>(
          resolved,
          addressOf(resolved, tenantFor(call), undefined, subject),
          subject,
        );
      } catch (error: unknown) {
        return Promise.reject(error instanceof Error ? error : new CacheError({ cause: error }));
      }
    },

    async set<T>(key: string, value: T, ttl?: number | CacheSetOptions): Promise<void> {
      checkKeyArgument(key, 'key');
      checkSetOptions(withoutSubject(ttl));
      const call: CacheSetOptions = typeof ttl === 'number' ? { ttlMs: ttl * 1000 } : (ttl ?? {});
      const resolved = resolve(key, call);
      const tenant = tenantFor(call);
      // Encoded before anything changes, so a value the codec refuses (a cycle, a function)
      // leaves L1, the store and the bus as they were.
      const prepared = encodedArgument(
        () => prepare(resolved, value, call.ttlMs ?? resolved.policy.ttlMs),
        'value',
      );
      touchScope(resolved.scope);
      l1.delete(resolved.l1Key);
      await writeValue(
        resolved,
        addressOf(resolved, tenant, call.tags, call.subject),
        prepared,
        undefined,
        call.subject,
      );
      publish({ scope: resolved.scope, keys: [resolved.hashedKey] });
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
        const resolved = resolve(key, call);
        const entry = readL1(resolved);
        if (entry !== undefined) {
          resolved.counters.l1Hits += 1;
          return Promise.resolve(entry.value as T);
        }
        const pending = inFlight.get(resolved.l1Key);
        const epoch = epochOf(resolved.scope);
        if (pending !== undefined && pending.epoch === epoch) return pending.loading as Promise<T>;
        const started = { epoch, loading: load(resolved, tenantFor(call), factory, call) };
        started.loading
          .finally(() => {
            if (inFlight.get(resolved.l1Key) === started) inFlight.delete(resolved.l1Key);
          })
          .catch(() => undefined);
        inFlight.set(resolved.l1Key, started);
        return started.loading;
      } catch (error: unknown) {
        return Promise.reject(error instanceof Error ? error : new CacheError({ cause: error }));
      }
    },

    async delete(key: string, call?: CacheCallOptions): Promise<void> {
      checkKeyArgument(key, 'key');
      checkCallOptions(call);
      const resolved = resolve(key, call);
      resolved.counters.invalidations += 1;
      dropLocal(resolved.scope, [], [resolved.hashedKey]);
      await timedL2(resolved, () => store.remove(resolved.scope, resolved.hashedKey), 'remove');
      publish({ scope: resolved.scope, keys: [resolved.hashedKey] });
    },

    async invalidate(pattern: string, call?: CacheCallOptions): Promise<void> {
      checkKeyArgument(pattern, 'pattern');
      checkCallOptions(call);
      const parsed = parseInvalidationPattern(pattern);
      const tenant = tenantFor(call);
      switch (parsed.level) {
        case 'key':
          return service.delete(pattern, call);
        case 'tenant':
          return bumpScopes(
            tenant,
            Object.keys(namespaces).map((namespace) => ({ namespace, fields: ['n'] })),
          );
        case 'namespace':
          policyOf(parsed.namespace);
          return bumpScopes(tenant, [{ namespace: parsed.namespace, fields: ['n'] }]);
        case 'prefix': {
          policyOf(parsed.namespace);
          const scope = scopeName(tenant, parsed.namespace);
          return bumpScopes(tenant, [
            {
              namespace: parsed.namespace,
              fields: [`p:${hash(`${scope}\u0000${parsed.prefix}`)}`],
            },
          ]);
        }
      }
    },

    async invalidateTags(tags: readonly string[], call?: CacheCallOptions): Promise<void> {
      checkTags(tags, 'tags');
      checkCallOptions(call);
      const tenant = tenantFor(call);
      const fields = tagFields(tenant, tags);
      if (fields.length === 0) return;
      return bumpScopes(
        tenant,
        Object.keys(namespaces).map((namespace) => ({ namespace, fields })),
      );
    },

    async clear(call?: CacheCallOptions): Promise<void> {
      checkCallOptions(call);
      return service.invalidate('*', call);
    },

    async eraseSubject(subject: string, call?: CacheCallOptions): Promise<void> {
      checkSubject(subject, 'subject');
      checkCallOptions(call);
      const tenant = tenantFor(call);
      const fields = [subjectField(tenant, subject)];
      return bumpScopes(
        tenant,
        Object.keys(namespaces).map((namespace) => ({ namespace, fields })),
      );
    },

    stats(): CacheStats {
      return {
        l1: { entries: l1.size, bytes: l1.bytes },
        namespaces: Object.fromEntries(
          [...counters].map(([name, values]) => [name, snapshotCounters(values)]),
        ),
      };
    },

    close(): void {
      unsubscribe?.();
      stopMetrics();
    },
  };
  const stopMetrics = observeCacheMetrics(
    () => service.stats(),
    options.meter ?? metrics.getMeter('@carequeue/cache'),
  );
  return service;
}

function checkConfig(
  store: CacheStore,
  namespaces: Readonly<Record<string, NamespacePolicy>>,
  options: CacheServiceOptions,
): void {
  for (const name of Object.keys(namespaces)) {
    if (
      name.length === 0 ||
      name.includes(':') ||
      name.includes('*') ||
      name.includes('{') ||
      name.includes('}')
    ) {
      throw new CacheConfigError(
        'Namespace names must be non-empty and contain no ":", "*", "{" or "}".',
      );
    }
  }
  if (!store.shared) return;
  if (options.keySecret === undefined) {
    throw new CacheConfigError(
      'A shared cache store needs `keySecret`, the same on every instance.',
    );
  }
  const sensitive = Object.values(namespaces).some((policy) => policy.sensitive === true);
  if (sensitive && options.encryptor === undefined) {
    throw new CacheConfigError('Sensitive namespaces on a shared store need an `encryptor`.');
  }
}

function withTimeout<T>(clock: Clock, work: Promise<T>, ms: number): Promise<T> {
  let timer: TimerHandle | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => reject(new CacheFactoryTimeoutError(ms)), ms);
  });
  return Promise.race([work, timeout]).finally(() => {
    if (timer !== undefined) clock.clearTimeout(timer);
  });
}
