import type { AppointmentId, StaffId, TenantId } from '@carequeue/core';
import { IdempotencyInProgressError } from '@carequeue/resilience';
import { definedOnly } from '../../defined-only.js';
import { SlotUnavailableError, StaleVersionError } from '../../errors.js';
import {
  appointmentBusyRange,
  appointmentsConflict,
  occupiesSlot,
} from '../appointment-busy-range.js';
import type {
  AppointmentRepository,
  AppointmentSeat,
  StoredAppointment,
  TimeSpan,
} from '../ports/appointment-repository.js';
import { checkedAppointmentRepository } from '../ports/checked-appointment-repository.js';

/**
 * An {@link AppointmentRepository} that can return to an earlier state, so an in-memory unit of
 * work rolls back like a transaction.
 *
 * @example
 * ```ts
 * const restore = repo.checkpoint();
 * restore(); // back to the state at the checkpoint
 * ```
 */
export interface MemoryAppointmentRepository extends AppointmentRepository {
  /** Remembers the current state and returns a function that restores it. */
  checkpoint(): () => void;
}

/**
 * An in-memory {@link AppointmentRepository} enforcing the same no-overlap rule as the SQL
 * exclusion constraint. Returned records are copies.
 *
 * @example
 * ```ts
 * import { memoryAppointmentRepository } from '@carequeue/queue';
 *
 * const appointments = memoryAppointmentRepository();
 * ```
 */
