import { z } from 'zod';
import type { Actor } from '@carequeue/core';
import type { AuditEvent, AuditStore } from '@carequeue/audit';
import type { ClinicRepository } from './clinic-repository.js';
import { memoryClinicRepository } from './memory-clinic-repository.js';
import { memoryServiceTypeRepository } from './memory-service-type-repository.js';
import type { ServiceTypeRepository } from './service-type-repository.js';
import {
  auditStoreOption,
  checkFactoryOptions,
  repositoryOption,
} from '../config/factory-options.js';

/**
 * What one unit of work may touch: clinics, their service types, and the audit trail in the
 * same transaction.
 *
 * @example
 * ```ts
 * await unitOfWork.run(actor, async ({ clinics, recordAudit }) => {
 *   await clinics.update(next);
 *   await recordAudit(event);
 * });
 * ```
 */
export interface ClinicWorkScope {
  readonly clinics: ClinicRepository;
  readonly serviceTypes: ServiceTypeRepository;
  /** Records audit events so they commit or roll back with the changes of this unit. */
  readonly recordAudit: (event: AuditEvent) => Promise<void>;
}

/**
 * Runs clinic reads and writes as the actor, with their audit events in the same transaction.
 *
 * @example
 * ```ts
 * const unitOfWork: ClinicUnitOfWork = memoryClinicUnitOfWork({ auditStore: memoryAuditStore() });
 * ```
 */
export interface ClinicUnitOfWork {
  run<T>(actor: Actor, work: (scope: ClinicWorkScope) => Promise<T>): Promise<T>;
}

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
