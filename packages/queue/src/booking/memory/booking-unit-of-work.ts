import { z } from 'zod';
import type { AuditStore } from '@carequeue/audit';
import { memoryUnits } from '../../memory/unit-of-work.js';
import {
  memoryClinicRepository,
  memoryServiceTypeRepository,
  type ClinicRepository,
  type ServiceTypeRepository,
} from '../../clinics/index.js';
import { memoryScheduleRepository, type ScheduleRepository } from '../../staff/index.js';
import {
  memoryPatientRepository,
  requireTenantPatient,
  type PatientRepository,
} from '../../patients/index.js';
import type { AppointmentRepository } from '../ports/appointment-repository.js';
import {
  memoryAppointmentRepository,
  type MemoryAppointmentRepository,
} from './appointment-repository.js';
import { memoryWaitlistRepository, type MemoryWaitlistRepository } from './waitlist-repository.js';
import type { WaitlistRepository } from '../ports/waitlist-repository.js';
import type { BookingUnitOfWork } from '../ports/booking-unit-of-work.js';
import {
  auditStoreOption,
  checkFactoryOptions,
  portOption,
  repositoryOption,
} from '../../config/factory-options.js';

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
  const run = memoryUnits({
    auditStore: options.auditStore,
    rollback: [appointments, waitlist],
    scope: (recordAudit) => ({
      appointments: scopedAppointments,
      waitlist: scopedWaitlist,
      clinics,
      serviceTypes,
      schedules,
      recordAudit,
    }),
  });
  return { run: (_actor, work) => run(work) };
}
