import type { DeadLetter, DeadLetterFilter, DeadLetterListQuery } from './dead-letter.js';
import {
  deadLetterPageSize,
  decodeDeadLetterCursor,
  encodeDeadLetterCursor,
  type DeadLetterPosition,
} from './dead-letter-page.js';
import type { DeadLetterStore } from './dead-letter-store.js';

function compareByPosition(a: DeadLetterPosition, b: DeadLetterPosition): number {
  if (a.firstFailedAt !== b.firstFailedAt) return a.firstFailedAt - b.firstFailedAt;
  if (a.tenantId !== b.tenantId) return a.tenantId < b.tenantId ? -1 : 1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

function matches(letter: DeadLetter, filter: DeadLetterFilter): boolean {
  return (
    (filter.tenantId === undefined || letter.tenantId === filter.tenantId) &&
    (filter.kind === undefined || letter.kind === filter.kind) &&
    (filter.failedSince === undefined || letter.firstFailedAt >= filter.failedSince) &&
    (filter.failedBefore === undefined || letter.firstFailedAt < filter.failedBefore)
  );
}

/**
 * A {@link DeadLetterStore} in process memory, for tests and single-instance services. Letters
 * are lost when the process ends and payloads are kept as given (not encrypted).
 *
 * @example
 * ```ts
 * import { createDeadLetterQueue, memoryDeadLetterStore } from '@carequeue/resilience';
 *
 * const queue = createDeadLetterQueue({ store: memoryDeadLetterStore() });
 * ```
 */
export function memoryDeadLetterStore(): DeadLetterStore {
  const letters = new Map<string, DeadLetter>();
  const claimed = new Set<string>();
  const keyOf = (letter: { tenantId: string; id: string }): string =>
    JSON.stringify([letter.tenantId, letter.id]);
  const sorted = (): DeadLetter[] => [...letters.values()].sort(compareByPosition);

  return {
    add(failure) {
      const key = keyOf(failure);
      const previous = letters.get(key);
      letters.set(key, {
        id: failure.id,
        tenantId: failure.tenantId,
        kind: failure.kind,
        payload: failure.payload,
        errorCode: failure.errorCode,
        errorMessage: failure.errorMessage,
        attempts: (previous?.attempts ?? 0) + failure.attempts,
        correlationId: failure.correlationId,
        firstFailedAt: previous?.firstFailedAt ?? failure.failedAt,
        lastFailedAt: failure.failedAt,
        replayedAt: undefined,
      });
      return Promise.resolve();
    },

    list(query: DeadLetterListQuery) {
      const limit = deadLetterPageSize(query);
      const after = query.cursor === undefined ? undefined : decodeDeadLetterCursor(query.cursor);
      const status = query.status ?? 'pending';
      const selected = sorted().filter(
        (letter) =>
          matches(letter, query) &&
          (status === 'all' || (status === 'pending') === (letter.replayedAt === undefined)) &&
          (after === undefined || compareByPosition(letter, after) > 0),
      );
      const page = selected.slice(0, limit);
      const last = page.at(-1);
      return Promise.resolve({
        letters: page,
        nextCursor:
          selected.length > limit && last !== undefined ? encodeDeadLetterCursor(last) : undefined,
      });
    },

    async replay(attempt, { filter, maxLetters }) {
      const attempted = new Set<string>();
      let replayed = 0;
      let failed = 0;
      while (attempted.size < maxLetters) {
        const next = sorted().find(
          (letter) =>
            letter.replayedAt === undefined &&
            matches(letter, filter) &&
            !claimed.has(keyOf(letter)) &&
            !attempted.has(keyOf(letter)),
        );
        if (next === undefined) break;
        const key = keyOf(next);
        claimed.add(key);
        attempted.add(key);
        try {
          const outcome = await attempt(next);
          const current = letters.get(key);
          // The letter may have been purged while its attempt ran.
          if (current === undefined) continue;
          if (outcome.replayed) {
            letters.set(key, { ...current, replayedAt: outcome.at });
            replayed += 1;
          } else {
            letters.set(key, {
              ...current,
              attempts: current.attempts + 1,
              lastFailedAt: outcome.at,
              errorCode: outcome.errorCode,
              errorMessage: outcome.errorMessage,
            });
            failed += 1;
          }
        } finally {
          claimed.delete(key);
        }
      }
      return { replayed, failed };
    },

    purge(before) {
      let purged = 0;
      for (const [key, letter] of letters) {
        if (letter.lastFailedAt < before) {
          letters.delete(key);
          purged += 1;
        }
      }
      return Promise.resolve(purged);
    },
  };
}
