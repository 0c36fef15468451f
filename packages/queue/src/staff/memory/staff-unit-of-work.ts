import { z } from 'zod';
import type { AuditStore } from '@carequeue/audit';
import { memoryClinicsInTenant, type ClinicRepository } from '../../clinics/index.js';
import { memoryUnits } from '../../memory/unit-of-work.js';
import { memoryScheduleRepository } from './schedule-repository.js';
import { memoryStaffRepository } from './staff-repository.js';
import type { ScheduleRepository } from '../ports/schedule-repository.js';
import type { StaffRepository } from '../ports/staff-repository.js';
import type { StaffUnitOfWork } from '../ports/staff-unit-of-work.js';
import {
  auditStoreOption,
  checkFactoryOptions,
  repositoryOption,
} from '../../config/factory-options.js';

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
  const run = memoryUnits({
    auditStore: options.auditStore,
    rollback: [staff, schedules],
    scope: (recordAudit) => ({ staff, schedules, clinicsInTenant, recordAudit }),
  });
  return { run: (_actor, work) => run(work) };
}
