import { z } from 'zod';
import type { AuditStore } from '@carequeue/audit';
import type { ClinicRepository } from '../../clinics/index.js';
import type { PatientRepository } from '../ports/patient-repository.js';
import type { PatientUnitOfWork } from '../ports/patient-unit-of-work.js';
import { memoryUnits } from '../../memory/unit-of-work.js';
import { memoryPatientRepository } from './patient-repository.js';
import {
  auditStoreOption,
  checkFactoryOptions,
  repositoryOption,
} from '../../config/factory-options.js';

/**
 * Options of {@link memoryPatientUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: MemoryPatientUnitOfWorkOptions = { auditStore: memoryAuditStore() };
 * ```
 */
export interface MemoryPatientUnitOfWorkOptions {
  /** The audit store that receives the events of each unit. */
  readonly auditStore: AuditStore;
  /**
   * The patients.
   *
   * @default a new {@link memoryPatientRepository} over `clinics`
   */
  readonly patients?: PatientRepository;
  /**
   * The clinics of the default `patients` repository: patients may be registered only at
   * clinics of their own tenant found here (share the repository of the clinic service).
   *
   * @default a new, empty memory clinic repository
   */
  readonly clinics?: ClinicRepository;
}

const MemoryPatientUnitOfWorkOptionsSchema = z.object({
  auditStore: auditStoreOption,
  patients: repositoryOption('a PatientRepository').optional(),
  clinics: repositoryOption('a ClinicRepository').optional(),
});

/**
 * An in-memory {@link PatientUnitOfWork}. Audit events are appended only when the work
 * resolves, so a failed unit leaves no event behind. Units do not wait for each other, so a read
 * and an erasure interleave as they do in a database.
 *
 * @example
 * ```ts
 * import { memoryAuditStore } from '@carequeue/audit';
 * import { memoryPatientUnitOfWork } from '@carequeue/queue';
 *
 * const unitOfWork = memoryPatientUnitOfWork({ auditStore: memoryAuditStore(), clinics });
 * ```
 */
export function memoryPatientUnitOfWork(
  options: MemoryPatientUnitOfWorkOptions,
): PatientUnitOfWork {
  checkFactoryOptions('memoryPatientUnitOfWork', MemoryPatientUnitOfWorkOptionsSchema, options);
  const patients =
    options.patients ??
    memoryPatientRepository(options.clinics === undefined ? {} : { clinics: options.clinics });
  const run = memoryUnits({
    auditStore: options.auditStore,
    scope: (recordAudit) => ({ patients, recordAudit }),
  });
  return { run: (_actor, work) => run(work) };
}
