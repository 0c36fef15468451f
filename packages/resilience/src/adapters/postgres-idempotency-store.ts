import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '@carequeue/core';
import type { FieldEncryptor } from '@carequeue/core/crypto';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import { optionsObject } from '../config/options-object.js';
import { IdempotencyClaimLostError, ResilienceStoreError } from '../errors.js';
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
const CLAIM_SQL = `INSERT INTO ${TABLE} AS held (key, fingerprint, response, expires_at, claim_token)
VALUES ($1, $2, NULL, $3::timestamptz, $5)
ON CONFLICT (key) DO UPDATE SET fingerprint = excluded.fingerprint, response = NULL,
  expires_at = excluded.expires_at, claim_token = excluded.claim_token
WHERE held.expires_at <= $4::timestamptz
RETURNING key`;

const HOLDER_SQL = `SELECT fingerprint, response FROM ${TABLE}
WHERE key = $1 AND expires_at > $2::timestamptz`;

// Fenced by the claim token: the response is stored while the key still holds this claim, or
// when nothing live holds it (the claim expired and nobody claimed again); otherwise no row.
const COMPLETE_SQL = `INSERT INTO ${TABLE} AS held (key, fingerprint, response, expires_at, claim_token)
VALUES ($1, $2, $3, $4::timestamptz, NULL)
ON CONFLICT (key) DO UPDATE SET fingerprint = excluded.fingerprint,
  response = excluded.response, expires_at = excluded.expires_at, claim_token = NULL
WHERE (held.claim_token = $5 AND held.response IS NULL) OR held.expires_at <= $6::timestamptz
RETURNING key`;

const RELEASE_SQL = `DELETE FROM ${TABLE}
WHERE key = $1 AND claim_token = $2 AND response IS NULL`;

const LIVE_SQL = `SELECT 1 FROM ${TABLE} WHERE key = $1 AND expires_at > $2::timestamptz`;

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
 * upsert that stores a random fencing token; storing the response and releasing check that token
 * in the same statement, so a request that outlived its claim changes nothing; responses are encrypted with core's field encryptor; expiry uses the given clock's
 * time. Keys carry no tenant column: scope them by tenant (`${tenantId}:${key}`).
 *
 * @throws `ResilienceStoreError` (`[resilience:postgres]`) from every call when the database fails.
 * @throws `IdempotencyClaimLostError` from `complete` and `release` when another claim took the key over.
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
  const { executor, encryptor } = optionsObject('postgresIdempotencyStore options', options);
  optionsObject('postgresIdempotencyStore options.executor', executor);
  const clock = options.clock ?? systemClock;
  const fieldOf = (key: string) => ({ table: TABLE, column: 'response', rowId: key });

  return {
    claim(key, fingerprint, lockTtlMs) {
      return guarded('idempotency claim', () =>
        asServiceRole(executor, async (tx): Promise<IdempotencyClaim> => {
          for (;;) {
            const now = clock.now();
            const token = randomUUID();
            const claimed = await tx.query(CLAIM_SQL, [
              key,
              fingerprint,
              new Date(now + lockTtlMs),
              new Date(now),
              token,
            ]);
            if (claimed.rowCount > 0) return { status: 'claimed', token };
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

    async complete(key, token, fingerprint, response, ttlMs) {
      const stored = await guarded('idempotency complete', async () => {
        const sealed = await encryptor.encrypt(response, fieldOf(key));
        const now = clock.now();
        const { rowCount } = await asServiceRole(executor, (tx) =>
          tx.query(COMPLETE_SQL, [
            key,
            fingerprint,
            sealed,
            new Date(now + ttlMs),
            token,
            new Date(now),
          ]),
        );
        return rowCount;
      });
      if (stored === 0) throw new IdempotencyClaimLostError();
    },

    async release(key, token) {
      const taken = await guarded('idempotency release', () =>
        asServiceRole(executor, async (tx) => {
          const released = await tx.query(RELEASE_SQL, [key, token]);
          if (released.rowCount > 0) return false;
          // Nothing of this claim to release: fine if the key lapsed, not if another holds it.
          const live = await tx.query(LIVE_SQL, [key, new Date(clock.now())]);
          return live.rows.length > 0;
        }),
      );
      if (taken) throw new IdempotencyClaimLostError();
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
