/**
 * Time units in milliseconds, the one unit every CareQueue duration and instant is counted in
 * (`ttlMs`, `holdMs`, `Clock.now()`), so each conversion from minutes, hours or days is written
 * once and reads as what it means (`durationMinutes * MINUTE_MS`).
 *
 * @packageDocumentation
 */

/**
 * One second in milliseconds.
 *
 * @example
 * ```ts
 * const retryAfterMs = Number(header) * SECOND_MS;
 * ```
 */
export const SECOND_MS = 1_000;

/**
 * One minute in milliseconds.
 *
 * @example
 * ```ts
 * const endMs = startMs + serviceType.durationMinutes * MINUTE_MS;
 * ```
 */
export const MINUTE_MS = 60 * SECOND_MS;

/**
 * One hour in milliseconds.
 *
 * @example
 * ```ts
 * const grant = { durationMs: HOUR_MS };
 * ```
 */
export const HOUR_MS = 60 * MINUTE_MS;

/**
 * Twenty-four hours in milliseconds: elapsed time, not a calendar day. A local day across a
 * daylight-saving change lasts 23 or 25 hours, so dates in a time zone are stepped by calendar
 * date, never by adding `DAY_MS` to an instant.
 *
 * @example
 * ```ts
 * const horizonEnd = now + clinic.settings.bookingHorizonDays * DAY_MS;
 * ```
 */
export const DAY_MS = 24 * HOUR_MS;
