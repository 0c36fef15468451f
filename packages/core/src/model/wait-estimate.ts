/**
 * A wait-time estimate, as the estimators compute it and the API answers it.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { QueueEntryId } from '../ids.js';

/**
 * A wait-time estimate, in milliseconds until the patient is called.
 *
 * @example
 * ```ts
 * const { p50Ms, p90Ms } = WaitEstimate.parse({ p50Ms: 600_000, p90Ms: 1_200_000 });
 * ```
 */
export const WaitEstimate = z.object({
  /** Half of patients are expected to be called sooner. */
  p50Ms: z.number().nonnegative(),
  /** Nine in ten patients are expected to be called sooner. */
  p90Ms: z.number().nonnegative(),
});
/** A parsed {@link WaitEstimate}. */
export type WaitEstimate = z.output<typeof WaitEstimate>;

/**
 * The wait estimate of one queue entry, with its position in line.
 *
 * @example
 * ```ts
 * const { position, p50Ms } = EntryWaitEstimate.parse(body);
 * ```
 */
export const EntryWaitEstimate = WaitEstimate.extend({
  entryId: QueueEntryId,
  position: z.int().nonnegative(),
});
/** A parsed {@link EntryWaitEstimate}. */
export type EntryWaitEstimate = z.output<typeof EntryWaitEstimate>;
