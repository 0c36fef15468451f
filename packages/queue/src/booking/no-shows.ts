import {
  appointmentTransitions,
  assertTransition,
  authorize,
  MINUTE_MS,
  parseArguments,
  type Actor,
  type AppointmentId,
  type ClinicId,
} from '@carequeue/core';
import { bookingArguments } from './booking-arguments.js';
import type { BookingDependencies } from './booking-dependencies.js';
import { toIso } from './booking-instants.js';
import type { StoredAppointment } from './ports/appointment-repository.js';
import { auditedChangeOf, recordAuditedChange } from './record-audited-change.js';
import { recordOrNotFound } from '../record-or-not-found.js';

/** The most appointments one call marks; a job scheduler calls again for the rest. */
const NO_SHOWS_PER_CALL = 500;

/**
 * The `markNoShows` use case: the clinic's booked appointments that started more than its
 * no-show grace period ago become `noshow`; returns their ids.
 */
export async function markNoShows(
  { unitOfWork, audit, clock }: BookingDependencies,
  actor: Actor,
  clinicId: ClinicId,
): Promise<AppointmentId[]> {
  ({ actor, clinicId } = parseArguments(
    bookingArguments.byClinic,
    { actor, clinicId },
    'booking.markNoShows',
  ));
  authorize(actor, 'queue:operate', { tenantId: actor.tenantId, clinicId });
  return unitOfWork.run(actor, async (work) => {
    const clinic = await recordOrNotFound(work.clinics, actor.tenantId, clinicId, 'clinic');
    const now = clock.now();
    const due = await work.appointments.listBookedStartedBy(
      actor.tenantId,
      clinicId,
      toIso(now - clinic.settings.noShowGraceMinutes * MINUTE_MS),
      NO_SHOWS_PER_CALL,
    );
    const marked: AppointmentId[] = [];
    for (const current of due) {
      assertTransition(appointmentTransitions, current.status, 'noshow');
      const noShow: StoredAppointment = {
        ...current,
        status: 'noshow',
        updatedAt: toIso(now),
        version: current.version + 1,
      };
      await work.appointments.update(noShow);
      await recordAuditedChange(
        audit,
        work,
        actor,
        auditedChangeOf('Appointment', current, noShow, { action: 'no-show' }),
      );
      marked.push(current.id);
    }
    return marked;
  });
}
