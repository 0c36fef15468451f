import { appointmentTransitions, canTransition, type Actor } from '@carequeue/core';
import type { AuditLogService } from '@carequeue/audit';
import { StaleVersionError } from '../errors.js';
import type { StoredQueueEntry } from './queue-entry-record.js';
import type { WalkInWorkScope } from './ports/walk-in-unit-of-work.js';
import { recordModification } from '../record-modification.js';

/**
 * Marks the appointment an entry came from a no-show, with its audit event, in the unit of work
 * that made the entry a no-show. An appointment the table does not let become a no-show
 * (fulfilled, checked in or cancelled meanwhile) is left as it is: the entry records what
 * happened. Does nothing for an entry without an appointment.
 *
 * @throws `StaleVersionError` when the appointment changed since it was read.
 */
export async function markAppointmentNoShow(
  audit: AuditLogService,
  actor: Actor,
  unit: WalkInWorkScope,
  entry: StoredQueueEntry,
  now: string,
): Promise<void> {
  if (entry.appointmentId === undefined) return;
  const appointment = await unit.appointments.get(entry.tenantId, entry.appointmentId);
  if (
    appointment === undefined ||
    !canTransition(appointmentTransitions, appointment.status, 'noshow')
  ) {
    return;
  }
  if (!(await unit.appointments.markNoShow(appointment, now))) {
    throw new StaleVersionError('appointment');
  }
  await recordModification(
    audit,
    unit,
    actor.userId,
    `Appointment/${appointment.id}`,
    { status: appointment.status, version: appointment.version },
    { status: 'noshow', version: appointment.version + 1 },
    {
      tenantId: actor.tenantId,
      patientId: appointment.patientId,
      action: 'queue.appointment_no_show',
    },
  );
}
