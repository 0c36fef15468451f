/**
 * The input bounds of availability: what keeps one call's event-loop time and memory bounded
 * and its answer meaningful (ADR 0013). These are safety bounds, looser than core's schemas, so
 * any clinic and service type that core accepts passes them.
 *
 * @packageDocumentation
 */
import { DAY_MS, ValidationError, type ErrorIssue } from '@carequeue/core';
import type { AvailabilityRules } from './availability.js';

/**
 * The longest range, in days of 24 hours, that one slot listing may span. Two months covers a
 * month view with its neighbours; a longer period is listed in several calls.
 *
 * @example
 * ```ts
 * const to = from + MAX_AVAILABILITY_SPAN_DAYS * DAY_MS;
 * ```
 */
export const MAX_AVAILABILITY_SPAN_DAYS = 62;

/**
 * The first instant availability accepts: time-zone data is only reliable from 1970.
 *
 * @example
 * ```ts
 * new Date(EARLIEST_SUPPORTED_INSTANT).toISOString(); // '1970-01-01T00:00:00.000Z'
 * ```
 */
export const EARLIEST_SUPPORTED_INSTANT = Date.UTC(1970, 0, 1);

/**
 * The first instant availability refuses, far past any booking horizon.
 *
 * @example
 * ```ts
 * new Date(END_OF_SUPPORTED_INSTANTS).toISOString(); // '2200-01-01T00:00:00.000Z'
 * ```
 */
export const END_OF_SUPPORTED_INSTANTS = Date.UTC(2200, 0, 1);

const MINUTES_PER_DAY = 1440;
const SUPPORTED_WINDOW = 'from 1970-01-01T00:00:00Z to before 2200-01-01T00:00:00Z';

/** Integer bounds of each numeric rule: `[min, max]`, inclusive. */
const RULE_BOUNDS = {
  // A zero step never advances the slot loop; a fractional one drifts off the wall-clock grid.
  slotIntervalMinutes: [1, MINUTES_PER_DAY],
  // A negative or zero duration would list visits that end before they start.
  durationMinutes: [1, MINUTES_PER_DAY],
  bufferBeforeMinutes: [0, MINUTES_PER_DAY],
  bufferAfterMinutes: [0, MINUTES_PER_DAY],
  minimumNoticeMinutes: [0, 730 * MINUTES_PER_DAY],
  bookingHorizonDays: [1, 730],
} as const satisfies Partial<Record<keyof AvailabilityRules, readonly [number, number]>>;

function isIntegerIn(value: number, [min, max]: readonly [number, number]): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Refuses rules whose numbers are not integers inside their bounds.
 *
 * @throws `ValidationError` naming each field as `rules.<field>` with its allowed range.
 * @example
 * ```ts
 * assertAvailabilityRules({ ...rules, slotIntervalMinutes: 0 }); // throws ValidationError
 * ```
 */
export function assertAvailabilityRules(rules: AvailabilityRules): void {
  const issues: ErrorIssue[] = [];
  for (const [field, bounds] of Object.entries(RULE_BOUNDS)) {
    const value = rules[field as keyof typeof RULE_BOUNDS];
    // Buffers are optional and default to 0.
    if (value === undefined && field.startsWith('buffer')) continue;
    if (value === undefined || !isIntegerIn(value, bounds)) {
      issues.push({
        path: `rules.${field}`,
        message: `must be an integer from ${bounds[0]} to ${bounds[1]}`,
      });
    }
  }
  if (issues.length > 0) {
    throw new ValidationError(
      'The availability rules are out of bounds; fix the clinic settings or service type.',
      issues,
    );
  }
}

/**
 * Refuses an instant that is not a finite time inside the supported window.
 *
 * @throws `ValidationError` naming `field` and the supported window.
 * @example
 * ```ts
 * assertSupportedInstant(Date.parse('0001-01-01T00:00:00Z'), 'from'); // throws ValidationError
 * ```
 */
export function assertSupportedInstant(instant: number, field: string): void {
  if (
    !Number.isFinite(instant) ||
    instant < EARLIEST_SUPPORTED_INSTANT ||
    instant >= END_OF_SUPPORTED_INSTANTS
  ) {
    throw new ValidationError(`The ${field} is outside the supported dates.`, [
      { path: field, message: `must be an instant ${SUPPORTED_WINDOW}` },
    ]);
  }
}

/**
 * Refuses a slot range `[from, to)` that is reversed, outside the supported window, or longer
 * than {@link MAX_AVAILABILITY_SPAN_DAYS}. An empty range (`from` equal to `to`) is accepted.
 *
 * @throws `ValidationError` naming `from` or `to` and the allowed range.
 * @example
 * ```ts
 * assertSlotRange(Date.parse('2026-03-02T00:00:00Z'), Date.parse('2026-03-09T00:00:00Z')); // ok
 * ```
 */
export function assertSlotRange(from: number, to: number): void {
  assertSupportedInstant(from, 'from');
  assertSupportedInstant(to, 'to');
  if (to < from) {
    throw new ValidationError('The slot range ends before it starts.', [
      { path: 'to', message: 'must not be before from' },
    ]);
  }
  if (to - from > MAX_AVAILABILITY_SPAN_DAYS * DAY_MS) {
    throw new ValidationError('The slot range is too long; list it in several calls.', [
      { path: 'to', message: `must be at most ${MAX_AVAILABILITY_SPAN_DAYS} days after from` },
    ]);
  }
}
