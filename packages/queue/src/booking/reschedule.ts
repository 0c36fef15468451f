import {
  authorize,
  parseArguments,
  type Actor,
  type Appointment,
  type AppointmentId,
} from '@carequeue/core';
import { assertSupportedInstant } from '../availability/index.js';
import { loadAuthorizedAppointment } from './appointment-access.js';
import { bookSlot } from './book.js';
import { bookingArguments } from './booking-arguments.js';
import type { BookingDependencies } from './booking-dependencies.js';
import type { RescheduleRequest } from './booking-requests.js';
import { cancelAppointmentIn } from './cancel.js';
import { findBookingWithKey, keyedRequestOf } from './idempotent-booking.js';
import { offerFreedSlot } from './waitlist-offers.js';

/**
 * The `reschedule` use case: cancels the appointment and books the new start in one unit of
 * work, once per idempotency key; the slot it left is then offered to the waitlist.
 */
export async function rescheduleAppointment(
  dependencies: BookingDependencies,
  actor: Actor,
  id: AppointmentId,
  request: RescheduleRequest,
): Promise<Appointment> {
  const { unitOfWork, clock, idempotency } = dependencies;
  ({ actor, id, request } = parseArguments(
    bookingArguments.reschedule,
    { actor, id, request },
    'booking.reschedule',
  ));
  assertSupportedInstant(Date.parse(request.start), 'request.start');
  authorize(actor, 'appointment:write');
  const { idempotencyKey, ...payload } = request;
  const keyed = keyedRequestOf(actor, idempotencyKey, { op: 'reschedule', id, ...payload });
  return idempotency.run(keyed.scopedKey, keyed.payload, async () => {
    const { vacated, rebooked } = await unitOfWork.run(actor, async (work) => {
      const replayed = await findBookingWithKey(work, actor, keyed);
      if (replayed !== undefined) return { vacated: undefined, rebooked: replayed };
      const current = await loadAuthorizedAppointment(work, actor, id, 'appointment:write');
      const cancelled = await cancelAppointmentIn(dependencies, work, actor, current, {
        reason: 'rescheduled',
        now: clock.now(),
        action: 'reschedule',
      });
      const booked = await bookSlot(dependencies, work, actor, {
        clinicId: current.clinicId,
        staffId: payload.staffId ?? current.staffId,
        serviceTypeId: current.serviceTypeId,
        patientId: current.patientId,
        start: payload.start,
        hold: false,
        previousAppointmentId: current.id,
        keyed,
      });
      return { vacated: cancelled, rebooked: booked };
    });
    if (vacated !== undefined) await offerFreedSlot(dependencies, actor, vacated);
    return rebooked;
  });
}
