import { sleep, type Clock, type TimerHandle } from '@carequeue/core';
import type { CacheLockOptions, GetOrSetOptions } from '../cache-options.js';
import type { CacheStore, StoreAddress } from '../cache-store.js';
import { CacheFactoryTimeoutError } from '../errors.js';
import type { KeyResolver, ResolvedKey } from './key-resolver.js';
import type { L1Tier } from './l1-tier.js';
import type { CachedValue } from './value-envelope.js';
import type { L2Tier } from './l2-tier.js';
import { envelopeValue } from './value-envelope.js';

// What `getOrSet` does after an L1 miss: one load per key at a time on this instance; a fresh
// value of the shared tier is taken as it is; otherwise the factory runs, bounded by its hard
// timeout, under the distributed lock when asked (the others wait for the holder's value), and a
// stale value within its grace is served while the refresh goes on. Internal: the package entry
// does not export this module.

/** Loads values through the shared tier and the factory. */
export interface Loader {
  /**
   * The value of a key missing from L1: the load already running for it, or a new one. A load
   * that began before the scope was invalidated is not shared with a call made after.
   */
  loadOnce<T>(
    resolved: ResolvedKey,
    factory: () => Promise<T> | T,
    call: GetOrSetOptions,
  ): Promise<T>;
}

/** The collaborators of the loader. */
export interface LoaderOptions {
  readonly clock: Clock;
  readonly store: CacheStore;
  readonly keys: KeyResolver;
  readonly l1: L1Tier;
  readonly l2: L2Tier;
}

/** How long a lease lasts when `lock.ttlMs` is not given. */
const DEFAULT_LOCK_TTL_MS = 10_000;
/** How long a waiter waits for the holder when `lock.waitMs` is not given. */
const DEFAULT_LOCK_WAIT_MS = 5_000;
/** How often a waiter reads the shared tier when `lock.pollMs` is not given. */
const DEFAULT_LOCK_POLL_MS = 25;

/**
 * Rejects with {@link CacheFactoryTimeoutError} when `work` takes longer than `timeoutMs`,
 * clearing its timer either way.
 *
 * @example
 * ```ts
 * await rejectAfter(clock, loadSettings(), 2_000);
 * ```
 */
export function rejectAfter<T>(clock: Clock, work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: TimerHandle | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => reject(new CacheFactoryTimeoutError(timeoutMs)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => {
    if (timer !== undefined) clock.clearTimeout(timer);
  });
}

const lockOptionsOf = (lock: GetOrSetOptions['lock']): CacheLockOptions | undefined =>
  lock === true ? {} : lock === false ? undefined : lock;

/**
 * Creates the loader of one cache service.
 *
 * @example
 * ```ts
 * const loader = createLoader({ clock, store, keys, l1, l2 });
 * await loader.loadOnce(resolved, () => repo.settings('main'), { lock: true });
 * ```
 */
