import { z } from 'zod';
import type { AuditStore } from '@carequeue/audit';
import type { ClinicRepository } from '../../clinics/index.js';
import type { PatientRepository } from '../../patients/index.js';
import { memoryUnits } from '../../memory/unit-of-work.js';
import type { AppointmentArrivals } from '../ports/appointment-arrivals.js';
import type { QueueEntryRepository } from '../ports/queue-entry-repository.js';
import type { WalkInUnitOfWork } from '../ports/walk-in-unit-of-work.js';
import { memoryAppointmentArrivals } from './appointment-arrivals.js';
import { memoryQueueEntryRepository } from './queue-entry-repository.js';
import {
  auditStoreOption,
  checkFactoryOptions,
  portOption,
  repositoryOption,
} from '../../config/factory-options.js';

/**
 * Options of {@link memoryWalkInUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: MemoryWalkInUnitOfWorkOptions = { auditStore: memoryAuditStore() };
 * ```
 */
export interface MemoryWalkInUnitOfWorkOptions {
  /** The audit store that receives the events of each unit. */
  readonly auditStore: AuditStore;
  /** @default a new {@link memoryQueueEntryRepository} over `clinics` */
  readonly entries?: QueueEntryRepository;
  /**
   * The clinics of the default `entries` repository: lines open only at clinics of their own
   * tenant found here (share the repository of the clinic service).
   *
   * @default a new, empty memory clinic repository
   */
  readonly clinics?: ClinicRepository;
  /**
   * The patients of the default `entries` repository: entries name only patients of their own
   * tenant found here (share the repository of the patient unit of work).
   *
   * @default a new, empty memory patient repository
   */
  readonly patients?: PatientRepository;
  /** @default a new {@link memoryAppointmentArrivals} */
  readonly appointments?: AppointmentArrivals;
}

const MemoryWalkInUnitOfWorkOptionsSchema = z.object({
  auditStore: auditStoreOption,
  entries: portOption('a QueueEntryRepository', ['nextTicket']).optional(),
  clinics: repositoryOption('a ClinicRepository').optional(),
  patients: repositoryOption('a PatientRepository').optional(),
  appointments: portOption('an AppointmentArrivals', [
    'get',
    'markArrived',
    'markNoShow',
  ]).optional(),
});

/**
 * An in-memory {@link WalkInUnitOfWork}. Units run one at a time; a unit that fails (a stale
 * version, a failing event sink) leaves no write behind in the memory repositories (entries,
 * lines, ticket numbers, events, appointments) and no audit event, as a rolled-back transaction.
 * `readLine` does not wait for a running unit. It suits development and tests, not production.
 *
 * @example
 * ```ts
 * import { memoryAuditStore } from '@carequeue/audit';
 * import { memoryWalkInUnitOfWork } from '@carequeue/queue';
 *
 * const unitOfWork = memoryWalkInUnitOfWork({ auditStore: memoryAuditStore(), clinics, patients });
 * ```
 */
export function memoryWalkInUnitOfWork(options: MemoryWalkInUnitOfWorkOptions): WalkInUnitOfWork {
  checkFactoryOptions('memoryWalkInUnitOfWork', MemoryWalkInUnitOfWorkOptionsSchema, options);
  const entries =
    options.entries ??
    memoryQueueEntryRepository({
      ...(options.clinics === undefined ? {} : { clinics: options.clinics }),
      ...(options.patients === undefined ? {} : { patients: options.patients }),
    });
  const appointments = options.appointments ?? memoryAppointmentArrivals();
  const run = memoryUnits({
    auditStore: options.auditStore,
    rollback: [entries, appointments],
    scope: (recordAudit) => ({ entries, appointments, recordAudit, transaction: {} }),
  });
  return {
    run: (_actor, work) => run(work),
    readLine(work) {
      return work(entries);
    },
  };
}
