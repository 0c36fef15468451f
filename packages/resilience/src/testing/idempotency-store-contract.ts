import { randomUUID } from 'node:crypto';
import type { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { createIdempotency } from '../idempotency/idempotency.js';
import type { ContractTestApi } from './contract-api.js';

/**
 * Options of {@link runIdempotencyStoreContract}.
 *
 * @example
 * ```ts
 * const options: IdempotencyStoreContractOptions = { name: 'memory', create: () => createMemoryIdempotencyStore(), describe, it, expect };
 * ```
 */
export interface IdempotencyStoreContractOptions extends ContractTestApi {
  /** Names the suite. */
  readonly name: string;
  /** Returns the store under test; called in each test, after setup hooks ran. */
  readonly create: () => IdempotencyStore;
}

/**
 * Registers the {@link IdempotencyStore} contract: one winner among concurrent claims, pending
 * and completed records with their fingerprints, release, and 100 concurrent requests with one
 * key running the operation once. Each test uses keys of its own, so stores may be shared.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { runIdempotencyStoreContract } from '@carequeue/resilience/testing';
 *
 * runIdempotencyStoreContract({ name: 'redisIdempotencyStore', create: () => store, describe, it, expect });
 * ```
 */
export function runIdempotencyStoreContract(options: IdempotencyStoreContractOptions): void {
  const { describe, it, expect, create } = options;
  const key = (): string => `contract:${randomUUID()}`;

  describe(`${options.name} (IdempotencyStore contract)`, () => {
    it('lets exactly one of several concurrent claims win when they use one key', async () => {
      const store = create();
      const shared = key();
      const claims = await Promise.all(
        Array.from({ length: 20 }, () => store.claim(shared, 'f1', 60_000)),
      );
      expect(claims.filter((claim) => claim.status === 'claimed').length).toBe(1);
      expect(claims.filter((claim) => claim.status === 'pending').length).toBe(19);
    });

    it('returns the stored response and fingerprint when a completed key is claimed', async () => {
      const store = create();
      const done = key();
      await store.claim(done, 'f1', 60_000);
      await store.complete(done, 'f1', '{"id":"b-1"}', 60_000);
      expect(await store.claim(done, 'f2', 60_000)).toEqual({
        status: 'completed',
        fingerprint: 'f1',
        response: '{"id":"b-1"}',
      });
    });

    it('reports the holder fingerprint when the key is still pending', async () => {
      const store = create();
      const held = key();
      await store.claim(held, 'f1', 60_000);
      expect(await store.claim(held, 'f2', 60_000)).toEqual({
        status: 'pending',
        fingerprint: 'f1',
      });
    });

    it('lets a new claim win when the key was released', async () => {
      const store = create();
      const released = key();
      await store.claim(released, 'f1', 60_000);
      await store.release(released);
      expect(await store.claim(released, 'f1', 60_000)).toEqual({ status: 'claimed' });
    });

    it('runs the operation once and gives every caller its response when 100 requests share a key', async () => {
      const idempotency = createIdempotency({ store: create(), pollMs: 5, waitMs: 30_000 });
      const shared = key();
      let runs = 0;
      const responses = await Promise.all(
        Array.from({ length: 100 }, () =>
          idempotency.run(shared, { slot: 'slot-9' }, async () => {
            runs += 1;
            await new Promise((resolve) => setTimeout(resolve, 20));
            return { bookingId: `b-${runs}` };
          }),
        ),
      );
      expect(runs).toBe(1);
      expect(new Set(responses.map((response) => JSON.stringify(response))).size).toBe(1);
      expect(responses[0]).toEqual({ bookingId: 'b-1' });
    });
  });
}
