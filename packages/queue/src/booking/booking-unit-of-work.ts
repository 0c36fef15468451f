import { z } from 'zod';
import type { Actor } from '@carequeue/core';
import type { AuditEvent, AuditStore } from '@carequeue/audit';
import {
  memoryClinicRepository,
  memoryServiceTypeRepository,
  type ClinicRepository,
  type ServiceTypeRepository,
} from '../clinics/index.js';
import { memoryScheduleRepository, type ScheduleRepository } from '../staff/index.js';
import {
  memoryPatientRepository,
  requireTenantPatient,
  type PatientRepository,
} from '../patients/index.js';
import type { AppointmentRepository } from './appointment-repository.js';
import {
  memoryAppointmentRepository,
  type MemoryAppointmentRepository,
} from './memory-appointment-repository.js';
import {
  memoryWaitlistRepository,
  type MemoryWaitlistRepository,
} from './memory-waitlist-repository.js';
import type { WaitlistRepository } from './waitlist-repository.js';
import {
  auditStoreOption,
  checkFactoryOptions,
  portOption,
  repositoryOption,
} from '../config/factory-options.js';

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

/**
 * Options of {@link memoryBookingUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: MemoryBookingUnitOfWorkOptions = { auditStore, clinics, serviceTypes, schedules };
 * ```
 */
export interface MemoryBookingUnitOfWorkOptions {
  /** The audit store that receives the events of each unit. */
  readonly auditStore: AuditStore;
  /** @default a new {@link memoryAppointmentRepository} */
  readonly appointments?: MemoryAppointmentRepository;
  /** @default a new {@link memoryWaitlistRepository} */
  readonly waitlist?: MemoryWaitlistRepository;
  /** @default a new `memoryClinicRepository` */
  readonly clinics?: ClinicRepository;
  /** @default a new `memoryServiceTypeRepository` */
  readonly serviceTypes?: ServiceTypeRepository;
  /** @default a new `memoryScheduleRepository` */
  readonly schedules?: ScheduleRepository;
  /**
   * The patients appointments and waitlist entries may name: only patients of the row's tenant
   * found here, as the SQL foreign keys require (share the repository of the patient unit of
   * work).
   *
   * @default a new, empty `memoryPatientRepository` (no row may name a patient)
   */
  readonly patients?: PatientRepository;
}

const MemoryBookingUnitOfWorkOptionsSchema = z.object({
  auditStore: auditStoreOption,
  appointments: portOption('a MemoryAppointmentRepository', ['get', 'checkpoint']).optional(),
  waitlist: portOption('a MemoryWaitlistRepository', ['get', 'checkpoint']).optional(),
  clinics: repositoryOption('a ClinicRepository').optional(),
  serviceTypes: repositoryOption('a ServiceTypeRepository').optional(),
  schedules: repositoryOption('a ScheduleRepository').optional(),
  patients: repositoryOption('a PatientRepository').optional(),
});

/**
 * An in-memory {@link BookingUnitOfWork}. Units run one at a time, and a unit that fails is
 * rolled back (appointments, seats and waitlist return to where they were), like a transaction;
 * audit events are appended only when the unit resolves.
 *
 * @example
 * ```ts
 * import { memoryAuditStore } from '@carequeue/audit';
 * import { memoryBookingUnitOfWork } from '@carequeue/queue';
 *
 * const unitOfWork = memoryBookingUnitOfWork({ auditStore: memoryAuditStore() });
 * ```
 */
export function memoryBookingUnitOfWork(
  options: MemoryBookingUnitOfWorkOptions,
): BookingUnitOfWork {
  checkFactoryOptions('memoryBookingUnitOfWork', MemoryBookingUnitOfWorkOptionsSchema, options);
  const appointments = options.appointments ?? memoryAppointmentRepository();
  const waitlist = options.waitlist ?? memoryWaitlistRepository();
  const clinics = options.clinics ?? memoryClinicRepository();
  const serviceTypes = options.serviceTypes ?? memoryServiceTypeRepository();
  const schedules = options.schedules ?? memoryScheduleRepository();
  const patients = options.patients ?? memoryPatientRepository();
  // Rows name only patients of their own tenant, as the SQL foreign keys require.
  const scopedAppointments: AppointmentRepository = {
    ...appointments,
    insert: async (appointment) => {
      await requireTenantPatient(
        patients,
        appointment.tenantId,
        appointment.patientId,
        'appointments_tenant_id_patient_id_fkey',
      );
      return appointments.insert(appointment);
    },
  };
  const scopedWaitlist: WaitlistRepository = {
    ...waitlist,
    insert: async (entry) => {
      await requireTenantPatient(
        patients,
        entry.tenantId,
        entry.patientId,
        'waitlist_entries_tenant_id_patient_id_fkey',
      );
      return waitlist.insert(entry);
    },
  };
  let tail: Promise<unknown> = Promise.resolve();

  async function runOne<T>(work: (scope: BookingWorkScope) => Promise<T>): Promise<T> {
    const restoreAppointments = appointments.checkpoint();
    const restoreWaitlist = waitlist.checkpoint();
    const events: AuditEvent[] = [];
    try {
      const result = await work({
        appointments: scopedAppointments,
        waitlist: scopedWaitlist,
        clinics,
        serviceTypes,
        schedules,
        recordAudit: (event) => {
          events.push(event);
          return Promise.resolve();
        },
      });
      if (events.length > 0) await options.auditStore.append(events);
      return result;
    } catch (error: unknown) {
      restoreAppointments();
      restoreWaitlist();
      throw error;
    }
  }

  return {
    run(_actor, work) {
      const result = tail.then(() => runOne(work));
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
