import { z } from 'zod';
import type { AuditStore } from '@carequeue/audit';
import { memoryUnits } from '../../memory/unit-of-work.js';
import type { ClinicRepository } from '../ports/clinic-repository.js';
import type { ClinicUnitOfWork } from '../ports/clinic-unit-of-work.js';
import type { ServiceTypeRepository } from '../ports/service-type-repository.js';
import { memoryClinicRepository } from './clinic-repository.js';
import { memoryServiceTypeRepository } from './service-type-repository.js';
import {
  auditStoreOption,
  checkFactoryOptions,
  repositoryOption,
} from '../../config/factory-options.js';

/**
 * Options of {@link memoryClinicUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: MemoryClinicUnitOfWorkOptions = { auditStore: memoryAuditStore() };
 * ```
 */
export interface MemoryClinicUnitOfWorkOptions {
  /** The audit store that receives the events of each unit. */
  readonly auditStore: AuditStore;
  /**
   * The clinics.
   *
   * @default a new {@link memoryClinicRepository}
   */
  readonly clinics?: ClinicRepository;
  /**
   * The service types.
   *
   * @default a new {@link memoryServiceTypeRepository}
   */
  readonly serviceTypes?: ServiceTypeRepository;
}

const MemoryClinicUnitOfWorkOptionsSchema = z.object({
  auditStore: auditStoreOption,
  clinics: repositoryOption('a ClinicRepository').optional(),
  serviceTypes: repositoryOption('a ServiceTypeRepository').optional(),
});

/**
 * An in-memory {@link ClinicUnitOfWork}. Units run one at a time; a unit that fails leaves no
 * write behind in the memory repositories and no audit event, as a rolled-back transaction.
 *
 * @example
 * ```ts
 * import { memoryAuditStore } from '@carequeue/audit';
 * import { memoryClinicUnitOfWork } from '@carequeue/queue';
 *
 * const unitOfWork = memoryClinicUnitOfWork({ auditStore: memoryAuditStore() });
 * ```
 */
export function memoryClinicUnitOfWork(options: MemoryClinicUnitOfWorkOptions): ClinicUnitOfWork {
  checkFactoryOptions('memoryClinicUnitOfWork', MemoryClinicUnitOfWorkOptionsSchema, options);
  const clinics = options.clinics ?? memoryClinicRepository();
  const serviceTypes = options.serviceTypes ?? memoryServiceTypeRepository();
  const run = memoryUnits({
    auditStore: options.auditStore,
    rollback: [clinics, serviceTypes],
    scope: (recordAudit) => ({ clinics, serviceTypes, recordAudit }),
  });
  return { run: (_actor, work) => run(work) };
}
