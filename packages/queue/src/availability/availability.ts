/**
 * The one availability function: it lists bookable slots and validates a booking with the same
 * rules, so a listed slot is always bookable and a booking is never accepted for a slot that
 * would not be listed.
 *
 * @packageDocumentation
 */
import {
  DAY_MS,
  MINUTE_MS,
  minutesOfDay,
  WEEKDAYS,
  type DateOverride,
  type TimeRange,
  type WeeklyHours,
} from '@carequeue/core';
import {
  assertAvailabilityRules,
  assertSlotRange,
  assertSupportedInstant,
} from './availability-bounds.js';
import { addDays, localDateAt, localDateToUtcMidnight, wallTimeToInstant } from './zoned-time.js';

export {
  EARLIEST_SUPPORTED_INSTANT,
  END_OF_SUPPORTED_INSTANTS,
  MAX_AVAILABILITY_SPAN_DAYS,
} from './availability-bounds.js';

/**
 * Everything that decides where slots may start: the provider's hours, the service's length and
 * buffers, and the clinic's booking settings.
 *
 * @example
 * ```ts
 * const rules: AvailabilityRules = {
 *   timeZone: 'Europe/Paris',
 *   weeklyHours: [{ day: 'monday', start: '08:00', end: '12:00', breaks: [] }],
 *   durationMinutes: 20,
 *   slotIntervalMinutes: 15,
 *   minimumNoticeMinutes: 60,
 *   bookingHorizonDays: 60,
 * };
 * ```
 */
export interface AvailabilityRules {
  /** The clinic's IANA time zone, in which weekly hours and overrides are read. */
  readonly timeZone: string;
  readonly weeklyHours: readonly WeeklyHours[];
  /** Dates whose intervals replace the weekly hours (no intervals: a day off). @default [] */
  readonly dateOverrides?: readonly DateOverride[];
  /** Length of the visit. */
  readonly durationMinutes: number;
  /** Time kept free before the visit. @default 0 */
  readonly bufferBeforeMinutes?: number;
  /** Time kept free after the visit. @default 0 */
  readonly bufferAfterMinutes?: number;
  /** Wall-clock grid, from the opening time, on which slots start. */
  readonly slotIntervalMinutes: number;
  /** Shortest time between now and a slot's start. */
  readonly minimumNoticeMinutes: number;
  /** How far ahead a slot may start, in days of 24 hours from now. */
  readonly bookingHorizonDays: number;
}

/**
 * A time range, in epoch milliseconds, that is already taken (an appointment's range with its
 * buffers).
 *
 * @example
 * ```ts
 * const busy: BusyInterval = { start: Date.parse('2026-03-02T09:00:00Z'), end: Date.parse('2026-03-02T09:30:00Z') };
 * ```
 */
export interface BusyInterval {
  readonly start: number;
  readonly end: number;
}

/**
 * A bookable visit, in epoch milliseconds, without its buffers.
 *
 * @example
 * ```ts
 * new Date(slot.start).toISOString();
 * ```
 */
export interface Slot {
  readonly start: number;
  readonly end: number;
}

/**
 * The moment and the taken ranges availability is computed against.
 *
 * @example
 * ```ts
 * const context: AvailabilityContext = { now: clock.now(), busy: [] };
 * ```
 */
export interface AvailabilityContext {
  /** Now, in epoch milliseconds, from the `Clock`. */
  readonly now: number;
  /** Ranges already taken, buffers included, in any order. */
  readonly busy: readonly BusyInterval[];
}

/**
 * Why a start time cannot be booked.
 *
 * - `outside-hours`: not on the grid of a working interval, inside a break, in a DST gap, or the
 *   visit would end after closing.
 * - `too-soon`: inside the minimum notice.
 * - `beyond-horizon`: after the booking horizon.
 * - `busy`: the visit or its buffers overlap a taken range.
 *
 * @example
 * ```ts
 * const reason: SlotRejection = 'busy';
 * ```
 */
export type SlotRejection = 'outside-hours' | 'too-soon' | 'beyond-horizon' | 'busy';

/**
 * The answer of {@link checkSlot}.
 *
 * @example
 * ```ts
 * const check: SlotCheck = { available: false, reason: 'too-soon' };
 * ```
 */