export function memoryAppointmentRepository(): MemoryAppointmentRepository {
  let rows = new Map<string, StoredAppointment>();
  let seats = new Map<string, AppointmentSeat>();
  /** Idempotency bindings by `tenant:key`. */
  let keys = new Map<string, { id: string; fingerprint: string }>();
  const seatKey = (tenantId: string, groupSlotId: string, seatNumber: number): string =>
    `${tenantId}:${groupSlotId}:${seatNumber}`;

  function assertNoConflict(candidate: StoredAppointment): void {
    for (const other of rows.values()) {
      if (other.id !== candidate.id && appointmentsConflict(candidate, other)) {
        throw new SlotUnavailableError();
      }
    }
  }

  function occupying(tenantId: TenantId, staffId: StaffId, span: TimeSpan): StoredAppointment[] {
    const from = Date.parse(span.start);
    const to = Date.parse(span.end);
    return [...rows.values()]
      .filter(
        (row) => row.tenantId === tenantId && row.staffId === staffId && occupiesSlot(row.status),
      )
      .filter((row) => {
        const busy = appointmentBusyRange(row);
        return busy.start < to && from < busy.end;
      })
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  }

  return checkedAppointmentRepository({
    checkpoint() {
      const savedRows = new Map(rows);
      const savedSeats = new Map(seats);
      const savedKeys = new Map(keys);
      return () => {
        rows = savedRows;
        seats = savedSeats;
        keys = savedKeys;
      };
    },
    insert({ idempotency, ...appointment }) {
      if (rows.has(appointment.id)) {
        return Promise.reject(new StaleVersionError('appointment'));
      }
      const bound =
        idempotency === undefined ? undefined : `${appointment.tenantId}:${idempotency.key}`;
      if (bound !== undefined && keys.has(bound)) {
        return Promise.reject(new IdempotencyInProgressError());
      }
      assertNoConflict(appointment);
      rows.set(appointment.id, { ...appointment });
      if (bound !== undefined) {
        keys.set(bound, { id: appointment.id, fingerprint: idempotency!.fingerprint });
      }
      return Promise.resolve();
    },
    update(appointment) {
      const current = rows.get(appointment.id);
      if (
        current?.tenantId !== appointment.tenantId ||
        current.version !== appointment.version - 1
      ) {
        return Promise.reject(new StaleVersionError('appointment'));
      }
      assertNoConflict(appointment);
      rows.set(appointment.id, { ...appointment });
      return Promise.resolve();
    },
    get(tenantId, id) {
      const found = rows.get(id);
      return Promise.resolve(found?.tenantId === tenantId ? { ...found } : undefined);
    },
    listOccupying(tenantId: TenantId, staffId: StaffId, span: TimeSpan) {
      return Promise.resolve(occupying(tenantId, staffId, span).map((row) => ({ ...row })));
    },
    listBusy(tenantId, staffId, span) {
      return Promise.resolve(
        occupying(tenantId, staffId, span).map((row) =>
          definedOnly({
            start: row.start,
            end: row.end,
            bufferBeforeMinutes: row.bufferBeforeMinutes,
            bufferAfterMinutes: row.bufferAfterMinutes,
            status: row.status,
            holdExpiresAt: row.holdExpiresAt,
            groupSlotId: row.groupSlotId,
            serviceTypeId: row.serviceTypeId,
          }),
        ),
      );
    },
    expireHolds(tenantId, staffId, span, now) {
      const from = Date.parse(span.start);
      const to = Date.parse(span.end);
      const nowMs = Date.parse(now);
      const expired = [];
      for (const row of rows.values()) {
        if (row.tenantId !== tenantId || row.staffId !== staffId || row.status !== 'pending')
          continue;
        if (row.holdExpiresAt === undefined || Date.parse(row.holdExpiresAt) > nowMs) continue;
        const busy = appointmentBusyRange(row);
        if (!(busy.start < to && from < busy.end)) continue;
        const { holdExpiresAt: _lapsed, ...rest } = row;
        const cancelled: StoredAppointment = {
          ...rest,
          status: 'cancelled',
          cancellationReason: 'hold-expired',
          cancellationDate: now,
          updatedAt: now,
          version: row.version + 1,
        };
        rows.set(row.id, cancelled);
        for (const [key, seat] of seats) if (seat.appointmentId === row.id) seats.delete(key);
        expired.push({
          id: row.id,
          patientId: row.patientId,
          clinicId: row.clinicId,
          version: cancelled.version,
        });
      }
      return Promise.resolve(expired);
    },
    findByIdempotencyKey(tenantId, key) {
      const bound = keys.get(`${tenantId}:${key}`);
      const found = bound === undefined ? undefined : rows.get(bound.id);
      return Promise.resolve(
        found === undefined || bound === undefined
          ? undefined
          : { appointment: { ...found }, fingerprint: bound.fingerprint },
      );
    },
    listLapsedHolds(tenantId, clinicId, now, limit) {
      const nowMs = Date.parse(now);
      return Promise.resolve(
        [...rows.values()]
          .filter(
            (row) =>
              row.tenantId === tenantId &&
              row.clinicId === clinicId &&
              row.status === 'pending' &&
              row.holdExpiresAt !== undefined &&
              Date.parse(row.holdExpiresAt) <= nowMs,
          )
          .sort(
            (a, b) =>
              Date.parse(a.holdExpiresAt!) - Date.parse(b.holdExpiresAt!) ||
              a.id.localeCompare(b.id),
          )
          .slice(0, limit)
          .map((row) => ({ ...row })),
      );
    },
    listBookedStartedBy(tenantId, clinicId, startedBy, limit) {
      const by = Date.parse(startedBy);
      return Promise.resolve(
        [...rows.values()]
          .filter(
            (row) =>
              row.tenantId === tenantId &&
              row.clinicId === clinicId &&
              row.status === 'booked' &&
              Date.parse(row.start) <= by,
          )
          .sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.id.localeCompare(b.id))
          .slice(0, limit)
          .map((row) => ({ ...row })),
      );
    },
    takeSeat(seat, capacity) {
      for (let seatNumber = 1; seatNumber <= capacity; seatNumber += 1) {
        const key = seatKey(seat.tenantId, seat.groupSlotId, seatNumber);
        if (!seats.has(key)) {
          seats.set(key, { ...seat, seatNumber });
          return Promise.resolve(seatNumber);
        }
      }
      return Promise.resolve(undefined);
    },
    releaseSeat(tenantId: TenantId, appointmentId: AppointmentId) {
      for (const [key, seat] of seats) {
        if (seat.tenantId === tenantId && seat.appointmentId === appointmentId) seats.delete(key);
      }
      return Promise.resolve();
    },
    listSeats(tenantId, groupSlotId) {
      return Promise.resolve(
        [...seats.values()]
          .filter((seat) => seat.tenantId === tenantId && seat.groupSlotId === groupSlotId)
          .sort((a, b) => a.seatNumber - b.seatNumber)
          .map((seat) => ({ ...seat })),
      );
    },
  });
}
