import { randomUUID } from 'node:crypto';
import { IdempotencyClaimLostError, IdempotencyKeyReusedError } from '../errors.js';
import type { IdempotencyClaim, IdempotencyStore } from '../idempotency/idempotency-store.js';
import { createIdempotency } from '../idempotency/idempotency.js';
import type { ContractTestApi } from './contract-api.js';

/**
 * Options of {@link runIdempotencyStoreContract}.
 *
 * @example
 * ```ts
 * const options: IdempotencyStoreContractOptions = { name: 'memory', create: () => memoryIdempotencyStore(), describe, it, expect };
 * ```
 */
export interface IdempotencyStoreContractOptions extends ContractTestApi {
  /** Names the suite. */
  readonly name: string;
  /** Returns the store under test; called in each test, after setup hooks ran. */
  readonly create: () => IdempotencyStore;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Claims expire on the store's own time (Redis server time for Redis), which no fake clock
// reaches, so the fencing tests use 1 ms claims and poll until a new claim wins.
async function claimOnceExpired(
  store: IdempotencyStore,
  key: string,
  fingerprint: string,
): Promise<Extract<IdempotencyClaim, { status: 'claimed' }>> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    await pause(5);
    const claim = await store.claim(key, fingerprint, 60_000);
    if (claim.status === 'claimed') return claim;
  }
  throw new Error(`the 1 ms claim of ${key} never expired`);
}

async function failureOf(pending: Promise<unknown>): Promise<unknown> {
  return pending.then(
    () => undefined,
    (error: unknown) => error,
  );
}

function tokenOf(claim: IdempotencyClaim): string {
  if (claim.status !== 'claimed') throw new Error(`expected a claim, got ${claim.status}`);
  return claim.token;
}

