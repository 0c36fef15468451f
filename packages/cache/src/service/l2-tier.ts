import type { Clock } from '@carequeue/core';
import type { StoreGuard } from '../cache-options.js';
import type { CacheStore, StoreAddress, StoreRead } from '../cache-store.js';
import { CacheError } from '../errors.js';
import type { FailedWriteReporter, StoreMutation } from './failed-write-log.js';
import type { CountedNamespace, ResolvedKey } from './key-resolver.js';
import type { L1Tier } from './l1-tier.js';
import type { CachedValue, EnvelopedValue } from './value-envelope.js';
import type { ValueSealing } from './value-sealing.js';

// The shared tier as the service sees it: every store call is counted and timed, runs through
// the guard (a circuit breaker), and never fails the call: a failed read is a miss and a failed
// write is reported and skipped. What it stores is kept in L1 as well. Internal: the package
// entry does not export this module.

/** What a read of the shared tier found. */
export interface SharedRead {
  /** The stamp to pass back to a write, so an invalidation that raced it is not undone. */
  readonly stamp: string | undefined;
  /** The generation fields the value was written with. */
  readonly fields: readonly string[];
  /** The value, when one was stored and opens; it may be past its freshness. */
  readonly value: CachedValue | undefined;
}

/** The shared tier of one cache service. */
export interface L2Tier {
  /**
   * Runs a store call, counted, timed and guarded; `undefined` when it failed (a mutation's
   * failure is also reported).
   */
  callStore<T>(
    namespace: CountedNamespace,
    operation: () => Promise<T>,
    mutation?: StoreMutation,
  ): Promise<T | undefined>;
  /** Reads the value at `address` and hands it to `next` in the same promise step. */
  readThen<R>(
    resolved: ResolvedKey,
    address: StoreAddress,
    subject: string | undefined,
    next: (read: SharedRead) => R,
  ): Promise<R>;
  /** Reads the value at `address`. */
  read(
    resolved: ResolvedKey,
    address: StoreAddress,
    subject: string | undefined,
  ): Promise<SharedRead>;
  /**
   * Seals and stores a value, then keeps it in L1 unless the store skipped it (an invalidation
   * raced it) or the scope was invalidated meanwhile. Resolves to the value either way.
   */
  writeThrough(
    resolved: ResolvedKey,
    address: StoreAddress,
    enveloped: EnvelopedValue,
    expectedStamp: string | undefined,
    subject: string | undefined,
  ): Promise<CachedValue>;
}

/** The collaborators of the shared tier. */
export interface L2TierOptions {
  readonly store: CacheStore;
  readonly guard: StoreGuard | undefined;
  readonly clock: Clock;
  readonly l1: L1Tier;
  readonly sealing: ValueSealing;
  readonly reportFailedWrite: FailedWriteReporter;
}

const passThrough = <T>(result: T): T => result;

/**
 * Creates the shared tier of one cache service.
 *
 * @example
 * ```ts
 * const l2 = createL2Tier({ store, guard, clock, l1, sealing, reportFailedWrite });
 * const { value } = await l2.read(resolved, resolved.address, undefined);
 * ```
 */
export function createL2Tier(options: L2TierOptions): L2Tier {
  const { store, guard, clock, l1, sealing, reportFailedWrite } = options;

  // A plain promise chain rather than an async function: every L2 call goes through here, and
  // one `then` costs less than an async frame plus its awaits. `next` runs in that same `then`,
  // so a read settles in one step after the store's.
  function callStoreThen<T, R>(
    namespace: CountedNamespace,
    operation: () => Promise<T>,
    next: (result: T | undefined) => R | PromiseLike<R>,
    mutation?: StoreMutation,
  ): Promise<R> {
    const { counters } = namespace;
    const started = performance.now();
    counters.l2Calls += 1;
    let pending: Promise<T>;
    try {
      pending = guard === undefined ? operation() : guard.execute(operation);
    } catch (error: unknown) {
      pending = Promise.reject(error instanceof Error ? error : new CacheError({ cause: error }));
    }
    return pending.then(
      (result) => {
        counters.l2LatencyMs += performance.now() - started;
        return next(result);
      },
      (error: unknown) => {
        counters.errors += 1;
        counters.l2LatencyMs += performance.now() - started;
        if (mutation !== undefined) reportFailedWrite(namespace, mutation, error);
        return next(undefined);
      },
    );
  }

  // Synchronous when nothing is sealed, so a plain L2 hit waits for no extra promise.
  function openStoreRead(
    resolved: ResolvedKey,
    address: StoreAddress,
    read: StoreRead | undefined,
    subject: string | undefined,
  ): SharedRead | Promise<SharedRead> {
    const fields = read?.fields ?? address.fields;
    if (read?.payload === undefined) return { stamp: read?.stamp, fields, value: undefined };
    const opened = sealing.open(resolved, read.payload, subject);
    return opened instanceof Promise
      ? opened.then((value) => ({ stamp: read.stamp, fields, value }))
      : { stamp: read.stamp, fields, value: opened };
  }

  return {
    callStore(namespace, operation, mutation) {
      return callStoreThen(namespace, operation, passThrough, mutation);
    },
    readThen(resolved, address, subject, next) {
      return callStoreThen(
        resolved,
        () => store.read(address),
        (read) => {
          const opened = openStoreRead(resolved, address, read, subject);
          return opened instanceof Promise ? opened.then(next) : next(opened);
        },
      );
    },
    read(resolved, address, subject) {
      return callStoreThen(
        resolved,
        () => store.read(address),
        (read) => openStoreRead(resolved, address, read, subject),
      );
    },
    async writeThrough(resolved, address, enveloped, expectedStamp, subject) {
      const epoch = l1.epochOf(resolved.scope);
      const payload = await sealing.seal(resolved, enveloped.envelope, subject);
      // The subject was shredded: the value goes to the caller and to no tier.
      if (payload === undefined) return enveloped.cached;
      const physicalTtlMs = enveloped.cached.staleUntil - clock.now();
      const written = await callStoreThen(
        resolved,
        () => store.write(address, payload, physicalTtlMs, expectedStamp),
        passThrough,
        'write',
      );
      // Only a write the shared tier took is a set: one it skipped (an invalidation raced the
      // factory) or that failed (counted in l2WriteFailures) stored nothing there.
      if (written === true) resolved.counters.sets += 1;
      if (written !== false) l1.keepIfCurrent(resolved, address.fields, enveloped.cached, epoch);
      return enveloped.cached;
    },
  };
}
