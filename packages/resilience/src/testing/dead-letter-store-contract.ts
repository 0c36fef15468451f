import { randomUUID } from 'node:crypto';
import type { DeadLetter, DeadLetterFailure } from '../dead-letter/dead-letter.js';
import type { DeadLetterStore } from '../dead-letter/dead-letter-store.js';
import type { ContractTestApi } from './contract-api.js';

/**
 * Options of {@link runDeadLetterStoreContract}.
 *
 * @example
 * ```ts
 * const options: DeadLetterStoreContractOptions = { name: 'memory', create: () => store, describe, it, expect };
 * ```
 */
export interface DeadLetterStoreContractOptions extends ContractTestApi {
  /** Names the suite. */
  readonly name: string;
  /**
   * Returns a store under test; called in each test, after setup hooks ran, and twice where two
   * replayers compete. Every store it returns must share the same letters.
   */
  readonly create: () => DeadLetterStore;
}

const BASE_TIME = Date.UTC(2026, 0, 1);

function failure(tenantId: string, overrides: Partial<DeadLetterFailure> = {}): DeadLetterFailure {
  return {
    id: randomUUID(),
    tenantId,
    kind: 'sms.reminder',
    payload: '{"appointmentId":"a-1"}',
    errorCode: 'SMS_PROVIDER_UNAVAILABLE',
    errorMessage: 'The SMS provider did not answer.',
    attempts: 3,
    correlationId: 'req-1',
    failedAt: BASE_TIME,
    ...overrides,
  };
}

/**
 * Registers the {@link DeadLetterStore} contract: capture and repeated failures, filters and
 * cursor pages, replay outcomes, two concurrent replayers replaying each letter exactly once,
 * and purge by age. Each test uses a tenant of its own, so stores may be shared.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { runDeadLetterStoreContract } from '@carequeue/resilience/testing';
 *
 * runDeadLetterStoreContract({ name: 'postgresDeadLetterStore', create: () => store, describe, it, expect });
 * ```
 */