/**
 * Registers the {@link IdempotencyStore} contract: one winner among concurrent claims, pending
 * and completed records with their fingerprints, release, fencing of `complete` and `release` by
 * the claim token (a request whose claim expired and was taken over changes nothing), and 100
 * concurrent requests with one key running the operation once. Each test uses keys of its own,
 * so stores may be shared.
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
      const token = tokenOf(await store.claim(done, 'f1', 60_000));
      await store.complete(done, token, 'f1', '{"id":"b-1"}', 60_000);
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
      await store.release(released, tokenOf(await store.claim(released, 'f1', 60_000)));
      expect((await store.claim(released, 'f1', 60_000)).status).toBe('claimed');
    });

    it('resolves a release when nothing holds the key any more', async () => {
      const store = create();
      const lapsed = key();
      const token = tokenOf(await store.claim(lapsed, 'f1', 1));
      await pause(30);
      await store.release(lapsed, token);
      expect((await store.claim(lapsed, 'f2', 60_000)).status).toBe('claimed');
    });

    it('gives each claim its own token when a key is claimed again after a release', async () => {
      const store = create();
      const shared = key();
      const first = tokenOf(await store.claim(shared, 'f1', 60_000));
      await store.release(shared, first);
      const second = tokenOf(await store.claim(shared, 'f1', 60_000));
      expect(typeof first).toBe('string');
      expect(first.length > 0 && second.length > 0 && first !== second).toBe(true);
    });

    it('rejects complete with a stale token and keeps the new holder when the claim expired and another request claimed the key', async () => {
      const store = create();
      const shared = key();
      const stale = tokenOf(await store.claim(shared, 'f1', 1));
      const current = await claimOnceExpired(store, shared, 'f2');
      const failure = await failureOf(store.complete(shared, stale, 'f1', '{"id":"old"}', 60_000));
      expect(failure instanceof IdempotencyClaimLostError).toBe(true);
      expect(await store.claim(shared, 'f3', 60_000)).toEqual({
        status: 'pending',
        fingerprint: 'f2',
      });
      await store.complete(shared, current.token, 'f2', '{"id":"new"}', 60_000);
      expect(await store.claim(shared, 'f3', 60_000)).toEqual({
        status: 'completed',
        fingerprint: 'f2',
        response: '{"id":"new"}',
      });
    });

    it('rejects release with a stale token and keeps the new holder when the claim expired and another request claimed the key', async () => {
      const store = create();
      const shared = key();
      const stale = tokenOf(await store.claim(shared, 'f1', 1));
      await claimOnceExpired(store, shared, 'f2');
      const failure = await failureOf(store.release(shared, stale));
      expect(failure instanceof IdempotencyClaimLostError).toBe(true);
      expect(await store.claim(shared, 'f3', 60_000)).toEqual({
        status: 'pending',
        fingerprint: 'f2',
      });
    });

    it('rejects a stale complete and keeps the stored response when the new holder already completed', async () => {
      const store = create();
      const shared = key();
      const stale = tokenOf(await store.claim(shared, 'f1', 1));
      const current = await claimOnceExpired(store, shared, 'f2');
      await store.complete(shared, current.token, 'f2', '{"id":"new"}', 60_000);
      const failure = await failureOf(store.complete(shared, stale, 'f1', '{"id":"old"}', 60_000));
      expect(failure instanceof IdempotencyClaimLostError).toBe(true);
      const again = await failureOf(store.complete(shared, current.token, 'f2', '{}', 60_000));
      expect(again instanceof IdempotencyClaimLostError).toBe(true);
      expect(await store.claim(shared, 'f3', 60_000)).toEqual({
        status: 'completed',
        fingerprint: 'f2',
        response: '{"id":"new"}',
      });
    });

    it('stores the response when the claim expired and nobody claimed the key since', async () => {
      const store = create();
      const shared = key();
      const token = tokenOf(await store.claim(shared, 'f1', 1));
      await pause(30);
      await store.complete(shared, token, 'f1', '{"id":"late"}', 60_000);
      expect(await store.claim(shared, 'f1', 60_000)).toEqual({
        status: 'completed',
        fingerprint: 'f1',
        response: '{"id":"late"}',
      });
    });

    it('refuses a retried request with the same key but a different payload when the first one completed (payload mismatch)', async () => {
      const idempotency = createIdempotency({ store: create() });
      const shared = key();
      await idempotency.run(shared, { slot: 'slot-1' }, () =>
        Promise.resolve({ bookingId: 'b-1' }),
      );
      let runs = 0;
      const mismatch = idempotency.run(shared, { slot: 'slot-2' }, () => {
        runs += 1;
        return Promise.resolve({ bookingId: 'b-2' });
      });
      expect((await failureOf(mismatch)) instanceof IdempotencyKeyReusedError).toBe(true);
      expect(runs).toBe(0);
      const replay = await idempotency.run(shared, { slot: 'slot-1' }, () =>
        Promise.resolve({ bookingId: 'b-3' }),
      );
      expect(replay).toEqual({ bookingId: 'b-1' });
    });

    it('refuses a request with the same key but a different payload at once while the first one still runs (payload mismatch)', async () => {
      const idempotency = createIdempotency({ store: create(), pollMs: 5, waitMs: 30_000 });
      const shared = key();
      let finish: (value: { bookingId: string }) => void = () => undefined;
      let started: () => void = () => undefined;
      const running = new Promise<void>((resolve) => (started = resolve));
      const first = idempotency.run(shared, { slot: 'slot-1' }, () => {
        started();
        return new Promise<{ bookingId: string }>((resolve) => (finish = resolve));
      });
      // Only once the first request holds the key is the second one a retry of it.
      await running;
      const mismatch = idempotency.run(shared, { slot: 'slot-2' }, () =>
        Promise.resolve({ bookingId: 'b-2' }),
      );
      expect((await failureOf(mismatch)) instanceof IdempotencyKeyReusedError).toBe(true);
      finish({ bookingId: 'b-1' });
      expect(await first).toEqual({ bookingId: 'b-1' });
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
