import type { Actor } from '@carequeue/core';
import type { AuditEvent, AuditStore } from '@carequeue/audit';
import { memoryScheduleRepository } from './memory-schedule-repository.js';
import { memoryStaffRepository } from './memory-staff-repository.js';
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
  /** Records audit events so they commit or roll back with the changes of this unit. */
  readonly recordAudit: (event: AuditEvent) => Promise<void>;
}

/**
 * Runs staff reads and writes as the actor, with their audit events in the same transaction.
 *
 * @example
 * ```ts
 * const unitOfWork: StaffUnitOfWork = memoryStaffUnitOfWork({ auditStore: memoryAuditStore() });
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
 * const options: MemoryStaffUnitOfWorkOptions = { auditStore: memoryAuditStore() };
 * ```
 */
export interface MemoryStaffUnitOfWorkOptions {
  /** The audit store that receives the events of each unit. */
  readonly auditStore: AuditStore;
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

/**
 * An in-memory {@link StaffUnitOfWork}. Audit events are appended only when the work resolves,
 * so a failed unit leaves no event behind.
 *
 * @example
 * ```ts
 * import { memoryAuditStore } from '@carequeue/audit';
 * import { memoryStaffUnitOfWork } from '@carequeue/queue';
 *
 * const unitOfWork = memoryStaffUnitOfWork({ auditStore: memoryAuditStore() });
 * ```
 */
export function memoryStaffUnitOfWork(options: MemoryStaffUnitOfWorkOptions): StaffUnitOfWork {
  const staff = options.staff ?? memoryStaffRepository();
  const schedules = options.schedules ?? memoryScheduleRepository();
  return {
    async run(_actor, work) {
      const events: AuditEvent[] = [];
      const result = await work({
        staff,
        schedules,
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