export function runDeadLetterStoreContract(options: DeadLetterStoreContractOptions): void {
  const { describe, it, expect, create } = options;

  describe(`${options.name} (DeadLetterStore contract)`, () => {
    it('lists a letter with every captured field when a failure was added', async () => {
      const store = create();
      const tenantId = randomUUID();
      const added = failure(tenantId);
      await store.add(added);
      const page = await store.list({ tenantId });
      expect(page).toEqual({
        letters: [
          {
            id: added.id,
            tenantId,
            kind: 'sms.reminder',
            payload: '{"appointmentId":"a-1"}',
            errorCode: 'SMS_PROVIDER_UNAVAILABLE',
            errorMessage: 'The SMS provider did not answer.',
            attempts: 3,
            correlationId: 'req-1',
            firstFailedAt: BASE_TIME,
            lastFailedAt: BASE_TIME,
            replayedAt: undefined,
          },
        ],
        nextCursor: undefined,
      });
    });

    it('adds up attempts and keeps the first failure time when the same id fails again', async () => {
      const store = create();
      const tenantId = randomUUID();
      const first = failure(tenantId, { correlationId: undefined });
      await store.add(first);
      await store.add({
        ...first,
        attempts: 2,
        errorCode: 'TIMEOUT',
        errorMessage: 'Timed out.',
        failedAt: BASE_TIME + 5_000,
      });
      const [letter] = (await store.list({ tenantId })).letters;
      expect(letter?.attempts).toBe(5);
      expect(letter?.firstFailedAt).toBe(BASE_TIME);
      expect(letter?.lastFailedAt).toBe(BASE_TIME + 5_000);
      expect(letter?.errorCode).toBe('TIMEOUT');
      expect(letter?.correlationId).toBe(undefined);
    });

    it('returns only matching letters when filtering by tenant, kind and first failure time', async () => {
      const store = create();
      const tenantId = randomUUID();
      const otherTenant = randomUUID();
      const early = failure(tenantId, { failedAt: BASE_TIME });
      const late = failure(tenantId, { failedAt: BASE_TIME + 60_000 });
      const ml = failure(tenantId, { kind: 'ml.wait-estimate', failedAt: BASE_TIME + 1_000 });
      await Promise.all([early, late, ml, failure(otherTenant)].map((item) => store.add(item)));
      const ids = async (query: Parameters<DeadLetterStore['list']>[0]): Promise<string[]> =>
        (await store.list(query)).letters.map((letter) => letter.id);

      expect(await ids({ tenantId })).toEqual([early.id, ml.id, late.id]);
      expect(await ids({ tenantId, kind: 'sms.reminder' })).toEqual([early.id, late.id]);
      expect(await ids({ tenantId, failedSince: BASE_TIME + 1_000 })).toEqual([ml.id, late.id]);
      expect(await ids({ tenantId, failedBefore: BASE_TIME + 1_000 })).toEqual([early.id]);
      expect((await ids({ tenantId: otherTenant })).length).toBe(1);
    });

    it('walks every letter once in order when following cursors page by page', async () => {
      const store = create();
      const tenantId = randomUUID();
      const letters = Array.from({ length: 7 }, (_, index) =>
        failure(tenantId, { id: `letter-${index}`, failedAt: BASE_TIME + (index % 3) }),
      );
      await Promise.all(letters.map((item) => store.add(item)));
      const seen: DeadLetter[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({ tenantId, limit: 3, ...(cursor ? { cursor } : {}) });
        seen.push(...page.letters);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      const expected = [...letters]
        .sort((a, b) => a.failedAt - b.failedAt || (a.id < b.id ? -1 : 1))
        .map((item) => item.id);
      expect(seen.map((letter) => letter.id)).toEqual(expected);
    });

    it('marks a letter replayed and lists it as replayed when its attempt succeeds', async () => {
      const store = create();
      const tenantId = randomUUID();
      const added = failure(tenantId);
      await store.add(added);
      const report = await store.replay(
        (letter) => {
          expect(letter.payload).toBe('{"appointmentId":"a-1"}');
          return Promise.resolve({ replayed: true, at: BASE_TIME + 9_000 });
        },
        { filter: { tenantId }, maxLetters: Number.POSITIVE_INFINITY },
      );
      expect(report).toEqual({ replayed: 1, failed: 0 });
      expect((await store.list({ tenantId })).letters).toEqual([]);
      const [replayed] = (await store.list({ tenantId, status: 'replayed' })).letters;
      expect(replayed?.replayedAt).toBe(BASE_TIME + 9_000);
      expect((await store.list({ tenantId, status: 'all' })).letters.length).toBe(1);
    });

    it('keeps a letter pending with one more attempt and the new error when its attempt fails', async () => {
      const store = create();
      const tenantId = randomUUID();
      await store.add(failure(tenantId));
      let calls = 0;
      const report = await store.replay(
        () => {
          calls += 1;
          return Promise.resolve({
            replayed: false,
            at: BASE_TIME + 9_000,
            errorCode: 'TIMEOUT',
            errorMessage: 'Timed out.',
          });
        },
        { filter: { tenantId }, maxLetters: Number.POSITIVE_INFINITY },
      );
      expect(report).toEqual({ replayed: 0, failed: 1 });
      expect(calls).toBe(1);
      const [letter] = (await store.list({ tenantId })).letters;
      expect([letter?.attempts, letter?.lastFailedAt, letter?.errorCode]).toEqual([
        4,
        BASE_TIME + 9_000,
        'TIMEOUT',
      ]);
    });

    it('stops after maxLetters attempts when more letters are pending', async () => {
      const store = create();
      const tenantId = randomUUID();
      await Promise.all(
        [1, 2, 3].map((offset) => store.add(failure(tenantId, { failedAt: BASE_TIME + offset }))),
      );
      const report = await store.replay(
        () => Promise.resolve({ replayed: true, at: BASE_TIME + 9_000 }),
        { filter: { tenantId }, maxLetters: 2 },
      );
      expect(report).toEqual({ replayed: 2, failed: 0 });
      expect((await store.list({ tenantId })).letters.length).toBe(1);
    });

    it('replays each letter exactly once when two replayers run concurrently', async () => {
      const tenantId = randomUUID();
      const writer = create();
      const added = Array.from({ length: 24 }, (_, index) =>
        failure(tenantId, { failedAt: BASE_TIME + index }),
      );
      await Promise.all(added.map((item) => writer.add(item)));
      const successes = new Map<string, number>();
      const attempt = async (letter: DeadLetter) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        successes.set(letter.id, (successes.get(letter.id) ?? 0) + 1);
        return { replayed: true, at: BASE_TIME + 60_000 } as const;
      };
      const replayOptions = { filter: { tenantId }, maxLetters: Number.POSITIVE_INFINITY };
      const reports = await Promise.all([
        create().replay(attempt, replayOptions),
        create().replay(attempt, replayOptions),
      ]);
      expect(reports.reduce((sum, report) => sum + report.replayed, 0)).toBe(24);
      expect(successes.size).toBe(24);
      expect([...successes.values()].every((count) => count === 1)).toBe(true);
      expect((await writer.list({ tenantId })).letters).toEqual([]);
    });

    it('deletes only letters whose last failure is older than the cutoff when purging', async () => {
      const store = create();
      const tenantId = randomUUID();
      // Far in the past, so letters of other tests sharing the store are never purged.
      const ancient = Date.UTC(1990, 0, 1);
      const old = failure(tenantId, { failedAt: ancient });
      const recent = failure(tenantId, { failedAt: ancient + 10_000 });
      await store.add(old);
      await store.add(recent);
      expect(await store.purge(ancient + 5_000)).toBe(1);
      const left = (await store.list({ tenantId, status: 'all' })).letters;
      expect(left.map((letter) => letter.id)).toEqual([recent.id]);
    });
  });
}