export type SlotCheck =
  | { readonly available: true; readonly slot: Slot }
  | { readonly available: false; readonly reason: SlotRejection };

interface WorkingInterval {
  readonly start: string;
  readonly end: string;
  readonly breaks: readonly TimeRange[];
}

function intervalsOn(
  date: string,
  weekly: ReadonlyMap<string, WorkingInterval[]>,
  overrides: ReadonlyMap<string, DateOverride>,
): readonly WorkingInterval[] {
  const override = overrides.get(date);
  if (override !== undefined) {
    return override.intervals.map((range) => ({ ...range, breaks: [] }));
  }
  const weekday = WEEKDAYS[(new Date(localDateToUtcMidnight(date)).getUTCDay() + 6) % 7];
  return weekday === undefined ? [] : (weekly.get(weekday) ?? []);
}

/**
 * Every start on the rules' grid whose visit fits the working hours, in time order, with starts
 * in `[from, to)`. This is the single place that reads hours, breaks and the DST policy.
 */
function candidateSlots(rules: AvailabilityRules, from: number, to: number): Slot[] {
  const weekly = new Map<string, WorkingInterval[]>();
  for (const hours of rules.weeklyHours) {
    const list = weekly.get(hours.day) ?? [];
    list.push(hours);
    weekly.set(hours.day, list);
  }
  for (const list of weekly.values()) {
    list.sort((a, b) => minutesOfDay(a.start) - minutesOfDay(b.start));
  }
  const overrides = new Map((rules.dateOverrides ?? []).map((o) => [o.date, o]));
  const zone = rules.timeZone;
  const duration = rules.durationMinutes * MINUTE_MS;
  const step = rules.slotIntervalMinutes;
  const slots: Slot[] = [];
  const lastDate = localDateAt(zone, to);
  for (let date = localDateAt(zone, from); date <= lastDate; date = addDays(date, 1)) {
    for (const interval of intervalsOn(date, weekly, overrides)) {
      const open = minutesOfDay(interval.start);
      const close = minutesOfDay(interval.end);
      // Closing and break edges in a gap move forward, so they still bound the real day.
      const closing = wallTimeToInstant(zone, date, close, 'later') ?? Number.NaN;
      const breaks = interval.breaks.map((pause) => ({
        start: wallTimeToInstant(zone, date, minutesOfDay(pause.start), 'later') ?? Number.NaN,
        end: wallTimeToInstant(zone, date, minutesOfDay(pause.end), 'later') ?? Number.NaN,
      }));
      for (let wall = open; wall < close; wall += step) {
        // A wall time in a gap has no instant: no slot starts there.
        const start = wallTimeToInstant(zone, date, wall, 'reject');
        if (start === undefined || start < from) continue;
        if (start >= to) break;
        const end = start + duration;
        if (end > closing) break;
        if (breaks.some((pause) => start < pause.end && pause.start < end)) continue;
        slots.push({ start, end });
      }
    }
  }
  return slots;
}

/** Taken ranges sorted by start, with the running maximum of their ends, for O(log n) checks. */
interface BusyIndex {
  readonly starts: Float64Array;
  readonly maxEnds: Float64Array;
}

function indexBusy(busy: readonly BusyInterval[]): BusyIndex {
  const sorted = [...busy].sort((a, b) => a.start - b.start);
  const starts = new Float64Array(sorted.length);
  const maxEnds = new Float64Array(sorted.length);
  let maxEnd = Number.NEGATIVE_INFINITY;
  sorted.forEach((interval, index) => {
    starts[index] = interval.start;
    maxEnd = Math.max(maxEnd, interval.end);
    maxEnds[index] = maxEnd;
  });
  return { starts, maxEnds };
}

function overlapsBusy(index: BusyIndex, start: number, end: number): boolean {
  // The last taken range starting before `end`; any of it or earlier ones ending after `start`.
  let low = 0;
  let high = index.starts.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((index.starts[middle] ?? 0) < end) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found >= 0 && (index.maxEnds[found] ?? 0) > start;
}

