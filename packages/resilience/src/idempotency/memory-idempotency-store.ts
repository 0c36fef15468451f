import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '@carequeue/core';
import { optionsObject } from '../config/options-object.js';
import { IdempotencyClaimLostError } from '../errors.js';
import type { IdempotencyClaim, IdempotencyStore } from './idempotency-store.js';

/**
 * Options of {@link memoryIdempotencyStore}.
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
  /** The claim's fencing token while pending; `undefined` once a response is stored. */
  readonly token: string | undefined;
  readonly response: string | undefined;
  readonly expiresAt: number;
}

/**
 * An {@link IdempotencyStore} in process memory, for tests and single-instance services.
 * Expired keys are dropped when next claimed.
 *
 * @example
 * ```ts
 * import { createIdempotency, memoryIdempotencyStore } from '@carequeue/resilience';
 *
 * const idempotency = createIdempotency({ store: memoryIdempotencyStore() });
 * ```
 */
export function memoryIdempotencyStore(
  options: MemoryIdempotencyStoreOptions = {},
): IdempotencyStore {
  const clock = optionsObject('memoryIdempotencyStore options', options).clock ?? systemClock;
  const entries = new Map<string, Entry>();
  // Whether the key may be completed or released by the claim with `token`: it holds the key, or
  // nothing live does.
  const heldBy = (key: string, token: string, now: number): Entry | undefined | false => {
    const entry = entries.get(key);
    if (entry === undefined || entry.expiresAt <= now) return undefined;
    return entry.token === token ? entry : false;
  };
  return {
    claim(key, fingerprint, lockTtlMs) {
      const now = clock.now();
      const entry = entries.get(key);
      let claim: IdempotencyClaim;
      if (entry === undefined || entry.expiresAt <= now) {
        const token = randomUUID();
        entries.set(key, { fingerprint, token, response: undefined, expiresAt: now + lockTtlMs });
        claim = { status: 'claimed', token };
      } else if (entry.response === undefined) {
        claim = { status: 'pending', fingerprint: entry.fingerprint };
      } else {
        claim = { status: 'completed', fingerprint: entry.fingerprint, response: entry.response };
      }
      return Promise.resolve(claim);
    },
    complete(key, token, fingerprint, response, ttlMs) {
      const now = clock.now();
      if (heldBy(key, token, now) === false) {
        return Promise.reject(new IdempotencyClaimLostError());
      }
      entries.set(key, { fingerprint, token: undefined, response, expiresAt: now + ttlMs });
      return Promise.resolve();
    },
    release(key, token) {
      const held = heldBy(key, token, clock.now());
      if (held === false) return Promise.reject(new IdempotencyClaimLostError());
      entries.delete(key);
      return Promise.resolve();
    },
  };
}
