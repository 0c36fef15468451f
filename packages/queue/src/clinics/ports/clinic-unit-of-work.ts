import type { Actor } from '@carequeue/core';
import type { AuditEvent } from '@carequeue/audit';
import type { ClinicRepository } from './clinic-repository.js';
import type { ServiceTypeRepository } from './service-type-repository.js';

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
