import {
  AppointmentId,
  ClinicId,
  PatientId,
  QueueEntryId,
  QueueId,
  ServiceTypeId,
  StaffId,
  TenantId,
  type QueueEntrySource,
  type QueueEntryStatus,
} from '@carequeue/core';
import { UniqueViolationError } from '@carequeue/core/sql';
import { definedOnly, isoTimestamp, optionalTimestamp } from '../../postgres/sql-values.js';
import type { QueueEntryRepository } from '../ports/queue-entry-repository.js';
import type { StoredQueueEntry } from '../queue-entry-record.js';
import type { QueueEvent, QueueEventType } from '../ports/queue-event.js';
import { AlreadyQueuedError, QueueClinicMismatchError } from '../walk-in-errors.js';
import { checkedQueueEntryRepository } from '../ports/checked-queue-entry-repository.js';
import { checkFactoryOptions, SqlRepositoryOptionsSchema } from '../../config/factory-options.js';
import type { SqlRepositoryOptions } from '../../postgres/sql-adapter-options.js';

interface EntryRow {
  id: string;
  tenant_id: string;
  clinic_id: string;
  queue_id: string;
  patient_id: string | null;
  appointment_id: string | null;
  service_type_id: string | null;
  source: QueueEntrySource;
  status: QueueEntryStatus;
  priority: number;
  ordering_key: unknown;
  ticket: string;
  guest_name: string | null;
  recall_count: number;
  counter: string | null;
  called_by: string | null;
  checked_in_at: unknown;
  effective_at: unknown;
  called_at: unknown;
  first_called_at: unknown;
  service_started_at: unknown;
  ended_at: unknown;
  transferred_to_entry_id: string | null;
  transferred_from_entry_id: string | null;
  updated_at: unknown;
  version: number;
}

interface EventRow {
  tenant_id: string;
  clinic_id: string;
  queue_id: string;
  entry_id: string;
  version: unknown;
  type: QueueEventType;
  from_status: QueueEntryStatus | null;
  to_status: QueueEntryStatus;
  entry_version: number;
  occurred_at: unknown;
}

const COLUMNS = `id, tenant_id, clinic_id, queue_id, patient_id, appointment_id, service_type_id,
  source, status, priority, ordering_key, ticket, guest_name, recall_count, counter, called_by,
  checked_in_at, effective_at, called_at, first_called_at, service_started_at, ended_at, transferred_to_entry_id,
  transferred_from_entry_id, updated_at, version`;

const SELECT_ENTRY = `SELECT ${COLUMNS} FROM queue.queue_entries`;

const EVENT_COLUMNS = `tenant_id, clinic_id, queue_id, entry_id, version, type, from_status,
  to_status, entry_version, occurred_at`;

const optional = <T>(value: string | null, parse: (raw: string) => T): T | undefined =>
  value === null ? undefined : parse(value);

function toEntry(row: EntryRow): StoredQueueEntry {
  return definedOnly({
    id: QueueEntryId.parse(row.id),
    tenantId: TenantId.parse(row.tenant_id),
    clinicId: ClinicId.parse(row.clinic_id),
    queueId: QueueId.parse(row.queue_id),
    patientId: optional(row.patient_id, (v) => PatientId.parse(v)),
    appointmentId: optional(row.appointment_id, (v) => AppointmentId.parse(v)),
    serviceTypeId: optional(row.service_type_id, (v) => ServiceTypeId.parse(v)),
    source: row.source,
    status: row.status,
    priority: row.priority,
    orderingKey: Number(row.ordering_key),
    ticket: row.ticket,
    guestName: row.guest_name ?? undefined,
    recallCount: row.recall_count,
    counter: row.counter ?? undefined,
    calledBy: optional(row.called_by, (v) => StaffId.parse(v)),
    checkedInAt: isoTimestamp(row.checked_in_at),
    effectiveAt: isoTimestamp(row.effective_at),
    calledAt: optionalTimestamp(row.called_at),
    firstCalledAt: optionalTimestamp(row.first_called_at),
    serviceStartedAt: optionalTimestamp(row.service_started_at),
    endedAt: optionalTimestamp(row.ended_at),
    transferredToEntryId: optional(row.transferred_to_entry_id, (v) => QueueEntryId.parse(v)),
    transferredFromEntryId: optional(row.transferred_from_entry_id, (v) => QueueEntryId.parse(v)),
    updatedAt: isoTimestamp(row.updated_at),
    version: row.version,
  });
}