/**
 * The range a slot takes from the provider: the visit widened by the service's buffers. The one
 * place this rule is computed: listing, checking and booking all call it, and the database's
 * `busy_range` trigger mirrors it (a property test checks both agree).
 *
 * @example
 * ```ts
 * busyRangeOf(rules, slot); // { start: slot.start - 5 min, end: slot.end + 10 min }
 * ```
 */
export function busyRangeOf(
  rules: Pick<AvailabilityRules, 'bufferBeforeMinutes' | 'bufferAfterMinutes'>,
  slot: Slot,
): BusyInterval {
  return {
    start: slot.start - (rules.bufferBeforeMinutes ?? 0) * MINUTE_MS,
    end: slot.end + (rules.bufferAfterMinutes ?? 0) * MINUTE_MS,
  };
}

function rejectionOf(
  rules: AvailabilityRules,
  context: AvailabilityContext,
  index: BusyIndex,
  slot: Slot,
): SlotRejection | undefined {
  if (slot.start < context.now + rules.minimumNoticeMinutes * MINUTE_MS) return 'too-soon';
  if (slot.start > context.now + rules.bookingHorizonDays * DAY_MS) return 'beyond-horizon';
  const busy = busyRangeOf(rules, slot);
  if (overlapsBusy(index, busy.start, busy.end)) return 'busy';
  return undefined;
}

/**
 * The bookable slots starting in `[from, to)`, in time order.
 *
 * Weekly hours are read in the rules' IANA zone and expanded per local date (never by adding
 * 24 hours); a date override replaces that date's hours. DST policy: slot starts form a
 * wall-clock grid from the opening time; no slot starts in a DST gap; a wall time in an overlap
 * means its first occurrence; a slot fits only if its real end is not after closing. A slot is
 * left out when it overlaps a break, starts inside the minimum notice or after the horizon, or
 * when it or its buffers overlap a taken range.
 *
 * Bounds (ADR 0013): the range may span at most `MAX_AVAILABILITY_SPAN_DAYS` inside the supported
 * dates, and the dates walked never go before now plus the minimum notice nor past the horizon,
 * so one call's work is bounded whatever the range.
 *
 * @throws `ValidationError` when the rules are out of bounds, or the range is reversed, too long
 * or outside the supported dates.
 * @example
 * ```ts
 * const slots = listAvailableSlots(rules, { now: clock.now(), busy }, Date.parse('2026-03-02T00:00:00Z'), Date.parse('2026-03-09T00:00:00Z'));
 * slots.map((slot) => new Date(slot.start).toISOString());
 * ```
 */
export function listAvailableSlots(
  rules: AvailabilityRules,
  context: AvailabilityContext,
  from: number,
  to: number,
): Slot[] {
  assertAvailabilityRules(rules);
  assertSlotRange(from, to);
  // Starts outside [now + notice, now + horizon] are refused anyway; not walking their days is
  // what keeps a long or far-off range from costing a day loop per day.
  const first = Math.max(from, context.now + rules.minimumNoticeMinutes * MINUTE_MS);
  const end = Math.min(to, context.now + rules.bookingHorizonDays * DAY_MS + 1);
  if (!(first < end)) return [];
  const index = indexBusy(context.busy);
  return candidateSlots(rules, first, end).filter(
    (slot) => rejectionOf(rules, context, index, slot) === undefined,
  );
}

/**
 * Whether a visit starting at `start` can be booked, by the very rules of
 * {@link listAvailableSlots}, and why not.
 *
 * @throws `ValidationError` when the rules are out of bounds or `start` is outside the supported
 * dates.
 * @example
 * ```ts
 * const check = checkSlot(rules, { now: clock.now(), busy }, Date.parse('2026-03-02T09:00:00Z'));
 * if (!check.available) throw new SlotUnavailableError();
 * ```
 */
export function checkSlot(
  rules: AvailabilityRules,
  context: AvailabilityContext,
  start: number,
): SlotCheck {
  assertAvailabilityRules(rules);
  assertSupportedInstant(start, 'start');
  const [slot] = candidateSlots(rules, start, start + 1);
  if (slot?.start !== start) return { available: false, reason: 'outside-hours' };
  const reason = rejectionOf(rules, context, indexBusy(context.busy), slot);
  return reason === undefined ? { available: true, slot } : { available: false, reason };
}
