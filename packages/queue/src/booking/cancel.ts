import {
  appointmentTransitions,
  assertTransition,
  authorize,
  MINUTE_MS,
  parseArguments,
  type Actor,
  type Appointment,
  type AppointmentId,
  type CancellationReason,
} from '@carequeue/core';
import { loadAuthorizedAppointment } from './appointment-access.js';
import { bookingArguments } from './booking-arguments.js';
import type { BookingDependencies } from './booking-dependencies.js';
import { toIso } from './booking-instants.js';
import type { StoredAppointment } from './ports/appointment-repository.js';
import type { BookingWorkScope } from './ports/booking-unit-of-work.js';
import { auditedChangeOf, recordAuditedChange } from './record-audited-change.js';
import { offerFreedSlot } from './waitlist-offers.js';

/** Why and when an appointment is cancelled, and the audit action that records it. */
export interface Cancellation {
  readonly reason: CancellationReason;
  readonly now: number;
  readonly action: 'cancel' | 'reschedule';
  /** Set on a patient's late cancellation; left as stored when absent. */
  readonly lateCancel?: boolean;
}

/**
 * Cancels `current` inside a unit of work: releases its hold and its group seat, and audits the
 * cancellation. Returns the cancelled appointment.
 *
 * @throws `InvalidTransitionError` when it cannot be cancelled.
 */
export async function cancelAppointmentIn(
  { audit }: BookingDependencies,
  work: BookingWorkScope,
  actor: Actor,
  current: StoredAppointment,
  { reason, now, action, lateCancel }: Cancellation,
): Promise<StoredAppointment> {
  assertTransition(appointmentTransitions, current.status, 'cancelled');
  const { holdExpiresAt: _released, ...rest } = current;
  const cancelled: StoredAppointment = {
    ...rest,
    status: 'cancelled',
    cancellationReason: reason,
    cancellationDate: toIso(now),
    ...(lateCancel === undefined ? {} : { lateCancel }),
    updatedAt: toIso(now),
    version: current.version + 1,
  };
  await work.appointments.update(cancelled);
  await work.appointments.releaseSeat(actor.tenantId, current.id);
  await recordAuditedChange(
    audit,
    work,
    actor,
    auditedChangeOf('Appointment', current, cancelled, { action }),
  );
  return cancelled;
}

/**
 * The `cancel` use case. A patient's cancellation of a booking inside the clinic's late-cancel
 * window is flagged `lateCancel`; the freed slot is then offered to the waitlist.
 */
export async function cancelAppointment(
  dependencies: BookingDependencies,
  actor: Actor,
  id: AppointmentId,
  reason: CancellationReason,
): Promise<Appointment> {
  const { unitOfWork, clock } = dependencies;
  ({ actor, id, reason } = parseArguments(
    bookingArguments.cancel,
    { actor, id, reason },
    'booking.cancel',
  ));
  authorize(actor, 'appointment:write');
  const cancelled = await unitOfWork.run(actor, async (work) => {
    const current = await loadAuthorizedAppointment(work, actor, id, 'appointment:write');
    assertTransition(appointmentTransitions, current.status, 'cancelled');
    const clinic = await work.clinics.get(actor.tenantId, current.clinicId);
    const lateCancelMs = (clinic?.settings.lateCancelWindowMinutes ?? 0) * MINUTE_MS;
    const now = clock.now();
    const lateCancel =
      current.status === 'booked' &&
      reason === 'patient-request' &&
      Date.parse(current.start) - now < lateCancelMs;
    return cancelAppointmentIn(dependencies, work, actor, current, {
      reason,
      now,
      action: 'cancel',
      lateCancel,
    });
  });
  await offerFreedSlot(dependencies, actor, cancelled);
  return cancelled;
}
