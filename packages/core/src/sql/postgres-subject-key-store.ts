import {
  subjectIdIssues,
  subjectKeyListPageIssues,
  subjectKeyRecordIssues,
  subjectKeyReplacementsIssues,
} from '../crypto/argument-checks.js';
import { throwIfIssues } from '../argument-checks.js';
import type {
  SubjectKeyEntry,
  SubjectKeyRecord,
  SubjectKeyStore,
} from '../crypto/subject-key-store.js';
import { ValidationError } from '../errors.js';
import { asServiceRole } from './claims.js';
import type { SqlExecutor } from './executor.js';

/**
 * Options of {@link postgresSubjectKeyStore}.
 *
 * @example
 * ```ts
 * const options: PostgresSubjectKeyStoreOptions = { executor: createPgExecutor({ pool }) };
 * ```
 */
export interface PostgresSubjectKeyStoreOptions {
  /** Runs every statement as `service_role`. */
  readonly executor: SqlExecutor;
}

const TABLE = 'carequeue.subject_keys';

interface KeyRow {
  readonly key_id: string;
  readonly wrapped_key: string;
}

interface EntryRow extends KeyRow {
  readonly subject_id: string;
}

const GET_SQL = `SELECT key_id, wrapped_key FROM ${TABLE} WHERE subject_id = $1`;

// On a conflict the no-op update locks and returns the row that won, even one committed after
// this statement started, which a separate SELECT in the same statement would not see.
const CREATE_IF_ABSENT_SQL = `INSERT INTO ${TABLE} AS held (subject_id, key_id, wrapped_key)
VALUES ($1, $2, $3)
ON CONFLICT (subject_id) DO UPDATE SET key_id = held.key_id
RETURNING key_id, wrapped_key`;

const DESTROY_SQL = `DELETE FROM ${TABLE} WHERE subject_id = $1`;

const LIST_FIRST_SQL = `SELECT subject_id, key_id, wrapped_key FROM ${TABLE}
ORDER BY subject_id LIMIT $1`;

const LIST_AFTER_SQL = `SELECT subject_id, key_id, wrapped_key FROM ${TABLE}
WHERE subject_id > $1 ORDER BY subject_id LIMIT $2`;

// Concurrent batches lock their rows in one order (subject id), so they never deadlock.
const LOCK_FOR_REPLACE_SQL = `SELECT subject_id FROM ${TABLE}
WHERE subject_id = ANY($1::text[]) ORDER BY subject_id FOR UPDATE`;

// Compare-and-set: only rows still holding the record the batch read change. A row deleted
// (erased) since is not there to update, and UPDATE never inserts.
const REPLACE_SQL = `UPDATE ${TABLE} AS stored SET wrapped_key = replacement.wrapped_key
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
  AS replacement(subject_id, key_id, expected, wrapped_key)
WHERE stored.subject_id = replacement.subject_id
  AND stored.key_id = replacement.key_id
  AND stored.wrapped_key = replacement.expected`;

function recordOf(row: KeyRow): SubjectKeyRecord {
  return { keyId: row.key_id, wrappedKey: row.wrapped_key };
}

/**
 * A {@link SubjectKeyStore} in Postgres (or PGlite) over the `SqlExecutor`, in the
 * `carequeue.subject_keys` table of {@link coreMigrations} (`0002_subject_keys.sql`), reachable
 * by `service_role` only. `destroy` deletes the row; `createIfAbsent` is one upsert, so
 * concurrent writers agree on one key; `replaceWrappedKeys` is one compare-and-set `UPDATE` per
 * batch, after locking its rows in subject id order, so a re-wrap racing an erasure never brings
 * the key back and concurrent re-wraps never deadlock.
 *
 * Deleted rows linger in the table's dead tuples until vacuum and in WAL and backups for their
 * retention: the wrapped key there is sealed under the master key, which is why a master key
 * rotation (with the field encryptor's `rewrapSubjectKeys`) and retiring the old key also puts
 * those copies out of reach.
 *
 * @throws `ValidationError` naming the argument when the arguments are invalid, before any
 * statement runs.
 * @throws core's SQL errors (`DatabaseError` and its kin) when the database fails.
 * @example
 * ```ts
 * import { createFieldEncryptor, keyringFromConfig } from '@carequeue/core/crypto';
 * import { createPgExecutor, postgresSubjectKeyStore } from '@carequeue/core/sql';
 *
 * const encryptor = createFieldEncryptor({
 *   keys: keyringFromConfig({ current: 'k2', keys: { k1: process.env.K1!, k2: process.env.K2! } }),
 *   subjectKeys: postgresSubjectKeyStore({ executor: createPgExecutor({ pool }) }),
 * });
 * ```
 */
