import { uuidv7 } from '@carequeue/core';
import { StaleVersionError } from '../../errors.js';
import type { ScheduleRepository } from '../ports/schedule-repository.js';
import { scheduleFromDocument, type ScheduleDocument } from '../../postgres/queue-rows.js';
import { checkedScheduleRepository } from '../ports/checked-schedule-repository.js';
import { checkFactoryOptions, SqlRepositoryOptionsSchema } from '../../config/factory-options.js';
import type { SqlRepositoryOptions } from '../../postgres/sql-adapter-options.js';

// One statement reads a schedule with its hours, breaks and overrides, in their stored order.
const SELECT_SCHEDULE = `
  SELECT s.tenant_id, s.clinic_id, s.staff_id, s.time_zone, s.updated_at, s.version,
    COALESCE((
      SELECT json_agg(json_build_object('day', h.day, 'start', h.start_time, 'end', h.end_time,
        'breaks', COALESCE((
          SELECT json_agg(json_build_object('start', b.start_time, 'end', b.end_time)
                          ORDER BY b.position)
          FROM queue.schedule_breaks b
          WHERE b.tenant_id = h.tenant_id AND b.weekly_hours_id = h.id), '[]'::json))
        ORDER BY h.position)
      FROM queue.schedule_weekly_hours h
      WHERE h.tenant_id = s.tenant_id AND h.staff_id = s.staff_id AND h.clinic_id = s.clinic_id
    ), '[]'::json) AS weekly_hours,
    COALESCE((
      SELECT json_agg(json_build_object('date', o.date::text, 'intervals', o.intervals,
        'reason', o.reason) ORDER BY o.date)
      FROM queue.schedule_date_overrides o
      WHERE o.tenant_id = s.tenant_id AND o.staff_id = s.staff_id AND o.clinic_id = s.clinic_id
    ), '[]'::json) AS date_overrides
  FROM queue.schedules s
  WHERE s.tenant_id = $1 AND s.staff_id = $2 AND s.clinic_id = $3`;

/**
 * Options of {@link sqlScheduleRepository}.
 *
 * @example
 * ```ts
 * const options: SqlScheduleRepositoryOptions = { executor };
 * ```
 */
export type SqlScheduleRepositoryOptions = SqlRepositoryOptions;

/**
 * A {@link ScheduleRepository} over core's `SqlExecutor` (Postgres 15+, Supabase, PGlite). A read
 * is one statement; a save is a fixed number of statements however many hours it holds.
 *
 * @example
 * ```ts
 * import { sqlScheduleRepository } from '@carequeue/queue/postgres';
 *
 * const schedule = await sqlScheduleRepository({ executor: tx }).get(tenantId, staffId, clinicId);
 * ```
 */
export function sqlScheduleRepository(options: SqlScheduleRepositoryOptions): ScheduleRepository {
  checkFactoryOptions('sqlScheduleRepository', SqlRepositoryOptionsSchema, options);
  const { executor } = options;
  return checkedScheduleRepository({
    async save(schedule) {
      const owner = [schedule.tenantId, schedule.staffId, schedule.clinicId];
      const { rowCount } =
        schedule.version === 0
          ? await executor.query(
              `INSERT INTO queue.schedules (tenant_id, staff_id, clinic_id, time_zone, updated_at, version)
               VALUES ($1, $2, $3, $4, $5, 0) ON CONFLICT DO NOTHING`,
              [...owner, schedule.timeZone, schedule.updatedAt],
            )
          : await executor.query(
              `UPDATE queue.schedules SET time_zone = $4, updated_at = $5, version = $6
               WHERE tenant_id = $1 AND staff_id = $2 AND clinic_id = $3 AND version = $6 - 1`,
              [...owner, schedule.timeZone, schedule.updatedAt, schedule.version],
            );
      if (rowCount !== 1) throw new StaleVersionError('schedule');
      await executor.query(
        `DELETE FROM queue.schedule_weekly_hours
         WHERE tenant_id = $1 AND staff_id = $2 AND clinic_id = $3`,
        owner,
      );
      await executor.query(
        `DELETE FROM queue.schedule_date_overrides
         WHERE tenant_id = $1 AND staff_id = $2 AND clinic_id = $3`,
        owner,
      );
      const hours = schedule.weeklyHours.map((entry, position) => ({
        ...entry,
        id: uuidv7(),
        position,
      }));
      await executor.query(
        `INSERT INTO queue.schedule_weekly_hours
           (id, tenant_id, staff_id, clinic_id, position, day, start_time, end_time)
         SELECT x.id, $1, $2, $3, x.position, x.day, x.start, x."end"
         FROM jsonb_to_recordset($4::jsonb) AS x(id uuid, position integer, day text, start text, "end" text)`,
        [...owner, JSON.stringify(hours)],
      );
      const breaks = hours.flatMap((entry) =>
        entry.breaks.map((pause, position) => ({
          ...pause,
          id: uuidv7(),
          hoursId: entry.id,
          position,
        })),
      );
      await executor.query(
        `INSERT INTO queue.schedule_breaks
           (id, tenant_id, clinic_id, weekly_hours_id, position, start_time, end_time)
         SELECT x.id, $1, $2, x."hoursId", x.position, x.start, x."end"
         FROM jsonb_to_recordset($3::jsonb)
           AS x(id uuid, "hoursId" uuid, position integer, start text, "end" text)`,
        [schedule.tenantId, schedule.clinicId, JSON.stringify(breaks)],
      );
      await executor.query(
        `INSERT INTO queue.schedule_date_overrides (tenant_id, staff_id, clinic_id, date, intervals, reason)
         SELECT $1, $2, $3, x.date, x.intervals, x.reason
         FROM jsonb_to_recordset($4::jsonb) AS x(date date, intervals jsonb, reason text)`,
        [...owner, JSON.stringify(schedule.dateOverrides)],
      );
    },
    async get(tenantId, staffId, clinicId) {
      const { rows } = await executor.query<ScheduleDocument<unknown>>(SELECT_SCHEDULE, [
        tenantId,
        staffId,
        clinicId,
      ]);
      return rows[0] === undefined ? undefined : scheduleFromDocument(rows[0]);
    },
  });
}
