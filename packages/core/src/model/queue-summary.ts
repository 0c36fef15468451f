/**
 * The state of one line for screens and dashboards.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { ClinicId, QueueEntryId, QueueId } from '../ids.js';
import { Timestamp } from './common.js';
import { singleLine } from './text.js';

/**
 * An entry being served, as a screen shows it: ticket and counter, never a name.
 *
 * @example
 * ```ts
 * NowServing.parse({ entryId, ticket: 'A012', status: 'called', counter: 'Desk 2' });
 * ```
 */
export const NowServing = z.object({
  entryId: QueueEntryId,
  ticket: z.string().regex(/^[A-Z0-9-]{1,12}$/),
  status: z.enum(['called', 'in_service']),
  counter: singleLine(z.string().max(50)).optional(),
});
/** A parsed {@link NowServing}. */
export type NowServing = z.output<typeof NowServing>;

/**
 * The state of one line for screens and dashboards. Tickets and counters only: no names.
 *
 * @example
 * ```ts
 * const { waiting, nowServing, averageWaitMs } = QueueSummary.parse(body);
 * ```
 */
export const QueueSummary = z.object({
  clinicId: ClinicId,
  queueId: QueueId,
  /** Entries waiting in line. */
  waiting: z.int().nonnegative(),
  /** Entries that stepped away and keep their place. */
  away: z.int().nonnegative(),
  nowServing: z.array(NowServing),
  /** Mean time the waiting entries have waited so far; 0 when nobody waits. */
  averageWaitMs: z.number().nonnegative(),
  /** The longest time a waiting entry has waited so far; 0 when nobody waits. */
  longestWaitMs: z.number().nonnegative(),
  /** When the summary was computed (it may be served from cache for up to 30 s). */
  computedAt: Timestamp,
});
/** A parsed {@link QueueSummary}. */
export type QueueSummary = z.output<typeof QueueSummary>;
