import { z } from 'zod';
import type { Actor } from '@carequeue/core';
import type { AuditEvent, AuditStore } from '@carequeue/audit';
import type { ClinicRepository } from '../clinics/index.js';
import type { PatientRepository } from '../patients/index.js';
import { memoryLock, runAtomically } from '../memory/snapshot.js';
import { memoryAppointmentArrivals, type AppointmentArrivals } from './appointment-arrivals.js';
import { memoryQueueEntryRepository } from './memory-queue-entry-repository.js';
import type { QueueEntryRepository } from './queue-entry-repository.js';
import type { QueueEventTransaction } from './queue-event.js';
import {
  auditStoreOption,
  checkFactoryOptions,
  portOption,
  repositoryOption,
} from '../config/factory-options.js';

/**
 * What one unit of queue work may touch: entries and events, the appointments checking in,
 * the audit trail, and the transaction an event sink writes in.
 *
 * @example
 * ```ts
 * await unitOfWork.run(actor, async ({ entries, recordAudit }) => {
 *   const claimed = await entries.claimNext(claim);
 *   await recordAudit(event);
 * });
 * ```
 */
export interface WalkInWorkScope {
  readonly entries: QueueEntryRepository;
  readonly appointments: AppointmentArrivals;
  /** Records audit events so they commit or roll back with the changes of this unit. */
  readonly recordAudit: (event: AuditEvent) => Promise<void>;
  readonly transaction: QueueEventTransaction;
}

/**
 * Runs queue reads and writes as the actor, in one transaction with their audit events.
 *
 * @example
 * ```ts
 * const unitOfWork: WalkInUnitOfWork = memoryWalkInUnitOfWork({ auditStore: memoryAuditStore() });
 * ```
 */
export interface WalkInUnitOfWork {
  run<T>(actor: Actor, work: (scope: WalkInWorkScope) => Promise<T>): Promise<T>;
  /**
   * Reads a whole line past row-level security, for figures derived from it (a patient's
   * position and wait estimate count entries the patient may not see). The service calls it
   * only after authorizing the actor for the entry, and returns no other entry's data from it.
   */
  readLine<T>(work: (entries: QueueEntryRepository) => Promise<T>): Promise<T>;
}

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
  const lock = memoryLock();
  return {
    run(_actor, work) {
      return runAtomically(lock, [entries, appointments], async () => {
        const events: AuditEvent[] = [];
        const result = await work({
          entries,
          appointments,
          recordAudit: (event) => {
            events.push(event);
            return Promise.resolve();
          },
          transaction: {},
        });
        if (events.length > 0) await options.auditStore.append(events);
        return result;
      });
    },
    readLine(work) {
      return work(entries);
    },
  };
}
