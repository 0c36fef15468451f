import type { FieldEncryptor } from '@carequeue/core/crypto';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import { optionsObject } from '../config/options-object.js';
import type { DeadLetter, DeadLetterFilter } from '../dead-letter/dead-letter.js';
import {
  deadLetterPageSize,
  decodeDeadLetterCursor,
  encodeDeadLetterCursor,
} from '../dead-letter/dead-letter-page.js';
import type { DeadLetterStore } from '../dead-letter/dead-letter-store.js';
import { ResilienceStoreError } from '../errors.js';

/**
 * Options of {@link postgresDeadLetterStore}.
 *
 * @example
 * ```ts
 * const options: PostgresDeadLetterStoreOptions = { executor: createPgExecutor({ pool }), encryptor };
 * ```
 */
export interface PostgresDeadLetterStoreOptions {
  /** Runs every statement as `service_role`, as workers do. */
  readonly executor: SqlExecutor;
  /** Encrypts payloads bound to `resilience.dead_letters`, column `payload`, row `<tenantId>/<id>`. */
  readonly encryptor: FieldEncryptor;
}

interface DeadLetterRow {
  tenant_id: string;
  id: string;
  kind: string;
  payload: string;
  error_code: string;
  error_message: string;
  attempts: number;
  correlation_id: string | null;
  first_failed_at: Date;
  last_failed_at: Date;
  replayed_at: Date | null;
}

const TABLE = 'resilience.dead_letters';
const COLUMNS = `tenant_id::text AS tenant_id, id, kind, payload, error_code, error_message, attempts,
  correlation_id, first_failed_at, last_failed_at, replayed_at`;
// Ids compare byte-wise so the order matches the cursor's and the memory store's.
const ORDER = 'first_failed_at, tenant_id, id COLLATE "C"';
const FILTER = `($1::uuid IS NULL OR tenant_id = $1::uuid)
  AND ($2::text IS NULL OR kind = $2::text)
  AND ($3::timestamptz IS NULL OR first_failed_at >= $3::timestamptz)
  AND ($4::timestamptz IS NULL OR first_failed_at < $4::timestamptz)`;

const UPSERT_SQL = `INSERT INTO ${TABLE} (tenant_id, id, kind, payload, error_code, error_message,
  attempts, correlation_id, first_failed_at, last_failed_at)
VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz, $9::timestamptz)
ON CONFLICT (tenant_id, id) DO UPDATE SET kind = excluded.kind, payload = excluded.payload,
  error_code = excluded.error_code, error_message = excluded.error_message,
  attempts = dead_letters.attempts + excluded.attempts, correlation_id = excluded.correlation_id,
  last_failed_at = excluded.last_failed_at, replayed_at = NULL`;

const LIST_SQL = `SELECT ${COLUMNS} FROM ${TABLE}
WHERE ${FILTER}
  AND ($5::text = 'all' OR (replayed_at IS NULL) = ($5::text = 'pending'))
  AND ($6::timestamptz IS NULL
    OR (first_failed_at, tenant_id, id COLLATE "C") > ($6::timestamptz, $7::uuid, $8::text COLLATE "C"))
ORDER BY ${ORDER}
LIMIT $9`;

// SKIP LOCKED hands each pending letter to one replayer; the row lock lasts until the outcome is
// written in the same transaction, so another replayer never sees it pending and unlocked.
const CLAIM_SQL = `SELECT ${COLUMNS} FROM ${TABLE}
WHERE replayed_at IS NULL AND ${FILTER}
  AND NOT (tenant_id::text || '/' || id IN (SELECT jsonb_array_elements_text($5::jsonb)))
ORDER BY ${ORDER}
LIMIT 1
FOR UPDATE SKIP LOCKED`;

const MARK_REPLAYED_SQL = `UPDATE ${TABLE} SET replayed_at = $3::timestamptz
WHERE tenant_id = $1::uuid AND id = $2`;

const RECORD_FAILURE_SQL = `UPDATE ${TABLE} SET attempts = attempts + 1,
  last_failed_at = $3::timestamptz, error_code = $4, error_message = $5
WHERE tenant_id = $1::uuid AND id = $2`;

const PURGE_SQL = `DELETE FROM ${TABLE} WHERE last_failed_at < $1::timestamptz`;

function timeParam(ms: number | undefined): Date | null {
  return ms === undefined ? null : new Date(ms);
}

function filterParams(filter: DeadLetterFilter): unknown[] {
  return [
    filter.tenantId ?? null,
    filter.kind ?? null,
    timeParam(filter.failedSince),
    timeParam(filter.failedBefore),
  ];
}

async function guarded<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error: unknown) {
    throw new ResilienceStoreError('postgres', operation, { cause: error });
  }
}