export function postgresSubjectKeyStore(options: PostgresSubjectKeyStoreOptions): SubjectKeyStore {
  const candidate: unknown = options;
  const executor = (candidate as Partial<PostgresSubjectKeyStoreOptions> | null)?.executor;
  if (typeof executor !== 'object' || executor === null) {
    throw new ValidationError(
      'The options of postgresSubjectKeyStore are invalid. Pass { executor: createPgExecutor(...) }.',
      [{ path: 'options.executor', message: 'must be a SqlExecutor' }],
    );
  }

  return {
    async get(subjectId) {
      throwIfIssues('SubjectKeyStore.get', subjectIdIssues(subjectId, 'subjectId'));
      const { rows } = await asServiceRole(executor, (tx) =>
        tx.query<KeyRow>(GET_SQL, [subjectId]),
      );
      const row = rows[0];
      return row === undefined ? undefined : recordOf(row);
    },

    async createIfAbsent(subjectId, record) {
      throwIfIssues('SubjectKeyStore.createIfAbsent', [
        ...subjectIdIssues(subjectId, 'subjectId'),
        ...subjectKeyRecordIssues(record, 'record'),
      ]);
      const { rows } = await asServiceRole(executor, (tx) =>
        tx.query<KeyRow>(CREATE_IF_ABSENT_SQL, [subjectId, record.keyId, record.wrappedKey]),
      );
      // The upsert returns a row in both outcomes: the one it inserted or the one that won.
      const [row] = rows as [KeyRow];
      return recordOf(row);
    },

    async destroy(subjectId) {
      throwIfIssues('SubjectKeyStore.destroy', subjectIdIssues(subjectId, 'subjectId'));
      await asServiceRole(executor, (tx) => tx.query(DESTROY_SQL, [subjectId]));
    },

    async list(page) {
      throwIfIssues('SubjectKeyStore.list', subjectKeyListPageIssues(page, 'page'));
      const { rows } = await asServiceRole(executor, (tx) =>
        page.after === undefined
          ? tx.query<EntryRow>(LIST_FIRST_SQL, [page.limit])
          : tx.query<EntryRow>(LIST_AFTER_SQL, [page.after, page.limit]),
      );
      return rows.map((row): SubjectKeyEntry => ({ subjectId: row.subject_id, ...recordOf(row) }));
    },

    async replaceWrappedKeys(replacements) {
      throwIfIssues(
        'SubjectKeyStore.replaceWrappedKeys',
        subjectKeyReplacementsIssues(replacements, 'replacements'),
      );
      if (replacements.length === 0) return 0;
      const subjectIds = replacements.map((replacement) => replacement.subjectId);
      const { rowCount } = await asServiceRole(executor, async (tx) => {
        await tx.query(LOCK_FOR_REPLACE_SQL, [subjectIds]);
        return tx.query(REPLACE_SQL, [
          subjectIds,
          replacements.map((replacement) => replacement.expected.keyId),
          replacements.map((replacement) => replacement.expected.wrappedKey),
          replacements.map((replacement) => replacement.wrappedKey),
        ]);
      });
      return rowCount;
    },
  };
}
