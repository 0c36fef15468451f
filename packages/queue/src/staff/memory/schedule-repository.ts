import type { Schedule } from '@carequeue/core';
import { StaleVersionError } from '../../errors.js';
import { trackRows } from '../../memory/snapshot.js';
import type { ScheduleRepository } from '../ports/schedule-repository.js';
import { checkedScheduleRepository } from '../ports/checked-schedule-repository.js';

/**
 * An in-memory {@link ScheduleRepository} with the same tenant and version rules as the SQL one.
 *
 * @example
 * ```ts
 * import { memoryScheduleRepository } from '@carequeue/queue';
 *
 * const repo = memoryScheduleRepository();
 * await repo.save(schedule);
 * ```
 */
export function memoryScheduleRepository(): ScheduleRepository {
  const rows = new Map<string, Schedule>();
  const keyOf = (schedule: Pick<Schedule, 'tenantId' | 'staffId' | 'clinicId'>): string =>
    `${schedule.tenantId}/${schedule.staffId}/${schedule.clinicId}`;

  return trackRows<ScheduleRepository>(
    checkedScheduleRepository({
      save(schedule) {
        const current = rows.get(keyOf(schedule));
        const expected = schedule.version === 0 ? undefined : schedule.version - 1;
        if (current?.version !== expected) return Promise.reject(new StaleVersionError('schedule'));
        rows.set(keyOf(schedule), structuredClone(schedule));
        return Promise.resolve();
      },
      get(tenantId, staffId, clinicId) {
        const row = rows.get(keyOf({ tenantId, staffId, clinicId }));
        return Promise.resolve(row === undefined ? undefined : structuredClone(row));
      },
    }),
    rows,
  );
}
