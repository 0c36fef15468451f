import { z } from 'zod';
import type { Actor, ClinicId, TenantId } from '@carequeue/core';
import type { AuditEvent, AuditStore } from '@carequeue/audit';
import type { ClinicRepository } from '../clinics/index.js';
import { memoryClinicsInTenant, withBufferedAudit } from './memory-audited-unit.js';
import { memoryScheduleRepository } from './memory-schedule-repository.js';
import { memoryLock, runAtomically } from './memory-snapshot.js';
import { memoryStaffRepository } from './memory-staff-repository.js';
import type { ScheduleRepository } from './schedule-repository.js';
import type { StaffRepository } from './staff-repository.js';
import {
  auditStoreOption,
  checkFactoryOptions,
  repositoryOption,
} from '../config/factory-options.js';

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

/**
 * Options of {@link memoryStaffUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: MemoryStaffUnitOfWorkOptions = { auditStore: memoryAuditStore(), clinics };
 * ```
 */
export interface MemoryStaffUnitOfWorkOptions {
  /** The audit store that receives the events of each unit. */
  readonly auditStore: AuditStore;
  /** The clinics that staff may be assigned to and scheduled at: those of the member's tenant. */
  readonly clinics: ClinicRepository;
  /**
   * The staff members.
   *
   * @default a new {@link memoryStaffRepository}
   */
  readonly staff?: StaffRepository;
  /**
   * The schedules.
   *
   * @default a new {@link memoryScheduleRepository}
   */
  readonly schedules?: ScheduleRepository;
}

const MemoryStaffUnitOfWorkOptionsSchema = z.object({
  auditStore: auditStoreOption,
  clinics: repositoryOption('a ClinicRepository'),
  staff: repositoryOption('a StaffRepository').optional(),
  schedules: repositoryOption('a ScheduleRepository').optional(),
});

/**
 * An in-memory {@link StaffUnitOfWork}. Units run one at a time; a unit that fails leaves no
 * write behind in the memory repositories and no audit event, as a rolled-back transaction.
 *
 * @example
 * ```ts
 * import { memoryAuditStore } from '@carequeue/audit';
 * import { memoryClinicRepository, memoryStaffUnitOfWork } from '@carequeue/queue';
 *
 * const unitOfWork = memoryStaffUnitOfWork({
 *   auditStore: memoryAuditStore(),
 *   clinics: memoryClinicRepository(),
 * });
 * ```
 */
export function memoryStaffUnitOfWork(options: MemoryStaffUnitOfWorkOptions): StaffUnitOfWork {
  checkFactoryOptions('memoryStaffUnitOfWork', MemoryStaffUnitOfWorkOptionsSchema, options);
  const staff = options.staff ?? memoryStaffRepository();
  const schedules = options.schedules ?? memoryScheduleRepository();
  const clinicsInTenant = memoryClinicsInTenant(options.clinics);
  const lock = memoryLock();
  return {
    run(_actor, work) {
      return runAtomically(lock, [staff, schedules], () =>
        withBufferedAudit(options.auditStore, (recordAudit) =>
          work({ staff, schedules, clinicsInTenant, recordAudit }),
        ),
      );
    },
  };
}
