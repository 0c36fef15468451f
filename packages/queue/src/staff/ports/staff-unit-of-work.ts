import type { Actor, ClinicId, TenantId } from '@carequeue/core';
import type { AuditEvent } from '@carequeue/audit';
import type { ScheduleRepository } from './schedule-repository.js';
import type { StaffRepository } from './staff-repository.js';

/**
 * What one unit of work may touch: staff, their schedules, and the audit trail in the same
 * transaction.
 *
 * @example
 * ```ts
 * await unitOfWork.run(actor, async ({ schedules, recordAudit }) => {
 *   await schedules.save(next);
 *   await recordAudit(event);
 * });
 * ```
 */
export interface StaffWorkScope {
  readonly staff: StaffRepository;
  readonly schedules: ScheduleRepository;
  /**
   * Which of `clinicIds` are clinics of the tenant, in one read however many are asked for.
   * Clinics of other tenants are left out exactly like ids that do not exist.
   */
  readonly clinicsInTenant: (
    tenantId: TenantId,
    clinicIds: readonly ClinicId[],
  ) => Promise<readonly ClinicId[]>;
  /** Records audit events so they commit or roll back with the changes of this unit. */
  readonly recordAudit: (event: AuditEvent) => Promise<void>;
}

/**
 * Runs staff reads and writes as the actor, with their audit events in the same transaction.
 *
 * @example
 * ```ts
 * const unitOfWork: StaffUnitOfWork = memoryStaffUnitOfWork({ auditStore, clinics });
 * ```
 */
export interface StaffUnitOfWork {
  run<T>(actor: Actor, work: (scope: StaffWorkScope) => Promise<T>): Promise<T>;
}
