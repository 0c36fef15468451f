import type { Actor } from '@carequeue/core';
import type { AuditEvent } from '@carequeue/audit';
import type { PatientRepository } from './patient-repository.js';

/**
 * What one unit of work may touch: the patients, and the audit trail in the same transaction.
 *
 * @example
 * ```ts
 * await unitOfWork.run(actor, async ({ patients, recordAudit }) => {
 *   await patients.update(next);
 *   await recordAudit(event);
 * });
 * ```
 */
export interface PatientWorkScope {
  readonly patients: PatientRepository;
  /** Records audit events so they commit or roll back with the changes of this unit. */
  readonly recordAudit: (event: AuditEvent) => Promise<void>;
}

/**
 * Runs patient reads and writes as the actor, with their audit events in the same transaction.
 *
 * @example
 * ```ts
 * const unitOfWork: PatientUnitOfWork = memoryPatientUnitOfWork({ auditStore: memoryAuditStore() });
 * ```
 */
export interface PatientUnitOfWork {
  run<T>(actor: Actor, work: (scope: PatientWorkScope) => Promise<T>): Promise<T>;
}
