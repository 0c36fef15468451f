/**
 * A bookable slot, as availability answers it.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { StaffId } from '../ids.js';
import { Timestamp } from './common.js';

/**
 * A bookable visit: its start and end, without buffers, and the staff member it is with when
 * the query did not name one.
 *
 * @example
 * ```ts
 * AvailableSlot.parse({ start: '2026-03-02T08:00:00.000Z', end: '2026-03-02T08:15:00.000Z' });
 * ```
 */
export const AvailableSlot = z.object({
  start: Timestamp,
  end: Timestamp,
  staffId: StaffId.optional(),
});
/** A parsed {@link AvailableSlot}. */
export type AvailableSlot = z.output<typeof AvailableSlot>;
