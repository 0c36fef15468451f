import type { Actor } from '@carequeue/core';
import type { AuditEvent } from '@carequeue/audit';
import type { ClinicRepository, ServiceTypeRepository } from '../../clinics/index.js';
import type { ScheduleRepository } from '../../staff/index.js';
import type { AppointmentRepository } from './appointment-repository.js';
import type { WaitlistRepository } from './waitlist-repository.js';

/**
 * What one booking unit of work may touch: appointments and seats, the waitlist, the clinic
 * reference data that availability reads, and the audit trail in the same transaction.
 *
 * @example
 * ```ts
 * await unitOfWork.run(actor, async ({ appointments, recordAudit }) => {
 *   await appointments.insert(appointment);
 *   await recordAudit(event);
 * });
 * ```
 */
export interface BookingWorkScope {
  readonly appointments: AppointmentRepository;
  readonly waitlist: WaitlistRepository;
  readonly clinics: ClinicRepository;
  readonly serviceTypes: ServiceTypeRepository;
  readonly schedules: ScheduleRepository;
  /** Records audit events so they commit or roll back with the changes of this unit. */
  readonly recordAudit: (event: AuditEvent) => Promise<void>;
}

/**
 * Runs booking reads and writes as the actor in one transaction, with their audit events.
 *
 * @example
 * ```ts
 * const unitOfWork: BookingUnitOfWork = memoryBookingUnitOfWork({ auditStore: memoryAuditStore() });
 * ```
 */
export interface BookingUnitOfWork {
  run<T>(actor: Actor, work: (scope: BookingWorkScope) => Promise<T>): Promise<T>;
}