/** The row as the write functions of migration 0011 take it: a JSON object of its columns. */
function rowOf(entry: StoredQueueEntry): Record<string, unknown> {
  return {
    id: entry.id,
    tenant_id: entry.tenantId,
    clinic_id: entry.clinicId,
    queue_id: entry.queueId,
    patient_id: entry.patientId ?? null,
    appointment_id: entry.appointmentId ?? null,
    service_type_id: entry.serviceTypeId ?? null,
    source: entry.source,
    status: entry.status,
    priority: entry.priority,
    ordering_key: entry.orderingKey,
    ticket: entry.ticket,
    guest_name: entry.guestName ?? null,
    recall_count: entry.recallCount,
    counter: entry.counter ?? null,
    called_by: entry.calledBy ?? null,
    checked_in_at: entry.checkedInAt,
    effective_at: entry.effectiveAt,
    called_at: entry.calledAt ?? null,
    first_called_at: entry.firstCalledAt ?? null,
    service_started_at: entry.serviceStartedAt ?? null,
    ended_at: entry.endedAt ?? null,
    transferred_to_entry_id: entry.transferredToEntryId ?? null,
    transferred_from_entry_id: entry.transferredFromEntryId ?? null,
    updated_at: entry.updatedAt,
    version: entry.version,
  };
}

function toEvent(row: EventRow): QueueEvent {
  return definedOnly({
    tenantId: TenantId.parse(row.tenant_id),
    clinicId: ClinicId.parse(row.clinic_id),
    queueId: QueueId.parse(row.queue_id),
    entryId: QueueEntryId.parse(row.entry_id),
    version: Number(row.version),
    type: row.type,
    fromStatus: row.from_status ?? undefined,
    toStatus: row.to_status,
    entryVersion: row.entry_version,
    occurredAt: isoTimestamp(row.occurred_at),
  });
}

/**
 * Options of {@link sqlQueueEntryRepository}.
 *
 * @example
 * ```ts
 * const options: SqlQueueEntryRepositoryOptions = { executor: tx };
 * ```
 */
export type SqlQueueEntryRepositoryOptions = SqlRepositoryOptions;

/**
 * A {@link QueueEntryRepository} over `queue.queue_lines`, `queue.queue_entries` and
 * `queue.queue_events` (migration 0004), for Postgres and PGlite. Entries are written through
 * `queue.insert_queue_entry`, `queue.update_queue_entry` and `queue.call_next_entry`
 * (migration 0011), which keep end users to the walk-in state machine, and events through
 * `queue.append_queue_events` (migration 0014), which accepts from end users only events that
 * describe their entries as they now stand. Call-next is one
 * statement: `UPDATE ... FROM (SELECT ... ORDER BY ordering_key, id LIMIT 1 FOR UPDATE SKIP
 * LOCKED)`. Event versions come from the line row, which stays locked until commit.
 *
 * @example
 * ```ts
 * import { sqlQueueEntryRepository } from '@carequeue/queue/postgres';
 *
 * const entries = sqlQueueEntryRepository({ executor: tx });
 * ```
 */
