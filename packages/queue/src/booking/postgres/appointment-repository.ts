import {
  AppointmentId,
  ClinicId,
  PatientId,
  ServiceTypeId,
  StaffId,
  TenantId,
  type AppointmentStatus,
  type CancellationReason,
} from '@carequeue/core';
import { ExclusionViolationError, UniqueViolationError } from '@carequeue/core/sql';
import { IdempotencyInProgressError } from '@carequeue/resilience';
import type {
  AppointmentRepository,
  AppointmentSeat,
  StoredAppointment,
} from '../ports/appointment-repository.js';
import { SlotUnavailableError, StaleVersionError } from '../../errors.js';
import { definedOnly, isoTimestamp, optionalTimestamp } from '../../postgres/sql-values.js';
import { checkFactoryOptions, SqlRepositoryOptionsSchema } from '../../config/factory-options.js';
import { checkedAppointmentRepository } from '../ports/checked-appointment-repository.js';
import type { SqlRepositoryOptions } from '../../postgres/sql-adapter-options.js';

interface AppointmentRow {
  id: string;
  tenant_id: string;
  clinic_id: string;
  patient_id: string;
  staff_id: string;
  service_type_id: string;
  status: AppointmentStatus;
  starts_at: unknown;
  ends_at: unknown;
  hold_expires_at: unknown;
  cancellation_reason: CancellationReason | null;
  cancellation_date: unknown;
  late_cancel: boolean;
  previous_appointment_id: string | null;
  notes: string | null;
  created_at: unknown;
  updated_at: unknown;
  version: number;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  group_slot_id: string | null;
}

interface SeatRow {
  tenant_id: string;
  clinic_id: string;
  group_slot_id: string;
  seat_number: number;
  appointment_id: string;
  patient_id: string;
  created_at: unknown;
}

const COLUMNS = `id, tenant_id, clinic_id, patient_id, staff_id, service_type_id, status, starts_at,
  ends_at, hold_expires_at, cancellation_reason, cancellation_date, late_cancel,
  previous_appointment_id, notes, created_at, updated_at, version, buffer_before_minutes,
  buffer_after_minutes, group_slot_id`;

const SELECT_APPOINTMENT = `SELECT ${COLUMNS} FROM queue.appointments`;

function toAppointment(row: AppointmentRow): StoredAppointment {
  return definedOnly({
    id: AppointmentId.parse(row.id),
    tenantId: TenantId.parse(row.tenant_id),
    clinicId: ClinicId.parse(row.clinic_id),
    patientId: PatientId.parse(row.patient_id),
    staffId: StaffId.parse(row.staff_id),
    serviceTypeId: ServiceTypeId.parse(row.service_type_id),
    status: row.status,
    start: isoTimestamp(row.starts_at),
    end: isoTimestamp(row.ends_at),
    holdExpiresAt: optionalTimestamp(row.hold_expires_at),
    cancellationReason: row.cancellation_reason ?? undefined,
    cancellationDate: optionalTimestamp(row.cancellation_date),
    lateCancel: row.late_cancel,
    previousAppointmentId:
      row.previous_appointment_id === null
        ? undefined
        : AppointmentId.parse(row.previous_appointment_id),
    notes: row.notes ?? undefined,
    createdAt: isoTimestamp(row.created_at),
    updatedAt: isoTimestamp(row.updated_at),
    version: row.version,
    bufferBeforeMinutes: row.buffer_before_minutes,
    bufferAfterMinutes: row.buffer_after_minutes,
    groupSlotId: row.group_slot_id ?? undefined,
  });
}

function toSeat(row: SeatRow): AppointmentSeat {
  return {
    tenantId: TenantId.parse(row.tenant_id),
    clinicId: ClinicId.parse(row.clinic_id),
    groupSlotId: row.group_slot_id,
    seatNumber: row.seat_number,
    appointmentId: AppointmentId.parse(row.appointment_id),
    patientId: PatientId.parse(row.patient_id),
    createdAt: isoTimestamp(row.created_at),
  };
}

/** The row as the write functions of migration 0010 take it: a JSON object of its columns. */
function rowOf(a: StoredAppointment): Record<string, unknown> {
  return {
    id: a.id,
    tenant_id: a.tenantId,
    clinic_id: a.clinicId,
    patient_id: a.patientId,
    staff_id: a.staffId,
    service_type_id: a.serviceTypeId,
    status: a.status,
    starts_at: a.start,
    ends_at: a.end,
    hold_expires_at: a.holdExpiresAt ?? null,
    cancellation_reason: a.cancellationReason ?? null,
    cancellation_date: a.cancellationDate ?? null,
    late_cancel: a.lateCancel,
    previous_appointment_id: a.previousAppointmentId ?? null,
    notes: a.notes ?? null,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    version: a.version,
    buffer_before_minutes: a.bufferBeforeMinutes,
    buffer_after_minutes: a.bufferAfterMinutes,
    group_slot_id: a.groupSlotId ?? null,
  };
}

