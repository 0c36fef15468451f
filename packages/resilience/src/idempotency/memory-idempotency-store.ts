import { systemClock, type Clock } from '@carequeue/core';
import type { IdempotencyClaim, IdempotencyStore } from './idempotency-store.js';

/**
 * Options of {@link createMemoryIdempotencyStore}.
 *
 * @example
 * ```ts
 * const options: MemoryIdempotencyStoreOptions = { clock: createFakeClock() };
 * ```
 */
export interface MemoryIdempotencyStoreOptions {
  /** Time source for expiry. @default systemClock */
  readonly clock?: Clock;
}

interface Entry {
  readonly fingerprint: string;
  readonly response: string | undefined;
  readonly expiresAt: number;
}

/**
 * An {@link IdempotencyStore} in process memory, for tests and single-instance services.
 * Expired keys are dropped when next claimed.
 *
 * @example
 * ```ts
 * import { createIdempotency, createMemoryIdempotencyStore } from '@carequeue/resilience';
 *
 * const idempotency = createIdempotency({ store: createMemoryIdempotencyStore() });
 * ```
 */
export function createMemoryIdempotencyStore(
  options: MemoryIdempotencyStoreOptions = {},
): IdempotencyStore {
  const clock = options.clock ?? systemClock;
  const entries = new Map<string, Entry>();
  return {
    claim(key, fingerprint, lockTtlMs) {
      const now = clock.now();
      const entry = entries.get(key);
      let claim: IdempotencyClaim;
      if (entry === undefined || entry.expiresAt <= now) {
        entries.set(key, { fingerprint, response: undefined, expiresAt: now + lockTtlMs });
        claim = { status: 'claimed' };
      } else if (entry.response === undefined) {
        claim = { status: 'pending', fingerprint: entry.fingerprint };
      } else {
        claim = { status: 'completed', fingerprint: entry.fingerprint, response: entry.response };
      }
      return Promise.resolve(claim);
    },
    complete(key, fingerprint, response, ttlMs) {
      entries.set(key, { fingerprint, response, expiresAt: clock.now() + ttlMs });
      return Promise.resolve();
    },
    release(key) {
      entries.delete(key);
      return Promise.resolve();
    },
  };
}