export function createLoader(options: LoaderOptions): Loader {
  const { clock, store, keys, l1, l2 } = options;
  // With the scope's epoch when the load began: a call made after an invalidation (an erasure
  // above all) must not be handed the result of a load that read the store before it.
  const inFlight = new Map<
    string,
    { readonly epoch: number; readonly loading: Promise<unknown> }
  >();

  async function waitForHolderValue(
    resolved: ResolvedKey,
    address: StoreAddress,
    lock: CacheLockOptions,
    subject: string | undefined,
  ): Promise<CachedValue | undefined> {
    const deadline = clock.now() + (lock.waitMs ?? DEFAULT_LOCK_WAIT_MS);
    while (clock.now() < deadline) {
      await sleep(clock, lock.pollMs ?? DEFAULT_LOCK_POLL_MS);
      const { value } = await l2.read(resolved, address, subject);
      if (value !== undefined && value.freshUntil > clock.now()) return value;
    }
    return undefined;
  }

  async function runCountedFactory<T>(
    resolved: ResolvedKey,
    factory: () => Promise<T> | T,
    hardTimeoutMs: number | undefined,
  ): Promise<T> {
    resolved.counters.factoryCalls += 1;
    const started = performance.now();
    try {
      const result = Promise.resolve().then(factory);
      if (hardTimeoutMs === undefined) return await result;
      return await rejectAfter(clock, result, hardTimeoutMs);
    } catch (error: unknown) {
      resolved.counters.errors += 1;
      throw error;
    } finally {
      resolved.counters.factoryLatencyMs += performance.now() - started;
    }
  }

  async function computeAndStore<T>(
    resolved: ResolvedKey,
    address: StoreAddress,
    factory: () => Promise<T> | T,
    call: GetOrSetOptions,
    stamp: string | undefined,
    epoch: number,
  ): Promise<T> {
    const lock = lockOptionsOf(call.lock);
    let token: string | undefined;
    if (lock !== undefined) {
      token = await l2.callStore(resolved, () =>
        store.acquireLock(resolved.scope, resolved.hashedKey, lock.ttlMs ?? DEFAULT_LOCK_TTL_MS),
      );
      if (token === undefined) {
        const awaited = await waitForHolderValue(resolved, address, lock, call.subject);
        if (awaited !== undefined) {
          l1.keepIfCurrent(resolved, address.fields, awaited, epoch);
          return awaited.value as T;
        }
      }
    }
    try {
      const fresh = await runCountedFactory(resolved, factory, call.hardTimeoutMs);
      const graceMs = resolved.policy.sensitive === true ? 0 : (resolved.policy.graceMs ?? 0);
      const ttlMs = call.ttlMs ?? resolved.policy.ttlMs;
      const enveloped = envelopeValue(fresh, clock.now(), ttlMs, graceMs);
      return (await l2.writeThrough(resolved, address, enveloped, stamp, call.subject)).value as T;
    } finally {
      if (token !== undefined) {
        const held = token;
        await l2.callStore(resolved, () =>
          store.releaseLock(resolved.scope, resolved.hashedKey, held),
        );
      }
    }
  }

  async function loadThroughSharedTier<T>(
    resolved: ResolvedKey,
    tenant: string,
    factory: () => Promise<T> | T,
    call: GetOrSetOptions,
  ): Promise<T> {
    const address = keys.addressWith(resolved, tenant, call.tags, call.subject);
    const epoch = l1.epochOf(resolved.scope);
    const { stamp, fields, value: stored } = await l2.read(resolved, address, call.subject);
    const now = clock.now();
    if (stored !== undefined && stored.freshUntil > now) {
      resolved.counters.l2Hits += 1;
      l1.keepIfCurrent(resolved, fields, stored, epoch);
      return stored.value as T;
    }
    const stale = stored !== undefined && stored.staleUntil > now ? stored : undefined;
    if (stale === undefined) {
      resolved.counters.misses += 1;
      return computeAndStore(resolved, address, factory, call, stamp, epoch);
    }
    resolved.counters.staleHits += 1;
    const refreshing = computeAndStore(resolved, address, factory, call, stamp, epoch);
    // The refresh keeps running after a stale answer; its failure is already counted.
    refreshing.catch(() => undefined);
    return rejectAfter(clock, refreshing, call.softTimeoutMs ?? 0).catch(() => stale.value as T);
  }

  return {
    loadOnce<T>(resolved: ResolvedKey, factory: () => Promise<T> | T, call: GetOrSetOptions) {
      const pending = inFlight.get(resolved.l1Key);
      const epoch = l1.epochOf(resolved.scope);
      if (pending !== undefined && pending.epoch === epoch) return pending.loading as Promise<T>;
      const started = {
        epoch,
        loading: loadThroughSharedTier(resolved, keys.tenantOfCall(call), factory, call),
      };
      started.loading
        .finally(() => {
          if (inFlight.get(resolved.l1Key) === started) inFlight.delete(resolved.l1Key);
        })
        .catch(() => undefined);
      inFlight.set(resolved.l1Key, started);
      return started.loading;
    },
  };
}
