import {
  subjectIdIssues,
  subjectKeyListPageIssues,
  subjectKeyRecordIssues,
  subjectKeyReplacementsIssues,
} from './argument-checks.js';
import { throwIfIssues } from '../argument-checks.js';

/**
 * A subject's data key as stored: its random id and the key itself, sealed under a master key.
 *
 * @example
 * ```ts
 * const record: SubjectKeyRecord = { keyId: 'Qm9vaz8xYXJk', wrappedKey: 'cq1.k.k2.…' };
 * ```
 */
export interface SubjectKeyRecord {
  /** Random id of this data key; ciphertexts name it so a recreated key is told apart. */
  readonly keyId: string;
  /** The 32-byte data key as a `cq1.k.…` envelope sealed under a master key. */
  readonly wrappedKey: string;
}

/**
 * A stored data key together with the subject it belongs to, as {@link SubjectKeyStore.list}
 * returns it.
 *
 * @example
 * ```ts
 * const entry: SubjectKeyEntry = { subjectId: patientId, keyId: 'Qm9vaz8xYXJk', wrappedKey: 'cq1.k.k2.…' };
 * ```
 */
export interface SubjectKeyEntry extends SubjectKeyRecord {
  /** The subject (usually the patient id) the data key belongs to. */
  readonly subjectId: string;
}

/**
 * Which page of keys {@link SubjectKeyStore.list} returns.
 *
 * @example
 * ```ts
 * const page: SubjectKeyListPage = { after: lastSubjectIdOfPreviousPage, limit: 100 };
 * ```
 */
export interface SubjectKeyListPage {
  /** Start after this subject id (in the store's order); leave out to start at the beginning. */
  readonly after?: string;
  /** At most this many keys: an integer from 1 to 1000. */
  readonly limit: number;
}

/**
 * One re-wrapped data key for {@link SubjectKeyStore.replaceWrappedKeys}.
 *
 * @example
 * ```ts
 * const replacement: SubjectKeyReplacement = { subjectId, expected: entry, wrappedKey: 'cq1.k.k3.…' };
 * ```
 */
export interface SubjectKeyReplacement {
  /** The subject whose data key was re-wrapped. */
  readonly subjectId: string;
  /** The record as it was read before re-wrapping; the replacement applies only if it is still stored. */
  readonly expected: SubjectKeyRecord;
  /** The same data key (same `keyId`) wrapped under another master key. */
  readonly wrappedKey: string;
}

/**
 * Where per-subject data keys are kept. Destroying a subject's key crypto-shreds every value
 * encrypted under it, so the store must really delete it (no soft delete, no copies in backups
 * kept past the retention period).
 *
 * Subject ids are strings of 1 to 256 characters; every method refuses anything else with a
 * `ValidationError`, the same way in every adapter.
 *
 * @example
 * ```ts
 * const store: SubjectKeyStore = memorySubjectKeyStore();
 * await store.destroy(patientId);
 * ```
 */
export interface SubjectKeyStore {
  /** The subject's data key, or `undefined` when it has none (never created, or destroyed). */
  get(subjectId: string): Promise<SubjectKeyRecord | undefined>;
  /**
   * Stores `record` unless the subject already has a key, and returns the key that won, so two
   * writers creating a key at the same time agree on one.
   */
  createIfAbsent(subjectId: string, record: SubjectKeyRecord): Promise<SubjectKeyRecord>;
  /** Deletes the subject's data key for good. Deleting a missing key is a no-op. */
  destroy(subjectId: string): Promise<void>;
  /**
   * One page of stored keys in ascending subject id order, starting after `page.after`: pass the
   * last subject id of a page to get the next one. A short (or empty) page is the last.
   */
  list(page: SubjectKeyListPage): Promise<readonly SubjectKeyEntry[]>;
  /**
   * Stores each replacement's `wrappedKey` only where the subject still holds exactly the
   * `expected` record (same key id and same wrapped key), atomically per subject, and returns how
   * many it stored (at most 1000 replacements per call). It never creates a key: a key destroyed (or destroyed and created again)
   * since it was read stays as it is, so re-wrapping cannot bring an erased key back.
   */
  replaceWrappedKeys(replacements: readonly SubjectKeyReplacement[]): Promise<number>;
}

/**
 * An in-memory {@link SubjectKeyStore} for tests and single-process demos. Keys are lost when the
 * process exits, which makes every subject-encrypted value unreadable: use a durable store in
 * production (`postgresSubjectKeyStore` from `@carequeue/core/sql`).
 *
 * @example
 * ```ts
 * const encryptor = createFieldEncryptor({ keys, subjectKeys: memorySubjectKeyStore() });
 * ```
 */
export function memorySubjectKeyStore(): SubjectKeyStore {
  const records = new Map<string, SubjectKeyRecord>();
  // Bad arguments reject the returned promise, as in a store that does I/O, instead of throwing.
  const settled = <T>(run: () => T): Promise<T> => new Promise((resolve) => resolve(run()));
  return {
    get: (subjectId) =>
      settled(() => {
        throwIfIssues('SubjectKeyStore.get', subjectIdIssues(subjectId, 'subjectId'));
        return records.get(subjectId);
      }),
    createIfAbsent: (subjectId, record) =>
      settled(() => {
        throwIfIssues('SubjectKeyStore.createIfAbsent', [
          ...subjectIdIssues(subjectId, 'subjectId'),
          ...subjectKeyRecordIssues(record, 'record'),
        ]);
        const existing = records.get(subjectId);
        if (existing) return existing;
        const stored = { keyId: record.keyId, wrappedKey: record.wrappedKey };
        records.set(subjectId, stored);
        return stored;
      }),
    destroy: (subjectId) =>
      settled(() => {
        throwIfIssues('SubjectKeyStore.destroy', subjectIdIssues(subjectId, 'subjectId'));
        records.delete(subjectId);
      }),
    list: (page) =>
      settled(() => {
        throwIfIssues('SubjectKeyStore.list', subjectKeyListPageIssues(page, 'page'));
        const { after, limit } = page;
        return [...records]
          .filter(([subjectId]) => after === undefined || subjectId > after)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .slice(0, limit)
          .map(([subjectId, record]) => ({ subjectId, ...record }));
      }),
    replaceWrappedKeys: (replacements) =>
      settled(() => {
        throwIfIssues(
          'SubjectKeyStore.replaceWrappedKeys',
          subjectKeyReplacementsIssues(replacements, 'replacements'),
        );
        let replaced = 0;
        for (const { subjectId, expected, wrappedKey } of replacements) {
          const current = records.get(subjectId);
          if (current?.keyId === expected.keyId && current.wrappedKey === expected.wrappedKey) {
            records.set(subjectId, { keyId: current.keyId, wrappedKey });
            replaced += 1;
          }
        }
        return replaced;
      }),
  };
}
