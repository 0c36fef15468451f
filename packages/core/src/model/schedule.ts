/**
 * The schedule aggregate: when a staff member works at a clinic.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { ClinicId, StaffId, TenantId } from '../ids.js';
import {
  LocalDate,
  LocalTime,
  minutesOfDay,
  TimeZone,
  Timestamp,
  Version,
  Weekday,
} from './common.js';
import { singleLine } from './text.js';

/**
 * A span of wall-clock time within one day; `end` is after `start`.
 *
 * @example
 * ```ts
 * TimeRange.parse({ start: '08:00', end: '12:00' });
 * ```
 */
export const TimeRange = z
  .object({ start: LocalTime, end: LocalTime })
  .refine((range) => minutesOfDay(range.start) < minutesOfDay(range.end), {
    message: 'must end after it starts',
  });
/** A parsed {@link TimeRange}. */
export type TimeRange = z.output<typeof TimeRange>;

/**
 * Working hours on one day of the week, with the breaks inside them.
 *
 * @example
 * ```ts
 * WeeklyHours.parse({ day: 'monday', start: '08:00', end: '17:00', breaks: [{ start: '12:00', end: '13:00' }] });
 * ```
 */
export const WeeklyHours = z
  .object({
    day: Weekday,
    start: LocalTime,
    end: LocalTime,
    breaks: z.array(TimeRange).max(24).default([]),
  })
  .refine((hours) => minutesOfDay(hours.start) < minutesOfDay(hours.end), {
    message: 'must end after it starts',
  })
  .refine(
    (hours) =>
      hours.breaks.every(
        (pause) =>
          minutesOfDay(pause.start) >= minutesOfDay(hours.start) &&
          minutesOfDay(pause.end) <= minutesOfDay(hours.end),
      ),
    { message: 'has a break outside the working hours' },
  );
/** Parsed {@link WeeklyHours}. */
export type WeeklyHours = z.output<typeof WeeklyHours>;

/**
 * Hours for one date that replace the weekly hours of that day; no intervals means a day off.
 *
 * @example
 * ```ts
 * DateOverride.parse({ date: '2026-12-24', intervals: [{ start: '08:00', end: '12:00' }] });
 * ```
 */
export const DateOverride = z.object({
  date: LocalDate,
  intervals: z.array(TimeRange).max(24),
  reason: singleLine(z.string().max(200)).optional(),
});
/** A parsed {@link DateOverride}. */
export type DateOverride = z.output<typeof DateOverride>;

/**
 * When a staff member works at a clinic, in the clinic's time zone.
 *
 * @example
 * ```ts
 * const schedule = parseOrThrow(Schedule, row, 'schedule');
 * ```
 */
export const Schedule = z.object({
  tenantId: TenantId,
  clinicId: ClinicId,
  staffId: StaffId,
  timeZone: TimeZone,
  // Caps keep the per-day work of availability bounded (ADR 0013): a few intervals per day,
  // and overrides for a few years of holidays.
  weeklyHours: z.array(WeeklyHours).max(100),
  dateOverrides: z
    .array(DateOverride)
    .max(1000)
    .refine((overrides) => new Set(overrides.map((o) => o.date)).size === overrides.length, {
      message: 'must have at most one override per date',
    })
    .default([]),
  updatedAt: Timestamp,
  version: Version,
});
/** A parsed {@link Schedule}. */
export type Schedule = z.output<typeof Schedule>;
