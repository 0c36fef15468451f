import {
  AppointmentId,
  ClinicId,
  PatientId,
  ServiceTypeId,
  StaffId,
  TenantId,
} from '@carequeue/core';
import type {
  WaitlistEntry,
  WaitlistRepository,
  WaitlistStatus,
} from '../ports/waitlist-repository.js';
import { StaleVersionError } from '../../errors.js';
import { definedOnly, isoTimestamp, optionalTimestamp } from '../../postgres/sql-values.js';
import { checkFactoryOptions, SqlRepositoryOptionsSchema } from '../../config/factory-options.js';
import { checkedWaitlistRepository } from '../ports/checked-waitlist-repository.js';
import type { SqlRepositoryOptions } from '../../postgres/sql-adapter-options.js';

interface WaitlistRow {
  id: string;
  tenant_id: string;
  clinic_id: string;
  patient_id: string;
  service_type_id: string;
  staff_id: string | null;
  earliest_at: unknown;
  latest_at: unknown;
  status: WaitlistStatus;
  offered_appointment_id: string | null;
  created_at: unknown;
  updated_at: unknown;
  version: number;
}

const COLUMNS = `id, tenant_id, clinic_id, patient_id, service_type_id, staff_id, earliest_at,
  latest_at, status, offered_appointment_id, created_at, updated_at, version`;

function toEntry(row: WaitlistRow): WaitlistEntry {
  return definedOnly({
    id: row.id,
    tenantId: TenantId.parse(row.tenant_id),
    clinicId: ClinicId.parse(row.clinic_id),
    patientId: PatientId.parse(row.patient_id),
    serviceTypeId: ServiceTypeId.parse(row.service_type_id),
    staffId: row.staff_id === null ? undefined : StaffId.parse(row.staff_id),
    earliestAt: optionalTimestamp(row.earliest_at),
    latestAt: optionalTimestamp(row.latest_at),
    status: row.status,
    offeredAppointmentId:
      row.offered_appointment_id === null
        ? undefined
        : AppointmentId.parse(row.offered_appointment_id),
    createdAt: isoTimestamp(row.created_at),
    updatedAt: isoTimestamp(row.updated_at),
    version: row.version,
  });
}

/** The row as the write functions of migration 0010 take it: a JSON object of its columns. */
function rowOf(entry: WaitlistEntry): Record<string, unknown> {
  return {
    id: entry.id,
    tenant_id: entry.tenantId,
    clinic_id: entry.clinicId,
    patient_id: entry.patientId,
    service_type_id: entry.serviceTypeId,
    staff_id: entry.staffId ?? null,
    earliest_at: entry.earliestAt ?? null,
    latest_at: entry.latestAt ?? null,
    status: entry.status,
    offered_appointment_id: entry.offeredAppointmentId ?? null,
    created_at: entry.createdAt,
    updated_at: entry.updatedAt,
    version: entry.version,
  };
}

/**
 * Options of {@link sqlWaitlistRepository}.
 *
 * @example
 * ```ts
 * const options: SqlWaitlistRepositoryOptions = { executor };
 * ```
 */
export type SqlWaitlistRepositoryOptions = SqlRepositoryOptions;

/**
 * A {@link WaitlistRepository} over core's `SqlExecutor`. Writes go through
 * `queue.insert_waitlist_entry` and `queue.update_waitlist_entry` (migration 0010), which apply
 * the booking service's checks to end users. `nextWaiting` locks the entry it returns
 * (`FOR UPDATE SKIP LOCKED`, so only workers call it), so two freed slots are never offered to
 * one entry.
 *
 * @example
 * ```ts
 * import { sqlWaitlistRepository } from '@carequeue/queue/postgres';
 *
 * const waitlist = sqlWaitlistRepository({ executor: tx });
 * ```
 */
export function sqlWaitlistRepository(options: SqlWaitlistRepositoryOptions): WaitlistRepository {
  checkFactoryOptions('sqlWaitlistRepository', SqlRepositoryOptionsSchema, options);
  const { executor } = options;
  return checkedWaitlistRepository({
    async insert(entry) {
      await executor.query('SELECT queue.insert_waitlist_entry($1::jsonb)', [
        JSON.stringify(rowOf(entry)),
      ]);
    },
    async update(entry) {
      const { rows } = await executor.query<{ changed: boolean }>(
        'SELECT queue.update_waitlist_entry($1::jsonb) AS changed',
        [JSON.stringify(rowOf(entry))],
      );
      if (rows[0]?.changed !== true) throw new StaleVersionError('waitlist entry');
    },
    async get(tenantId, id) {
      const { rows } = await executor.query<WaitlistRow>(
        `SELECT ${COLUMNS} FROM queue.waitlist_entries WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id],
      );
      return rows[0] === undefined ? undefined : toEntry(rows[0]);
    },
    async nextWaiting(tenantId, clinicId, serviceTypeId, staffId, start) {
      const { rows } = await executor.query<WaitlistRow>(
        `SELECT ${COLUMNS} FROM queue.waitlist_entries
         WHERE tenant_id = $1 AND clinic_id = $2 AND service_type_id = $3 AND status = 'waiting'
           AND (staff_id IS NULL OR staff_id = $4)
           AND (earliest_at IS NULL OR earliest_at <= $5::timestamptz)
           AND (latest_at IS NULL OR latest_at >= $5::timestamptz)
         ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [tenantId, clinicId, serviceTypeId, staffId, start],
      );
      return rows[0] === undefined ? undefined : toEntry(rows[0]);
    },
    async reopenLapsedOffers(tenantId, holdIds, now) {
      if (holdIds.length === 0) return [];
      const { rows } = await executor.query<{ id: string; patient_id: string; version: number }>(
        `SELECT id, patient_id, version
         FROM queue.reopen_lapsed_offers($1, $2::uuid[], $3::timestamptz)`,
        [tenantId, holdIds, now],
      );
      return rows.map((row) => ({
        id: row.id,
        patientId: PatientId.parse(row.patient_id),
        version: row.version,
      }));
    },
    async findByOffer(tenantId, appointmentId) {
      const { rows } = await executor.query<WaitlistRow>(
        `SELECT ${COLUMNS} FROM queue.waitlist_entries
         WHERE tenant_id = $1 AND offered_appointment_id = $2`,
        [tenantId, appointmentId],
      );
      return rows[0] === undefined ? undefined : toEntry(rows[0]);
    },
  });
}
