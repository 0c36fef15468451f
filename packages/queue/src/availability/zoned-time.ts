/**
 * Wall-clock times of an IANA time zone turned into instants and back, with `Intl.DateTimeFormat`
 * (one cached formatter per zone) instead of a date library.
 *
 * @packageDocumentation
 */

import { DAY_MS, HOUR_MS, MINUTE_MS, requireTimeZone, SECOND_MS } from '@carequeue/core';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    // A zone Intl does not know would be a RangeError quoting it: a typed error naming it instead.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: requireTimeZone(timeZone, 'timeZone'),
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The offset of `timeZone` from UTC at `instant`, in milliseconds (positive east of Greenwich).
 *
 * @throws `ValidationError` naming `timeZone`, never its value, when it is not an IANA zone
 * (so do {@link localDateAt} and {@link wallTimeToInstant}).
 * @example
 * ```ts
 * zoneOffsetMs('Europe/Paris', Date.UTC(2026, 6, 1)); // 7_200_000
 * zoneOffsetMs('Australia/Lord_Howe', Date.UTC(2026, 0, 1)); // 39_600_000
 * ```
 */
export function zoneOffsetMs(timeZone: string, instant: number): number {
  // Whole seconds only: the formatter drops milliseconds.
  const seconds = Math.floor(instant / SECOND_MS) * SECOND_MS;
  const parts = formatterFor(timeZone).formatToParts(new Date(seconds));
  const field = (type: Intl.DateTimeFormatPartTypes): number => {
    for (const part of parts) if (part.type === type) return Number(part.value);
    return 0;
  };
  const asUtc = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return asUtc - seconds;
}

/**
 * A calendar date (`YYYY-MM-DD`) as the epoch milliseconds of its UTC midnight.
 *
 * @example
 * ```ts
 * localDateToUtcMidnight('2026-03-29'); // Date.UTC(2026, 2, 29)
 * ```
 */
export function localDateToUtcMidnight(date: string): number {
  return Date.UTC(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)) - 1,
    Number(date.slice(8, 10)),
  );
}

/**
 * The calendar date (`YYYY-MM-DD`) in `timeZone` at `instant`.
 *
 * @example
 * ```ts
 * localDateAt('America/New_York', Date.UTC(2026, 2, 8, 3)); // '2026-03-07'
 * ```
 */
export function localDateAt(timeZone: string, instant: number): string {
  return new Date(instant + zoneOffsetMs(timeZone, instant)).toISOString().slice(0, 10);
}

/**
 * Adds `days` to a calendar date.
 *
 * @example
 * ```ts
 * addDays('2026-02-28', 1); // '2026-03-01'
 * ```
 */
export function addDays(date: string, days: number): string {
  return new Date(localDateToUtcMidnight(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * How {@link wallTimeToInstant} resolves a wall time the clock skips or repeats.
 *
 * - `'reject'`: a wall time in a DST gap has no instant (`undefined`).
 * - `'later'`: a wall time in a gap moves forward by the gap's length (for closing times).
 *
 * A wall time in an overlap always means its first occurrence.
 *
 * @example
 * ```ts
 * const policy: GapPolicy = 'reject';
 * ```
 */
export type GapPolicy = 'reject' | 'later';

/**
 * The offsets in force around one calendar date of a zone, so the instants of its wall times
 * need no formatter call unless the date has a transition.
 */
interface DayOffsets {
  /** Offset in force before the local date starts. */
  readonly before: number;
  /** Offset in force after the local date ends. */
  readonly after: number;
}

const dayOffsetCache = new Map<string, DayOffsets>();

function offsetsAround(timeZone: string, midnight: number): DayOffsets {
  const key = `${timeZone}\u0000${midnight}`;
  let offsets = dayOffsetCache.get(key);
  if (offsets === undefined) {
    // Every real zone is within 14 h of UTC, so these instants fall before the local date starts
    // and after it ends, and bracket any transition on it.
    offsets = {
      before: zoneOffsetMs(timeZone, midnight - 14 * HOUR_MS),
      after: zoneOffsetMs(timeZone, midnight + DAY_MS + 14 * HOUR_MS),
    };
    if (dayOffsetCache.size > 50_000) dayOffsetCache.clear();
    dayOffsetCache.set(key, offsets);
  }
  return offsets;
}

/**
 * The instant of the wall time `minutes` after midnight of `date` in `timeZone`.
 *
 * A wall time that occurs twice (DST overlap) means its first occurrence. A wall time the clock
 * skips (DST gap) has no instant under `'reject'` and moves forward by the gap under `'later'`.
 * `minutes` may be 1440 (24:00, the next midnight).
 *
 * @example
 * ```ts
 * wallTimeToInstant('America/New_York', '2026-03-08', 150); // undefined: 02:30 does not exist
 * wallTimeToInstant('America/New_York', '2026-11-01', 90); // 05:30Z: the first 01:30 (EDT)
 * ```
 */
export function wallTimeToInstant(
  timeZone: string,
  date: string,
  minutes: number,
  gapPolicy: GapPolicy = 'reject',
): number | undefined {
  const midnight = localDateToUtcMidnight(date);
  const wall = midnight + minutes * MINUTE_MS;
  const { before, after } = offsetsAround(timeZone, midnight);
  // Equal offsets on both sides mean the date has no transition (no zone has two within 52 h).
  if (before === after) return wall - before;
  const candidates: number[] = [];
  for (const offset of [before, after]) {
    const instant = wall - offset;
    if (zoneOffsetMsCached(timeZone, instant) === offset) candidates.push(instant);
  }
  if (candidates.length > 0) return Math.min(...candidates);
  if (gapPolicy === 'reject') return undefined;
  // In a gap the clock jumps from `before` to `after`: reading the wall time with the old offset
  // gives the instant the same distance past the jump.
  return wall - before;
}

const instantOffsetCache = new Map<string, number>();

function zoneOffsetMsCached(timeZone: string, instant: number): number {
  const key = `${timeZone}\u0000${instant}`;
  let offset = instantOffsetCache.get(key);
  if (offset === undefined) {
    offset = zoneOffsetMs(timeZone, instant);
    if (instantOffsetCache.size > 200_000) instantOffsetCache.clear();
    instantOffsetCache.set(key, offset);
  }
  return offset;
}
