import type { ClinicId, Schedule, StaffId, TenantId } from '@carequeue/core';

/**
 * Storage port for the schedule of a staff member at a clinic: weekly hours with breaks, and
 * date overrides. Every read and write is scoped to one tenant.
 *
 * @example
 * ```ts
 * const repo: ScheduleRepository = memoryScheduleRepository();
 * await repo.save(schedule);
 * const stored = await repo.get(schedule.tenantId, schedule.staffId, schedule.clinicId);
 * ```
 */
export interface ScheduleRepository {
  /**
   * Stores the schedule whole: a new one when `schedule.version` is 0, else a replacement of the
   * stored one whose version is `schedule.version - 1`.
   *
   * @throws {@link StaleVersionError} when a new schedule already exists, or the stored version differs.
   */
  save(schedule: Schedule): Promise<void>;
  /** The schedule, or `undefined` when absent or in another tenant. */
  get(tenantId: TenantId, staffId: StaffId, clinicId: ClinicId): Promise<Schedule | undefined>;
}
