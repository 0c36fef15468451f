import { z } from 'zod';
import {
  Appointment,
  AppointmentId,
  ClinicId,
  PatientId,
  StaffId,
  TenantId,
  Timestamp,
} from '@carequeue/core';
import { checkedPort } from '../../arguments/checked-port.js';
import type { AppointmentRepository } from './appointment-repository.js';

/** The most rows one list call of the booking service asks for. */
const MAX_LISTED = 10_000;

const StoredAppointmentRow = z.intersection(
  Appointment,
  z.object({
    bufferBeforeMinutes: z.int().nonnegative(),
    bufferAfterMinutes: z.int().nonnegative(),
    groupSlotId: z.uuid().optional(),
  }),
);

const NewAppointmentRow = z.intersection(
  StoredAppointmentRow,
  z.object({
    idempotency: z
      .object({ key: z.string().min(1).max(200), fingerprint: z.string().min(1).max(200) })
      .optional(),
  }),
);

const Span = z.object({ start: Timestamp, end: Timestamp });

const NewSeat = z.object({
  tenantId: TenantId,
  clinicId: ClinicId,
  groupSlotId: z.uuid(),
  appointmentId: AppointmentId,
  patientId: PatientId,
  createdAt: Timestamp,
});

/**
 * `repository` refusing, with a `ValidationError` and before it runs, ids that are not UUIDs,
 * instants that are not ISO timestamps and rows that core's `Appointment` schema refuses, so the
 * memory and SQL adapters refuse the same arguments the same way (a malformed id was "not found"
 * in memory and a 502 on Postgres). Every appointment adapter wraps itself with it.
 *
 * @example
 * ```ts
 * return checkedAppointmentRepository({ insert, update, get, ... });
 * ```
 */
export function checkedAppointmentRepository<R extends AppointmentRepository>(repository: R): R {
  const staffSpan = [
    ['tenantId', TenantId],
    ['staffId', StaffId],
    ['span', Span],
  ] as const;
  const clinicList = (instant: string) =>
    [
      ['tenantId', TenantId],
      ['clinicId', ClinicId],
      [instant, Timestamp],
      ['limit', z.int().min(1).max(MAX_LISTED)],
    ] as const;
  return checkedPort<AppointmentRepository>('AppointmentRepository', repository, {
    insert: [['appointment', NewAppointmentRow]],
    update: [['appointment', StoredAppointmentRow]],
    get: [
      ['tenantId', TenantId],
      ['id', AppointmentId],
    ],
    listOccupying: staffSpan,
    listBusy: staffSpan,
    expireHolds: [...staffSpan, ['now', Timestamp]],
    findByIdempotencyKey: [
      ['tenantId', TenantId],
      ['key', z.string().min(1).max(200)],
    ],
    listLapsedHolds: clinicList('now'),
    listBookedStartedBy: clinicList('startedBy'),
    takeSeat: [
      ['seat', NewSeat],
      ['capacity', z.int().min(1)],
    ],
    releaseSeat: [
      ['tenantId', TenantId],
      ['appointmentId', AppointmentId],
    ],
    listSeats: [
      ['tenantId', TenantId],
      ['groupSlotId', z.uuid()],
    ],
  }) as R;
}
