import {
  authorize,
  NotFoundError,
  type Actor,
  type AppointmentId,
  type ClinicId,
  type PatientId,
  type QueueId,
  type ServiceTypeId,
} from '@carequeue/core';
import { StaleVersionError } from '../errors.js';
import { onlyChangedEntry } from './entry-changes.js';
import type { WalkInWorkScope } from './ports/walk-in-unit-of-work.js';
import { parseQueueArguments } from './queue-arguments.js';
import { checkedPriority } from './queue-entry-checks.js';
import { withPosition, type QueueEntryView } from './queue-entry-view.js';
import { orderingKey } from './queue-ordering.js';
import type { QueueService } from './queue-service.js';
import type { QueueUseCaseContext } from './queue-use-case-context.js';
import { insertWaitingEntry, type NewEntryFields } from './new-queue-entry.js';
import { AppointmentNotCheckableError } from './walk-in-errors.js';

/**
 * A walk-in joining a queue. `patientId` links a registered patient; an anonymous walk-in
 * gives only a `guestName`, which is PHI and never leaves the entry.
 *
 * @example
 * ```ts
 * const walkIn: WalkInCheckIn = { clinicId, queueId, patientId, serviceTypeId, priority: 0 };
 * ```
 */
export interface WalkInCheckIn {
  readonly clinicId: ClinicId;
  readonly queueId: QueueId;
  readonly patientId?: PatientId;
  readonly guestName?: string;
  readonly serviceTypeId?: ServiceTypeId;
  /** Triage priority from -100 to 100, higher first. @default 0 */
  readonly priority?: number;
}

/**
 * An arriving appointment joining a queue. The appointment must be booked (it becomes arrived
 * in the same transaction) or already arrived.
 *
 * @example
 * ```ts
 * const arrival: AppointmentCheckIn = { queueId, appointmentId };
 * ```
 */
export interface AppointmentCheckIn {
  readonly queueId: QueueId;
  readonly appointmentId: AppointmentId;
  /** @default 0 */
  readonly priority?: number;
}

/** Check-in of walk-ins and arriving appointments, and triage of who is waiting. */
export function checkInUseCases(
  context: QueueUseCaseContext,
): Pick<QueueService, 'checkInWalkIn' | 'checkInAppointment' | 'triage'> {
  const { settings, runEntryChanges, changeEntryStatus } = context;

  /** Inserts the entry `fieldsOf` describes in one unit of work; returns it with its position. */
  async function joinLine(
    actor: Actor,
    fieldsOf: (unit: WalkInWorkScope, now: string) => NewEntryFields | Promise<NewEntryFields>,
  ): Promise<QueueEntryView> {
    const changes = await runEntryChanges(actor, async (unit, now) => {
      const entry = await insertWaitingEntry(unit, settings.aging, await fieldsOf(unit, now));
      return [{ before: null, after: entry, type: 'checked_in' }];
    });
    return withPosition(settings.unitOfWork, onlyChangedEntry(changes));
  }

  return {
    async checkInWalkIn(actor, input) {
      ({ actor, input } = parseQueueArguments('checkInWalkIn', { actor, input }));
      authorize(actor, 'queue:operate', {
        tenantId: actor.tenantId,
        clinicId: input.clinicId,
        ...(input.patientId === undefined ? {} : { patientId: input.patientId }),
      });
      const priority = checkedPriority(input.priority);
      return joinLine(actor, (_unit, now) => ({
        tenantId: actor.tenantId,
        clinicId: input.clinicId,
        queueId: input.queueId,
        ...(input.patientId === undefined ? {} : { patientId: input.patientId }),
        ...(input.guestName === undefined ? {} : { guestName: input.guestName }),
        ...(input.serviceTypeId === undefined ? {} : { serviceTypeId: input.serviceTypeId }),
        source: 'walk-in',
        priority,
        checkedInAt: now,
        effectiveAt: now,
      }));
    },

    async checkInAppointment(actor, input) {
      ({ actor, input } = parseQueueArguments('checkInAppointment', { actor, input }));
      authorize(actor, 'queue:operate');
      const priority = checkedPriority(input.priority);
      return joinLine(actor, async (unit, now) => {
        const appointment = await unit.appointments.get(actor.tenantId, input.appointmentId);
        if (appointment === undefined) throw new NotFoundError('appointment');
        authorize(actor, 'queue:operate', {
          tenantId: appointment.tenantId,
          clinicId: appointment.clinicId,
          patientId: appointment.patientId,
        });
        if (appointment.status !== 'booked' && appointment.status !== 'arrived') {
          throw new AppointmentNotCheckableError();
        }
        if (
          appointment.status === 'booked' &&
          !(await unit.appointments.markArrived(appointment, now))
        ) {
          throw new StaleVersionError('appointment');
        }
        return {
          tenantId: actor.tenantId,
          clinicId: appointment.clinicId,
          queueId: input.queueId,
          patientId: appointment.patientId,
          appointmentId: appointment.id,
          serviceTypeId: appointment.serviceTypeId,
          source: 'appointment',
          priority,
          checkedInAt: now,
          effectiveAt: new Date(
            Date.parse(appointment.startsAt) - settings.appointmentGraceMs,
          ).toISOString(),
        };
      });
    },

    async triage(actor, entryId, priority) {
      ({ priority } = parseQueueArguments('triage', { actor, entryId, priority }));
      const checked = checkedPriority(priority);
      return changeEntryStatus(actor, entryId, {
        operation: 'triage',
        to: 'waiting',
        type: 'triaged',
        reshape: (current) => ({
          ...current,
          priority: checked,
          orderingKey: orderingKey(Date.parse(current.effectiveAt), checked, settings.aging),
        }),
      });
    },
  };
}