async function mapOverlap<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error: unknown) {
    // SQLSTATE 23P01 from appointments_no_overlap: the slot is taken.
    if (error instanceof ExclusionViolationError) throw new SlotUnavailableError({ cause: error });
    throw error;
  }
}

/**
 * Options of {@link sqlAppointmentRepository}.
 *
 * @example
 * ```ts
 * const options: SqlAppointmentRepositoryOptions = { executor };
 * ```
 */
export type SqlAppointmentRepositoryOptions = SqlRepositoryOptions;

/**
 * An {@link AppointmentRepository} over core's `SqlExecutor` (Postgres 15+, Supabase, PGlite).
 * Writes go through `queue.insert_appointment`, `queue.update_appointment` and
 * `queue.release_seat` (migration 0010), which apply the booking service's checks to end users
 * and stamp their times with the SQL clock. The exclusion constraint `appointments_no_overlap`
 * refuses double bookings; its SQLSTATE 23P01 becomes {@link SlotUnavailableError}. Seats are numbered by `queue.take_seat` under a
 * transaction-scoped lock per group slot, with the seat table's primary key as the final guard.
 *
 * @example
 * ```ts
 * import { sqlAppointmentRepository } from '@carequeue/queue/postgres';
 *
 * await withClaims(executor, claims, (tx) => sqlAppointmentRepository({ executor: tx }).insert(appointment));
 * ```
 */
