import { ClinicId, Schedule, StaffId, TenantId } from '@carequeue/core';
import { checkedPort } from '../../arguments/checked-port.js';
import type { ScheduleRepository } from './schedule-repository.js';

/**
 * `repository` refusing, with a `ValidationError` and before it runs, ids that are not UUIDs and
 * schedules that core's `Schedule` schema refuses. Every schedule adapter wraps itself with it.
 *
 * @example
 * ```ts
 * return checkedScheduleRepository({ save, get });
 * ```
 */
export function checkedScheduleRepository(repository: ScheduleRepository): ScheduleRepository {
  return checkedPort('ScheduleRepository', repository, {
    save: [['schedule', Schedule]],
    get: [
      ['tenantId', TenantId],
      ['staffId', StaffId],
      ['clinicId', ClinicId],
    ],
  });
}
