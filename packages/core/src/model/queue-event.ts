/**
 * Queue events: the append-only record of queue entry transitions that screens and subscribers
 * receive.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { ClinicId, QueueEntryId, QueueId, TenantId } from '../ids.js';
import { Timestamp } from './common.js';
import { QueueEntryStatus } from './queue-entry.js';

/**
 * What happened to a queue entry.
 *
 * @example
 * ```ts
 * QUEUE_EVENT_TYPES.includes('called'); // true
 * ```
 */
export const QUEUE_EVENT_TYPES = [
  'checked_in',
  'triaged',
  'called',
  'recalled',
  'no_show',
  'away',
  'returned',
  'left',
  'cancelled',
  'service_started',
  'completed',
  'transferred',
] as const;

/**
 * One of {@link QUEUE_EVENT_TYPES}.
 *
 * @example
 * ```ts
 * QueueEventType.parse('checked_in');
 * ```
 */
export const QueueEventType = z.enum(QUEUE_EVENT_TYPES);
/** A parsed {@link QueueEventType}. */
export type QueueEventType = z.output<typeof QueueEventType>;

/**
 * An append-only record of one queue entry transition. It carries ids, statuses and versions
 * only, never a name or contact detail, so it may be published to screens and subscribers as
 * it is. `version` increases by one per event of the queue, in commit order: a consumer that
 * saw version N and later reads events after N misses nothing.
 *
 * @example
 * ```ts
 * const event = QueueEvent.parse({
 *   tenantId, clinicId, queueId, entryId, version: 42, type: 'called',
 *   fromStatus: 'waiting', toStatus: 'called', entryVersion: 1, occurredAt: '2026-03-02T09:05:00.000Z',
 * });
 * ```
 */
export const QueueEvent = z.object({
  tenantId: TenantId,
  clinicId: ClinicId,
  queueId: QueueId,
  entryId: QueueEntryId,
  /** Per-queue, starting at 1, gapless and in commit order. */
  version: z.int().positive(),
  type: QueueEventType,
  /** Absent for a check-in. */
  fromStatus: QueueEntryStatus.optional(),
  toStatus: QueueEntryStatus,
  /** The entry's version after the transition. */
  entryVersion: z.int().nonnegative(),
  occurredAt: Timestamp,
});
/** A parsed {@link QueueEvent}. */
export type QueueEvent = z.output<typeof QueueEvent>;
