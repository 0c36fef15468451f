import {
  authorize,
  parseArguments,
  type Actor,
  type Appointment,
  type AppointmentId,
  type ClinicId,
  type PatientId,
} from '@carequeue/core';
import { bookingArguments } from './booking-arguments.js';
import type { BookingDependencies } from './booking-dependencies.js';
import type { StoredAppointment } from './ports/appointment-repository.js';
import type { BookingWorkScope } from './ports/booking-unit-of-work.js';
import { recordOrNotFound } from '../record-or-not-found.js';

/**
 * Reads the appointment and checks that the actor may read or change it (tenant, clinic and, for
 * a patient, their own).
 *
 * @throws `NotFoundError`; `ForbiddenError`.
 */
export async function loadAuthorizedAppointment(
  work: BookingWorkScope,
  actor: Actor,
  id: AppointmentId,
  permission: 'appointment:read' | 'appointment:write',
): Promise<StoredAppointment> {
  const found = await recordOrNotFound(work.appointments, actor.tenantId, id, 'appointment');
  authorize(actor, permission, {
    tenantId: found.tenantId,
    clinicId: found.clinicId,
    patientId: found.patientId,
  });
  return found;
}

/**
 * Checks that the actor may book for the patient at the clinic.
 *
 * @throws `ForbiddenError`.
 */
export function authorizeBookingFor(
  actor: Actor,
  request: { clinicId: ClinicId; patientId: PatientId },
): void {
  authorize(actor, 'appointment:write', {
    tenantId: actor.tenantId,
    clinicId: request.clinicId,
    patientId: request.patientId,
  });
}

/** The `get` use case: the appointment, its read recorded in the audit trail before it is returned. */
export async function getAppointment(
  { unitOfWork, audit }: BookingDependencies,
  actor: Actor,
  id: AppointmentId,
): Promise<Appointment> {
  ({ actor, id } = parseArguments(bookingArguments.byId, { actor, id }, 'booking.get'));
  authorize(actor, 'appointment:read');
  const found = await unitOfWork.run(actor, (work) =>
    loadAuthorizedAppointment(work, actor, id, 'appointment:read'),
  );
  await audit.logDataAccess(
    actor.userId,
    `Appointment/${id}`,
    'read',
    {},
    { tenantId: actor.tenantId, patientId: found.patientId },
  );
  return found;
}