export function sqlAppointmentRepository(
  options: SqlAppointmentRepositoryOptions,
): AppointmentRepository {
  checkFactoryOptions('sqlAppointmentRepository', SqlRepositoryOptionsSchema, options);
  const { executor } = options;
  // Two transactions inserting overlapping rows for one staff member at the same moment each
  // find the other's uncommitted row under the exclusion constraint and wait for each other:
  // a deadlock that Postgres breaks only after deadlock_timeout. Writers of one staff member's
  // calendar therefore queue on a transaction-scoped advisory lock first; the constraint stays
  // the guarantee, the lock only turns the deadlock into an ordinary wait and a 23P01.
  const lockCalendar = (tenantId: string, staffId: string) =>
    executor.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `queue.calendar:${tenantId}:${staffId}`,
    ]);
  return checkedAppointmentRepository({
    async insert(appointment) {
      await lockCalendar(appointment.tenantId, appointment.staffId);
      try {
        await mapOverlap(() =>
          executor.query('SELECT queue.insert_appointment($1::jsonb)', [
            JSON.stringify({
              ...rowOf(appointment),
              idempotency_key: appointment.idempotency?.key ?? null,
              idempotency_fingerprint: appointment.idempotency?.fingerprint ?? null,
            }),
          ]),
        );
      } catch (error: unknown) {
        // appointments_idempotency_key_idx: a request with the same key committed first.
        if (
          error instanceof UniqueViolationError &&
          error.constraint === 'appointments_idempotency_key_idx'
        ) {
          throw new IdempotencyInProgressError({ cause: error });
        }
        throw error;
      }
    },
    async update(appointment) {
      await lockCalendar(appointment.tenantId, appointment.staffId);
      const { rows } = await mapOverlap(() =>
        executor.query<{ changed: boolean }>(
          'SELECT queue.update_appointment($1::jsonb) AS changed',
          [JSON.stringify(rowOf(appointment))],
        ),
      );
      if (rows[0]?.changed !== true) throw new StaleVersionError('appointment');
    },
    async get(tenantId, id) {
      const { rows } = await executor.query<AppointmentRow>(
        `${SELECT_APPOINTMENT} WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id],
      );
      return rows[0] === undefined ? undefined : toAppointment(rows[0]);
    },
    async listOccupying(tenantId, staffId, span) {
      const { rows } = await executor.query<AppointmentRow>(
        `${SELECT_APPOINTMENT}
         WHERE tenant_id = $1 AND staff_id = $2
           AND status IN ('pending', 'booked', 'arrived', 'checked-in')
           AND busy_range && tstzrange($3::timestamptz, $4::timestamptz, '[)')
         ORDER BY starts_at, id`,
        [tenantId, staffId, span.start, span.end],
      );
      return rows.map(toAppointment);
    },
    async listBusy(tenantId, staffId, span) {
      const { rows } = await executor.query<
        Pick<
          AppointmentRow,
          | 'starts_at'
          | 'ends_at'
          | 'buffer_before_minutes'
          | 'buffer_after_minutes'
          | 'status'
          | 'hold_expires_at'
          | 'group_slot_id'
          | 'service_type_id'
        >
      >(
        `SELECT starts_at, ends_at, buffer_before_minutes, buffer_after_minutes, status,
           hold_expires_at, group_slot_id, service_type_id
         FROM queue.staff_busy_ranges($1, $2, tstzrange($3::timestamptz, $4::timestamptz, '[)'))`,
        [tenantId, staffId, span.start, span.end],
      );
      return rows.map((row) =>
        definedOnly({
          start: isoTimestamp(row.starts_at),
          end: isoTimestamp(row.ends_at),
          bufferBeforeMinutes: row.buffer_before_minutes,
          bufferAfterMinutes: row.buffer_after_minutes,
          status: row.status,
          holdExpiresAt: optionalTimestamp(row.hold_expires_at),
          groupSlotId: row.group_slot_id ?? undefined,
          serviceTypeId: ServiceTypeId.parse(row.service_type_id),
        }),
      );
    },
    async expireHolds(tenantId, staffId, span, now) {
      await lockCalendar(tenantId, staffId);
      const { rows } = await executor.query<{
        id: string;
        patient_id: string;
        clinic_id: string;
        version: number;
      }>(
        `SELECT id, patient_id, clinic_id, version FROM queue.expire_overlapping_holds(
           $1, $2, tstzrange($3::timestamptz, $4::timestamptz, '[)'), $5::timestamptz)`,
        [tenantId, staffId, span.start, span.end, now],
      );
      return rows.map((row) => ({
        id: AppointmentId.parse(row.id),
        patientId: PatientId.parse(row.patient_id),
        clinicId: ClinicId.parse(row.clinic_id),
        version: row.version,
      }));
    },
    async findByIdempotencyKey(tenantId, key) {
      const { rows } = await executor.query<AppointmentRow & { idempotency_fingerprint: string }>(
        `SELECT ${COLUMNS}, idempotency_fingerprint FROM queue.appointments
         WHERE tenant_id = $1 AND idempotency_key = $2`,
        [tenantId, key],
      );
      const row = rows[0];
      return row === undefined
        ? undefined
        : { appointment: toAppointment(row), fingerprint: row.idempotency_fingerprint };
    },
    async listLapsedHolds(tenantId, clinicId, now, limit) {
      const { rows } = await executor.query<AppointmentRow>(
        `${SELECT_APPOINTMENT}
         WHERE tenant_id = $1 AND clinic_id = $2 AND status = 'pending'
           AND hold_expires_at <= $3::timestamptz
         ORDER BY hold_expires_at, id LIMIT $4`,
        [tenantId, clinicId, now, limit],
      );
      return rows.map(toAppointment);
    },
    async listBookedStartedBy(tenantId, clinicId, startedBy, limit) {
      const { rows } = await executor.query<AppointmentRow>(
        `${SELECT_APPOINTMENT}
         WHERE tenant_id = $1 AND clinic_id = $2 AND status = 'booked' AND starts_at <= $3
         ORDER BY starts_at, id LIMIT $4`,
        [tenantId, clinicId, startedBy, limit],
      );
      return rows.map(toAppointment);
    },
    async takeSeat(seat, capacity) {
      // A definer function numbers the seat, since row-level security hides other patients'
      // seats; it locks the group slot, so concurrent takers never pick the same number.
      const { rows } = await executor.query<{ seat: number | null }>(
        'SELECT queue.take_seat($1, $2, $3, $4, $5) AS seat',
        [seat.tenantId, seat.groupSlotId, seat.appointmentId, capacity, seat.createdAt],
      );
      return rows[0]?.seat ?? undefined;
    },
    async releaseSeat(tenantId, appointmentId) {
      await executor.query('SELECT queue.release_seat($1, $2)', [tenantId, appointmentId]);
    },
    async listSeats(tenantId, groupSlotId) {
      const { rows } = await executor.query<SeatRow>(
        `SELECT tenant_id, clinic_id, group_slot_id, seat_number, appointment_id, patient_id, created_at
         FROM queue.appointment_seats WHERE tenant_id = $1 AND group_slot_id = $2
         ORDER BY seat_number`,
        [tenantId, groupSlotId],
      );
      return rows.map(toSeat);
    },
  });
}