/**
 * A {@link DeadLetterStore} in Postgres (or PGlite) over core's `SqlExecutor`, in the
 * `resilience.dead_letters` table of {@link resilienceMigrations}. Payloads are encrypted with
 * core's field encryptor; times are the queue's clock times. Replays claim letters with
 * `FOR UPDATE SKIP LOCKED` and write each outcome in the claiming transaction, so concurrent
 * replayers on any number of instances replay each letter once. A replay holds its transaction
 * open while the handler runs: keep handlers bounded with a timeout.
 *
 * @throws `ResilienceStoreError` (`[resilience:postgres]`) from every call when the database fails.
 * @example
 * ```ts
 * import { createPgExecutor } from '@carequeue/core/sql';
 * import { createFieldEncryptor, keyringFromConfig } from '@carequeue/core/crypto';
 * import { createDeadLetterQueue } from '@carequeue/resilience';
 * import { postgresDeadLetterStore } from '@carequeue/resilience/postgres';
 *
 * const encryptor = createFieldEncryptor({ keys: keyringFromConfig(config.fieldKeys) });
 * const store = postgresDeadLetterStore({ executor: createPgExecutor({ pool }), encryptor });
 * const deadLetters = createDeadLetterQueue({ store });
 * ```
 */
export function postgresDeadLetterStore(options: PostgresDeadLetterStoreOptions): DeadLetterStore {
  const { executor, encryptor } = optionsObject('postgresDeadLetterStore options', options);
  optionsObject('postgresDeadLetterStore options.executor', executor);
  const fieldOf = (letter: { tenantId: string; id: string }) => ({
    table: TABLE,
    column: 'payload',
    rowId: `${letter.tenantId}/${letter.id}`,
  });

  async function toLetter(row: DeadLetterRow): Promise<DeadLetter> {
    return {
      id: row.id,
      tenantId: row.tenant_id,
      kind: row.kind,
      payload: await encryptor.decrypt(
        row.payload,
        fieldOf({ tenantId: row.tenant_id, id: row.id }),
      ),
      errorCode: row.error_code,
      errorMessage: row.error_message,
      attempts: row.attempts,
      correlationId: row.correlation_id ?? undefined,
      firstFailedAt: row.first_failed_at.getTime(),
      lastFailedAt: row.last_failed_at.getTime(),
      replayedAt: row.replayed_at?.getTime(),
    };
  }

  return {
    add(failure) {
      return guarded('dead-letter add', async () => {
        const payload = await encryptor.encrypt(failure.payload, fieldOf(failure));
        await asServiceRole(executor, (tx) =>
          tx.query(UPSERT_SQL, [
            failure.tenantId,
            failure.id,
            failure.kind,
            payload,
            failure.errorCode,
            failure.errorMessage,
            failure.attempts,
            failure.correlationId ?? null,
            new Date(failure.failedAt),
          ]),
        );
      });
    },

    async list(query) {
      const limit = deadLetterPageSize(query);
      const after = query.cursor === undefined ? undefined : decodeDeadLetterCursor(query.cursor);
      return guarded('dead-letter list', async () => {
        const { rows } = await asServiceRole(executor, (tx) =>
          tx.query<DeadLetterRow>(LIST_SQL, [
            ...filterParams(query),
            query.status ?? 'pending',
            timeParam(after?.firstFailedAt),
            after?.tenantId ?? null,
            after?.id ?? null,
            limit + 1,
          ]),
        );
        const letters = await Promise.all(rows.slice(0, limit).map(toLetter));
        const last = letters.at(-1);
        return {
          letters,
          nextCursor:
            rows.length > limit && last !== undefined ? encodeDeadLetterCursor(last) : undefined,
        };
      });
    },

    replay(attempt, { filter, maxLetters }) {
      return guarded('dead-letter replay', async () => {
        const attempted: string[] = [];
        let replayed = 0;
        let failed = 0;
        while (attempted.length < maxLetters) {
          const outcome = await asServiceRole(executor, async (tx) => {
            const { rows } = await tx.query<DeadLetterRow>(CLAIM_SQL, [
              ...filterParams(filter),
              JSON.stringify(attempted),
            ]);
            const row = rows[0];
            if (row === undefined) return undefined;
            attempted.push(`${row.tenant_id}/${row.id}`);
            const result = await attempt(await toLetter(row));
            if (result.replayed) {
              await tx.query(MARK_REPLAYED_SQL, [row.tenant_id, row.id, new Date(result.at)]);
            } else {
              await tx.query(RECORD_FAILURE_SQL, [
                row.tenant_id,
                row.id,
                new Date(result.at),
                result.errorCode,
                result.errorMessage,
              ]);
            }
            return result;
          });
          if (outcome === undefined) break;
          if (outcome.replayed) replayed += 1;
          else failed += 1;
        }
        return { replayed, failed };
      });
    },

    purge(before) {
      return guarded('dead-letter purge', async () => {
        const { rowCount } = await asServiceRole(executor, (tx) =>
          tx.query(PURGE_SQL, [new Date(before)]),
        );
        return rowCount;
      });
    },
  };
}
