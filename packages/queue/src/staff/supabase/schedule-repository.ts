import { StaleVersionError } from '../../errors.js';
import type { ScheduleRepository } from '../ports/schedule-repository.js';
import { postgrest } from '../../supabase/request.js';
import {
  queueSchema,
  type SupabaseRepositoryOptions,
  SupabaseRepositoryOptionsSchema,
} from '../../supabase/options.js';
import {
  scheduleFromDocument,
  scheduleToDocument,
  type ScheduleDocument,
} from '../../postgres/queue-rows.js';
import { checkedScheduleRepository } from '../ports/checked-schedule-repository.js';
import { checkFactoryOptions } from '../../config/factory-options.js';

/**
 * A {@link ScheduleRepository} over supabase-js. A save calls `queue.save_schedule`, which
 * replaces the schedule with its weekly hours, breaks and date overrides in one transaction (a
 * failed or stale save leaves the stored schedule untouched); a read calls `queue.schedule_of`,
 * one request for the whole schedule. Row-level security applies under the client's JWT.
 *
 * @throws `StaleVersionError` when a new schedule exists already or the version is stale;
 * the errors of core's `toSqlError` for database errors; {@link QueueSupabaseRequestError} when
 * PostgREST refuses the request or cannot be reached.
 * @example
 * ```ts
 * import { supabaseScheduleRepository } from '@carequeue/queue/supabase';
 *
 * const schedules = supabaseScheduleRepository({ client });
 * await schedules.save(schedule);
 * ```
 */
export function supabaseScheduleRepository(options: SupabaseRepositoryOptions): ScheduleRepository {
  checkFactoryOptions('supabaseScheduleRepository', SupabaseRepositoryOptionsSchema, options);
  const db = queueSchema(options);
  return checkedScheduleRepository({
    async save(schedule) {
      const saved: unknown = await postgrest('schedules.save', () =>
        db.rpc('save_schedule', { p_schedule: scheduleToDocument(schedule) }),
      );
      if (saved !== true) throw new StaleVersionError('schedule');
    },
    async get(tenantId, staffId, clinicId) {
      const document = (await postgrest('schedules.get', () =>
        db.rpc('schedule_of', { p_tenant: tenantId, p_staff: staffId, p_clinic: clinicId }),
      )) as ScheduleDocument | null;
      return document === null ? undefined : scheduleFromDocument(document);
    },
  });
}
