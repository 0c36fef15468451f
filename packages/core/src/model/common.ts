/**
 * Value schemas shared by the domain model: instants, local dates and times, time zones.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { ValidationError } from '../errors.js';

/**
 * An instant as an ISO 8601 date-time with an offset (`2026-03-01T09:30:00Z`).
 *
 * @example
 * ```ts
 * Timestamp.parse(new Date().toISOString());
 * ```
 */
export const Timestamp = z.iso.datetime({ offset: true });
/** A parsed {@link Timestamp}. */
export type Timestamp = z.output<typeof Timestamp>;

/**
 * A calendar date without a time zone (`2026-03-01`), read in the clinic's time zone.
 *
 * @example
 * ```ts
 * LocalDate.parse('2026-03-01');
 * ```
 */
export const LocalDate = z.iso.date();
/** A parsed {@link LocalDate}. */
export type LocalDate = z.output<typeof LocalDate>;

/**
 * A wall-clock time of day, `HH:MM` from `00:00` to `24:00` (end of day).
 *
 * @example
 * ```ts
 * LocalTime.parse('08:30');
 * ```
 */
export const LocalTime = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: 'must be a time of day (HH:MM)' });
/** A parsed {@link LocalTime}. */
export type LocalTime = z.output<typeof LocalTime>;

/**
 * Minutes since midnight of a {@link LocalTime}.
 *
 * @example
 * ```ts
 * minutesOfDay('08:30'); // 510
 * ```
 */
export function minutesOfDay(time: LocalTime): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

const knownTimeZones = new Map<string, boolean>();

/**
 * Whether a string is an IANA time zone name (`Europe/Berlin`, `UTC`) known to this runtime.
 * Raw offsets such as `+01:00` are refused: they ignore daylight saving time.
 *
 * @example
 * ```ts
 * isIanaTimeZone('America/New_York'); // true
 * ```
 */
export function isIanaTimeZone(name: string): boolean {
  // Callers pass untyped values (rows, request bodies); a non-string is not a zone, not a crash.
  if (typeof (name as unknown) !== 'string') return false;
  const cached = knownTimeZones.get(name);
  if (cached !== undefined) return cached;
  let valid = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(name);
  if (valid) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
    } catch {
      valid = false;
    }
  }
  if (knownTimeZones.size < 1000) knownTimeZones.set(name, valid);
  return valid;
}

/**
 * An IANA time zone name.
 *
 * @example
 * ```ts
 * TimeZone.parse('Europe/Berlin');
 * ```
 */
export const TimeZone = z.string().max(64).refine(isIanaTimeZone, {
  message: 'must be an IANA time zone name, such as Europe/Berlin',
});
/** A parsed {@link TimeZone}. */
export type TimeZone = z.output<typeof TimeZone>;

/**
 * Checks a time zone argument before it reaches `Intl.DateTimeFormat`, whose `RangeError` quotes
 * the zone the caller sent. The error names the argument, never the value.
 *
 * @param argument - the argument path for the error, such as `'workingHours.timeZone'`.
 * @throws {@link ValidationError} when `value` is not an IANA time zone name known to this runtime.
 * @example
 * ```ts
 * const zone = requireTimeZone(options.timeZone, 'options.timeZone');
 * new Intl.DateTimeFormat('en-US', { timeZone: zone });
 * ```
 */
export function requireTimeZone(value: unknown, argument: string): TimeZone {
  if (typeof value === 'string' && value.length <= 64 && isIanaTimeZone(value)) return value;
  throw new ValidationError(
    `The ${argument} is not a time zone. Pass an IANA time zone name, such as Europe/Berlin.`,
    [{ path: argument, message: 'must be an IANA time zone name, such as Europe/Berlin' }],
  );
}

/**
 * Days of the week, ISO order (Monday first).
 *
 * @example
 * ```ts
 * WEEKDAYS.indexOf('monday'); // 0
 * ```
 */
export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;

/**
 * A day of the week.
 *
 * @example
 * ```ts
 * Weekday.parse('monday');
 * ```
 */
export const Weekday = z.enum(WEEKDAYS);
/** A parsed {@link Weekday}. */
export type Weekday = z.output<typeof Weekday>;

/**
 * The optimistic-concurrency version of a record; each update increments it.
 *
 * @example
 * ```ts
 * Version.parse(3);
 * ```
 */
export const Version = z.int().nonnegative();
