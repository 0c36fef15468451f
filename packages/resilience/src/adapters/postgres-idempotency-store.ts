import { systemClock, type Clock } from '@carequeue/core';
import type { FieldEncryptor } from '@carequeue/core/crypto';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import { ResilienceStoreError } from '../errors.js';
import type { IdempotencyClaim, IdempotencyStore } from '../idempotency/idempotency-store.js';

/**
 * Options of {@link postgresIdempotencyStore}.
 *
 * @example
 * ```ts
 * const options: PostgresIdempotencyStoreOptions = { executor: createPgExecutor({ pool }), encryptor };
 * ```
 */
export interface PostgresIdempotencyStoreOptions {
  /** Runs every statement as `service_role`. */
  readonly executor: SqlExecutor;
  /** Encrypts stored responses bound to `resilience.idempotency_keys`, column `response`, row `key`. */
  readonly encryptor: FieldEncryptor;
  /** Time source of expiry, passed into SQL. @default systemClock */
  readonly clock?: Clock;
}

/**
 * An {@link IdempotencyStore} in Postgres, with a way to delete expired keys.
 *
 * @example
 * ```ts
 * const store: PostgresIdempotencyStore = postgresIdempotencyStore({ executor, encryptor });
 * await store.deleteExpired();
 * ```
 */
export interface PostgresIdempotencyStore extends IdempotencyStore {
  /** Deletes keys whose claim or response expired; returns how many. Run it on a schedule. */
  deleteExpired(): Promise<number>;
}

const TABLE = 'resilience.idempotency_keys';

// Of concurrent inserts of one key exactly one inserts; the others take the conflict path, where
// the WHERE clause sees the winner's row and returns nothing unless that row has expired.
const CLAIM_SQL = `INSERT INTO ${TABLE} AS held (key, fingerprint, response, expires_at)
VALUES ($1, $2, NULL, $3::timestamptz)
ON CONFLICT (key) DO UPDATE SET fingerprint = excluded.fingerprint, response = NULL,
  expires_at = excluded.expires_at
WHERE held.expires_at <= $4::timestamptz
RETURNING key`;

const HOLDER_SQL = `SELECT fingerprint, response FROM ${TABLE}
WHERE key = $1 AND expires_at > $2::timestamptz`;

const COMPLETE_SQL = `INSERT INTO ${TABLE} (key, fingerprint, response, expires_at)
VALUES ($1, $2, $3, $4::timestamptz)
ON CONFLICT (key) DO UPDATE SET fingerprint = excluded.fingerprint,
  response = excluded.response, expires_at = excluded.expires_at`;

const RELEASE_SQL = `DELETE FROM ${TABLE} WHERE key = $1`;

const DELETE_EXPIRED_SQL = `DELETE FROM ${TABLE} WHERE expires_at <= $1::timestamptz`;

async function guarded<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error: unknown) {
    throw new ResilienceStoreError('postgres', operation, { cause: error });
  }
}

/**
 * An {@link IdempotencyStore} in Postgres (or PGlite) over core's `SqlExecutor`, in the
 * `resilience.idempotency_keys` table of {@link resilienceMigrations}. A claim is one atomic
 * upsert; responses are encrypted with core's field encryptor; expiry uses the given clock's
 * time. Keys carry no tenant column: scope them by tenant (`${tenantId}:${key}`).
 *
 * @throws {@link ResilienceStoreError} (`[resilience:postgres]`) from every call when the database fails.
 * @example
 * ```ts
 * import { createIdempotency } from '@carequeue/resilience';
 * import { postgresIdempotencyStore } from '@carequeue/resilience/postgres';
 *
 * const idempotency = createIdempotency({ store: postgresIdempotencyStore({ executor, encryptor }) });
 * const booking = await idempotency.run(`${tenantId}:${key}`, body, () => bookings.create(body));
 * ```
 */
export function postgresIdempotencyStore(
  options: PostgresIdempotencyStoreOptions,
): PostgresIdempotencyStore {
  const { executor, encryptor } = options;
  const clock = options.clock ?? systemClock;
  const fieldOf = (key: string) => ({ table: TABLE, column: 'response', rowId: key });

  return {
    claim(key, fingerprint, lockTtlMs) {
      return guarded('idempotency claim', () =>
        asServiceRole(executor, async (tx): Promise<IdempotencyClaim> => {
          for (;;) {
            const now = clock.now();
            const claimed = await tx.query(CLAIM_SQL, [
              key,
              fingerprint,
              new Date(now + lockTtlMs),
              new Date(now),
            ]);
            if (claimed.rowCount > 0) return { status: 'claimed' };
            const { rows } = await tx.query<{ fingerprint: string; response: string | null }>(
              HOLDER_SQL,
              [key, new Date(now)],
            );
            const holder = rows[0];
            // Released or expired between the two statements: claim again.
            if (holder === undefined) continue;
            if (holder.response === null) {
              return { status: 'pending', fingerprint: holder.fingerprint };
            }
            return {
              status: 'completed',
              fingerprint: holder.fingerprint,
              response: await encryptor.decrypt(holder.response, fieldOf(key)),
            };
          }
        }),
      );
    },

    complete(key, fingerprint, response, ttlMs) {
      return guarded('idempotency complete', async () => {
        const sealed = await encryptor.encrypt(response, fieldOf(key));
        await asServiceRole(executor, (tx) =>
          tx.query(COMPLETE_SQL, [key, fingerprint, sealed, new Date(clock.now() + ttlMs)]),
        );
      });
    },

    release(key) {
      return guarded('idempotency release', async () => {
        await asServiceRole(executor, (tx) => tx.query(RELEASE_SQL, [key]));
      });
    },

    deleteExpired() {
      return guarded('idempotency delete-expired', async () => {
        const { rowCount } = await asServiceRole(executor, (tx) =>
          tx.query(DELETE_EXPIRED_SQL, [new Date(clock.now())]),
        );
        return rowCount;
      });
    },
  };
}
