import { z } from 'zod';
import type { AuditEvent, AuditStore } from '@carequeue/audit';
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
 * An in-memory {@link ClinicUnitOfWork}. Audit events are appended only when the work resolves,
 * so a failed unit leaves no event behind.
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
  return {
    async run(_actor, work) {
      const events: AuditEvent[] = [];
      const result = await work({
        clinics,
        serviceTypes,
        recordAudit: (event) => {
          events.push(event);
          return Promise.resolve();
        },
      });
      if (events.length > 0) await options.auditStore.append(events);
      return result;
    },
  };
}
