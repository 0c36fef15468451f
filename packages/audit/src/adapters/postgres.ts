import type { BeforeCommitOptions, SqlExecutor } from '@carequeue/core/sql';
import type { AuditEvent } from '../audit-event.js';
import type { AuditStore, VerifyRange } from '../audit-store.js';
import type { ChainPosition } from '../chain-verifier.js';
import { checkArguments, executorIssues } from '../argument-checks.js';
import { AuditStoreError } from '../errors.js';
import { readChainHead } from './chain-head.js';
import { eventRecordOf, toAuditLog, type EventRow } from './event-row.js';
import {
  checkAppendArguments,
  checkHeadArguments,
  checkSealArguments,
  checkVerifyArguments,
} from './store-arguments.js';
import { verifyChainLinks, type ChainLinkRow } from './verify-chain-links.js';
import {
  encodeCursor,
  resolveTrailQuery,
  type AuditSortField,
  type AuditTrailPage,
  type AuditTrailQuery,
} from '../trail-query.js';
import { checkFactoryOptions, optionsIssues } from '../factory-options.js';

export { auditMigrations } from '../audit-migrations.js';
export { toEventRecord } from './event-row.js';

// Appends go through audit.append_events / audit.append_event (sql/0009): definer functions that
// store a trusted caller's events as given and, for an end user's transaction (withClaims), take
// the tenant, user and time from the verified claims and the SQL clock and apply the patient
// rules. Nobody else may insert into audit.events.
const APPEND_SQL = 'SELECT audit.append_events($1::jsonb)';
// One event (the transactional case) goes as typed parameters: no JSON to build and take apart.
// It is sent as a named prepared statement (see APPEND_OPTIONS), so each connection plans it once.
const APPEND_ONE_SQL = `SELECT audit.append_event($1::uuid, $2::uuid, $3::text, $4::text,
  $5::text, $6::text, $7::text, $8::text, $9::text, $10::jsonb, $11::jsonb, $12::text[], $13::text,
  $14::text, $15::timestamptz, $16::jsonb, $17::text, $18::text, $19::text, $20::text, $21::text,
  $22::text[], $23::text)`;

function jsonParam(value: unknown): string | null {
  return value === null ? null : JSON.stringify(value);
}

function eventParams(event: AuditEvent): unknown[] {
  return [
    event.id,
    event.tenantId,
    event.userId,
    event.category,
    event.action,
    event.resourceType,
    event.resourceId,
    event.patientId,
    event.outcome,
    jsonParam(event.oldValue),
    jsonParam(event.newValue),
    [...event.changedFields],
    event.ipAddress,
    event.userAgent,
    event.timestamp.toISOString(),
    JSON.stringify(event.metadata),
    event.purposeOfUse,
    event.recipient,
    event.disclosureBasis,
    event.sessionId,
    event.correlationId,
    [...event.dataCategories],
    event.retentionClass,
  ];
}

const SORT_EXPRESSIONS: Record<AuditSortField, { expression: string; cast: string }> = {
  timestamp: { expression: 'e."timestamp"', cast: 'to_timestamp(($N)::float8 / 1000)' },
  sequence: {
    expression: `coalesce(c.sequence, ${Number.MAX_SAFE_INTEGER})`,
    cast: '($N)::bigint',
  },
  userId: { expression: `coalesce(e.user_id, '') COLLATE "C"`, cast: '($N)::text COLLATE "C"' },
  category: { expression: `e.category COLLATE "C"`, cast: '($N)::text COLLATE "C"' },
  action: { expression: `e.action COLLATE "C"`, cast: '($N)::text COLLATE "C"' },
  outcome: { expression: `e.outcome COLLATE "C"`, cast: '($N)::text COLLATE "C"' },
  resourceType: { expression: `e.resource_type COLLATE "C"`, cast: '($N)::text COLLATE "C"' },
  resourceId: {
    expression: `coalesce(e.resource_id, '') COLLATE "C"`,
    cast: '($N)::text COLLATE "C"',
  },
  patientId: {
    expression: `coalesce(e.patient_id, '') COLLATE "C"`,
    cast: '($N)::text COLLATE "C"',
  },
  purposeOfUse: {
    expression: `coalesce(e.purpose_of_use, '') COLLATE "C"`,
    cast: '($N)::text COLLATE "C"',
  },
  recipient: {
    expression: `coalesce(e.recipient, '') COLLATE "C"`,
    cast: '($N)::text COLLATE "C"',
  },
  disclosureBasis: {
    expression: `coalesce(e.disclosure_basis, '') COLLATE "C"`,
    cast: '($N)::text COLLATE "C"',
  },
  sessionId: {
    expression: `coalesce(e.session_id, '') COLLATE "C"`,
    cast: '($N)::text COLLATE "C"',
  },
  correlationId: {
    expression: `coalesce(e.correlation_id, '') COLLATE "C"`,
    cast: '($N)::text COLLATE "C"',
  },
  ipAddress: {
    expression: `coalesce(e.ip_address, '') COLLATE "C"`,
    cast: '($N)::text COLLATE "C"',
  },
  retentionClass: { expression: `e.retention_class COLLATE "C"`, cast: '($N)::text COLLATE "C"' },
};

