import type { ClinicId, QueueEntryId, QueueEntryStatus, QueueId, TenantId } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';

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
 * const type: QueueEventType = 'checked_in';
 * ```
 */
export type QueueEventType = (typeof QUEUE_EVENT_TYPES)[number];

/**
 * An append-only record of one queue entry transition. It carries ids, statuses and versions
 * only, never a name or contact detail, so it may be published to screens and subscribers as
 * it is. `version` increases by one per event of the queue, in commit order: a consumer that
 * saw version N and later reads events after N misses nothing.
 *
 * @example
 * ```ts
 * const event: QueueEvent = {
 *   tenantId, clinicId, queueId, entryId, version: 42, type: 'called',
 *   fromStatus: 'waiting', toStatus: 'called', entryVersion: 1, occurredAt: '2026-03-02T09:05:00.000Z',
 * };
 * ```
 */
export interface QueueEvent {
  readonly tenantId: TenantId;
  readonly clinicId: ClinicId;
  readonly queueId: QueueId;
  readonly entryId: QueueEntryId;
  /** Per-queue, starting at 1, gapless and in commit order. */
  readonly version: number;
  readonly type: QueueEventType;
  /** Absent for a check-in. */
  readonly fromStatus?: QueueEntryStatus;
  readonly toStatus: QueueEntryStatus;
  /** The entry's version after the transition. */
  readonly entryVersion: number;
  readonly occurredAt: string;
}

/**
 * A {@link QueueEvent} before the repository assigns its per-queue version.
 *
 * @example
 * ```ts
 * const [event] = await entries.appendEvents([pending]);
 * ```
 */
export type PendingQueueEvent = Omit<QueueEvent, 'version'>;

/**
 * The transaction a {@link QueueEventSink} writes in: the SQL executor of the unit of work on
 * SQL storage, absent on in-memory storage.
 *
 * @example
 * ```ts
 * const sink: QueueEventSink = { write: (events, { executor }) => writeOutbox(executor, events) };
 * ```
 */
export interface QueueEventTransaction {
  readonly executor?: SqlExecutor;
}

/**
 * A port called inside the transaction of every queue change with the events it appended, so
 * that an outbox row or a `NOTIFY` commits or rolls back with the change. A failure rolls the
 * change back.
 *
 * @example
 * ```ts
 * const sink: QueueEventSink = {
 *   async write(events, { executor }) {
 *     for (const event of events) {
 *       await executor?.query('SELECT pg_notify($1, $2)', [`queue:${event.tenantId}`, JSON.stringify(event)]);
 *     }
 *   },
 * };
 * ```
 */
export interface QueueEventSink {
  write(events: readonly QueueEvent[], transaction: QueueEventTransaction): Promise<void>;
}