export function sqlQueueEntryRepository(
  options: SqlQueueEntryRepositoryOptions,
): QueueEntryRepository {
  checkFactoryOptions('sqlQueueEntryRepository', SqlRepositoryOptionsSchema, options);
  const { executor } = options;

  return checkedQueueEntryRepository({
    async nextTicket(tenantId, clinicId, queueId, at) {
      const { rows } = await executor.query<{ last_ticket: unknown }>(
        `INSERT INTO queue.queue_lines AS line (tenant_id, queue_id, clinic_id, last_ticket, created_at)
         VALUES ($1, $2, $3, 1, $4)
         ON CONFLICT (tenant_id, queue_id) DO UPDATE SET last_ticket = line.last_ticket + 1
           WHERE line.clinic_id = EXCLUDED.clinic_id
         RETURNING last_ticket`,
        [tenantId, queueId, clinicId, at],
      );
      const row = rows[0];
      if (row === undefined) throw new QueueClinicMismatchError();
      return Number(row.last_ticket);
    },

    async lockLines(tenantId, queueIds) {
      // ORDER BY with FOR UPDATE locks the rows as they come out of the sort: always in the same
      // order, whichever way the caller listed the queues.
      await executor.query(
        `SELECT queue_id FROM queue.queue_lines
         WHERE tenant_id = $1 AND queue_id = ANY($2::uuid[])
         ORDER BY queue_id
         FOR UPDATE`,
        [tenantId, [...new Set(queueIds)]],
      );
    },

    async insert(entry) {
      try {
        await executor.query('SELECT queue.insert_queue_entry($1::jsonb)', [
          JSON.stringify(rowOf(entry)),
        ]);
      } catch (error) {
        if (error instanceof UniqueViolationError) throw new AlreadyQueuedError({ cause: error });
        throw error;
      }
    },

    async get(tenantId, id) {
      const { rows } = await executor.query<EntryRow>(
        `${SELECT_ENTRY} WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id],
      );
      const row = rows[0];
      return row === undefined ? undefined : toEntry(row);
    },

    async update(entry) {
      const { rows } = await executor.query<{ changed: boolean }>(
        'SELECT queue.update_queue_entry($1::jsonb) AS changed',
        [JSON.stringify(rowOf(entry))],
      );
      return rows[0]?.changed === true;
    },

    async claimNext(claim) {
      const { rows } = await executor.query<EntryRow>(
        `SELECT ${COLUMNS} FROM queue.call_next_entry($1, $2, $3, $4, $5, $6)`,
        [
          claim.tenantId,
          claim.queueId,
          claim.clinicId,
          claim.at,
          claim.counter ?? null,
          claim.calledBy ?? null,
        ],
      );
      const row = rows[0];
      return row === undefined ? undefined : toEntry(row);
    },

    async listLive(tenantId, queueId) {
      const { rows } = await executor.query<EntryRow>(
        `${SELECT_ENTRY}
         WHERE tenant_id = $1 AND queue_id = $2 AND status IN ('waiting', 'away', 'called', 'in_service')
         ORDER BY ordering_key, id`,
        [tenantId, queueId],
      );
      return rows.map(toEntry);
    },

    async countAhead(entry) {
      const { rows } = await executor.query<{ ahead: unknown }>(
        `SELECT count(*) AS ahead FROM queue.queue_entries
         WHERE tenant_id = $1 AND queue_id = $2 AND status = 'waiting'
           AND (ordering_key, id) < ($3::bigint, $4::uuid)`,
        [entry.tenantId, entry.queueId, entry.orderingKey, entry.id],
      );
      return Number(rows[0]?.ahead ?? 0);
    },

    async listCheckedInBetween(tenantId, clinicId, from, to) {
      const { rows } = await executor.query<EntryRow>(
        `${SELECT_ENTRY}
         WHERE tenant_id = $1 AND clinic_id = $2 AND checked_in_at >= $3 AND checked_in_at < $4
         ORDER BY checked_in_at, ordering_key, id`,
        [tenantId, clinicId, from, to],
      );
      return rows.map(toEntry);
    },

    async listCalledBefore(tenantId, queueId, calledBefore) {
      const { rows } = await executor.query<EntryRow>(
        `${SELECT_ENTRY}
         WHERE tenant_id = $1 AND queue_id = $2 AND status = 'called' AND called_at < $3
         ORDER BY ordering_key, id`,
        [tenantId, queueId, calledBefore],
      );
      return rows.map(toEntry);
    },

    async appendEvents(pending) {
      const appended: QueueEvent[] = [];
      const queueOf = (event: (typeof pending)[number]): string =>
        `${event.tenantId}/${event.queueId}`;
      // One line row per queue, taken in a fixed order so two transfers cannot deadlock.
      // queue.append_queue_events (migration 0014) bumps the line's version and inserts the
      // events in one call: the row stays locked until commit.
      const queues = [...new Set(pending.map(queueOf))].sort();
      for (const queue of queues) {
        const indexes = pending.flatMap((event, index) =>
          queueOf(event) === queue ? [index] : [],
        );
        const batch = indexes.map((index) => pending[index] as (typeof pending)[number]);
        const [tenantId, queueId] = queue.split('/');
        const rows = batch.map((event) => ({
          clinic_id: event.clinicId,
          entry_id: event.entryId,
          type: event.type,
          from_status: event.fromStatus ?? null,
          to_status: event.toStatus,
          entry_version: event.entryVersion,
          occurred_at: event.occurredAt,
        }));
        const { rows: inserted } = await executor.query<EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM queue.append_queue_events($1, $2, $3::jsonb)`,
          [tenantId, queueId, JSON.stringify(rows)],
        );
        if (inserted.length !== batch.length) {
          throw new Error('The queue line must exist before its events.');
        }
        // Versions follow the batch order, so the k-th lowest version is the k-th event.
        const byVersion = inserted.map(toEvent).sort((a, b) => a.version - b.version);
        indexes.forEach((index, k) => {
          appended[index] = byVersion[k] as QueueEvent;
        });
      }
      return appended;
    },

    async listEvents(tenantId, queueId, afterVersion, limit) {
      const { rows } = await executor.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM queue.queue_events
         WHERE tenant_id = $1 AND queue_id = $2 AND version > $3
         ORDER BY version LIMIT $4`,
        [tenantId, queueId, afterVersion, limit],
      );
      return rows.map(toEvent);
    },
  });
}