const FILTER_COLUMNS = {
  patientId: 'e.patient_id',
  userId: 'e.user_id',
  category: 'e.category',
  action: 'e.action',
  outcome: 'e.outcome',
  resourceType: 'e.resource_type',
  resourceId: 'e.resource_id',
  purposeOfUse: 'e.purpose_of_use',
  correlationId: 'e.correlation_id',
} as const;

const APPEND_OPTIONS: BeforeCommitOptions = {
  prepare: true,
  mapError: (error) => new AuditStoreError('postgres', 'append', { cause: error }),
};

async function guarded<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error: unknown) {
    throw new AuditStoreError('postgres', operation, { cause: error });
  }
}

/**
 * Writes audit events inside the caller's transaction, so they commit or roll back with the
 * data change they describe. The events are sealed later by `seal`.
 *
 * Inside a transaction the events are queued with `queryBeforeCommit`: they are inserted as the
 * transaction's last statement, sent with COMMIT in one round trip on `pg`, so auditing a change
 * adds no wait of its own. A failed insert fails the commit: the data change rolls back with it
 * and `transaction()` rejects with {@link AuditStoreError}. Outside a transaction they are
 * inserted at once.
 *
 * The database decides what is stored (ADR 0016): events of a trusted caller (the pool's own
 * role or `service_role`) as given; in an end user's transaction (`withClaims`) the tenant and
 * user id come from the claims and the time from the SQL clock, an event naming another tenant or
 * user is refused, and a patient may record only their own reads, exports, changes and sign-ins.
 * A reused event id (another event's id with another time or class) is refused too.
 *
 * @throws {AuditStoreError} when the append fails or is refused (from `transaction()` when queued
 * in one); its cause is the `SqlPermissionDeniedError` or `UniqueViolationError` of the refusal
 * @example
 * ```ts
 * await executor.transaction(async (tx) => {
 *   await tx.query('UPDATE appointments SET status = $1 WHERE id = $2', ['cancelled', id]);
 *   await recordInTransaction(tx, await audit.buildModificationEvent(userId, `Appointment/${id}`, before, after));
 * });
 * ```
 */
export async function recordInTransaction(
  tx: SqlExecutor,
  events: AuditEvent | readonly AuditEvent[],
): Promise<void> {
  checkArguments('recordInTransaction', executorIssues(tx, 'tx'));
  const batch = Array.isArray(events) ? (events as readonly AuditEvent[]) : [events as AuditEvent];
  checkAppendArguments('recordInTransaction', batch);
  await insertEvents(tx, batch);
}

async function insertEvents(tx: SqlExecutor, batch: readonly AuditEvent[]): Promise<void> {
  const [only] = batch;
  if (!only) return;
  if (batch.length === 1) {
    await tx.queryBeforeCommit(APPEND_ONE_SQL, eventParams(only), APPEND_OPTIONS);
    return;
  }
  await tx.queryBeforeCommit(
    APPEND_SQL,
    [JSON.stringify(batch.map(eventRecordOf))],
    APPEND_OPTIONS,
  );
}

/**
 * Options of {@link postgresAuditStore}.
 *
 * @example
 * ```ts
 * postgresAuditStore({ executor: createPgExecutor({ connectionString }) });
 * ```
 */
