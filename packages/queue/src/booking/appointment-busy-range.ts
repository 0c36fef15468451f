import { SLOT_OCCUPYING_STATUSES, type AppointmentStatus } from '@carequeue/core';
import { busyRangeOf, type BusyInterval } from '../availability/index.js';
import type { StoredAppointment } from './ports/appointment-repository.js';

/**
 * The range an appointment takes from its staff member: the visit widened by the buffers stored
 * on it, in epoch milliseconds, by the one busy-range rule of availability (`busyRangeOf`). The
 * SQL schema stores the same range as `busy_range` (its trigger mirrors this rule, and a test
 * checks both agree).
 *
 * @example
 * ```ts
 * appointmentBusyRange(appointment); // { start: start - buffer before, end: end + buffer after }
 * ```
 */
export function appointmentBusyRange(
  appointment: Pick<
    StoredAppointment,
    'start' | 'end' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'
  >,
): BusyInterval {
  return busyRangeOf(appointment, {
    start: Date.parse(appointment.start),
    end: Date.parse(appointment.end),
  });
}

/**
 * Whether the status holds the slot (pending, booked, arrived, checked-in).
 *
 * @example
 * ```ts
 * occupiesSlot('pending'); // true
 * occupiesSlot('cancelled'); // false
 * ```
 */
export function occupiesSlot(status: AppointmentStatus): boolean {
  return SLOT_OCCUPYING_STATUSES.includes(status);
}

/**
 * The no-double-booking rule of the exclusion constraint: both occupy a slot, share tenant and
 * staff member, are not seats of one group slot, and their busy ranges overlap.
 *
 * @example
 * ```ts
 * if (appointmentsConflict(a, b)) throw new SlotUnavailableError();
 * ```
 */
export function appointmentsConflict(a: StoredAppointment, b: StoredAppointment): boolean {
  if (a.tenantId !== b.tenantId || a.staffId !== b.staffId) return false;
  if (!occupiesSlot(a.status) || !occupiesSlot(b.status)) return false;
  if ((a.groupSlotId ?? a.id) === (b.groupSlotId ?? b.id)) return false;
  const x = appointmentBusyRange(a);
  const y = appointmentBusyRange(b);
  return x.start < y.end && y.start < x.end;
}