export interface PostgresAuditStoreOptions {
  /** A `SqlExecutor` on pg or PGlite whose database ran {@link auditMigrations}. */
  readonly executor: SqlExecutor;
}

/**
 * The Postgres {@link AuditStore} over core's `SqlExecutor` (pg pool or PGlite). Sealing and
 * hashing run in SQL (`audit.seal`), so every SQL store shares one implementation.
 *
 * @throws {AuditConfigError} when the options are not `{ executor }` with a `SqlExecutor`
 * @example
 * ```ts
 * import { createPgExecutor } from '@carequeue/core/sql';
 * import { postgresAuditStore } from '@carequeue/audit/postgres';
 *
 * const store = postgresAuditStore({ executor: createPgExecutor({ connectionString }) });
 * await store.seal(tenantId);
 * ```
 */
export function postgresAuditStore(options: PostgresAuditStoreOptions): AuditStore {
  checkFactoryOptions(
    'postgresAuditStore',
    optionsIssues(options, ['executor'], (fields) =>
      executorIssues(fields['executor'], 'options.executor'),
    ),
  );
  const { executor } = options;

  async function head(tenantId: string): Promise<ChainPosition> {
    checkHeadArguments(tenantId);
    return guarded('head', () => readChainHead(executor, tenantId));
  }

  async function query(trail: AuditTrailQuery): Promise<AuditTrailPage> {
    const resolved = resolveTrailQuery(trail);
    const params: unknown[] = [resolved.tenantId];
    const where = ['e.tenant_id = $1'];
    for (const [field, column] of Object.entries(FILTER_COLUMNS)) {
      const value = trail[field as keyof typeof FILTER_COLUMNS];
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    if (trail.from) {
      params.push(trail.from.toISOString());
      where.push(`e."timestamp" >= $${params.length}`);
    }
    if (trail.to) {
      params.push(trail.to.toISOString());
      where.push(`e."timestamp" <= $${params.length}`);
    }
    const sort = SORT_EXPRESSIONS[resolved.sortBy];
    const direction = resolved.order === 'asc' ? 'ASC' : 'DESC';
    if (resolved.after) {
      params.push(resolved.after.key, resolved.after.id);
      const keyParam = sort.cast.replace('$N', `$${params.length - 1}`);
      where.push(
        `(${sort.expression}, e.id) ${resolved.order === 'asc' ? '>' : '<'} (${keyParam}, ($${params.length})::uuid)`,
      );
    }
    params.push(resolved.limit + 1);
    const text = `SELECT e.*, c.sequence, c.payload_hash, c.previous_hash
      FROM audit.events e LEFT JOIN audit.chain c ON c.event_id = e.id
          AND c.event_retention_class = e.retention_class AND c.event_timestamp = e."timestamp"
      WHERE ${where.join(' AND ')}
      ORDER BY ${sort.expression} ${direction}, e.id ${direction}
      LIMIT $${params.length}`;
    const { rows } = await guarded('query', () => executor.query<EventRow>(text, params));
    const items = rows.slice(0, resolved.limit).map(toAuditLog);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > resolved.limit && last
          ? encodeCursor(last, resolved.sortBy, resolved.order)
          : null,
    };
  }

  async function verify(tenantId: string, range: VerifyRange = {}) {
    checkVerifyArguments(tenantId, range);
    return verifyChainLinks(range, async (after, to, limit) => {
      const { rows } = await guarded('verify', () =>
        executor.query<ChainLinkRow>('SELECT * FROM audit.chain_links($1, $2, $3, $4)', [
          tenantId,
          after,
          to,
          limit,
        ]),
      );
      return rows;
    });
  }

  return {
    async append(events) {
      checkAppendArguments('append', events);
      await insertEvents(executor, events);
    },
    async seal(tenantId, limit = 10_000) {
      checkSealArguments(tenantId, limit);
      const { rows } = await guarded('seal', () =>
        executor.query<{ sealed: number }>('SELECT audit.seal($1, $2) AS sealed', [
          tenantId,
          limit,
        ]),
      );
      return Number(rows[0]?.sealed ?? 0);
    },
    query,
    verify,
    head,
  };
}
export * from '../retention/retention-runner.js';
export * from '../retention/legal-hold.js';
export * from '../retention/archive-chain.js';
